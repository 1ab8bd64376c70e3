/**
 * `npm run perf -- --flush-cache` and `--reset` (issue 15, part 6), through the CLI's own parser, in a temp
 * TICKERDESK_HOME: the flush says what it removed and leaves the cache empty; the reset makes the report count from
 * then while the records stay in the run log.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { logger } from '../../src/log.js';
import { openRedisMetricsStore } from '../../src/metrics/redis-store.js';
import { openMetricsStore } from '../../src/metrics/store.js';
import { createSqliteCache } from '../../src/tools/cache.js';
import { cacheFootprint } from '../../src/tools/cache-footprint.js';
import { realCacheEntries } from '../helpers/cache-entries.js';
import { freePort, redisSkipReason, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { okRecord } from '../metrics/fake-run.js';
import { removeDir, tempDir, testConfig } from '../tools/helpers.js';

let home: string;
beforeEach(() => {
  home = tempDir('tickerdesk-perf-admin-');
});
afterEach(() => removeDir(home));

async function perf(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return perfWith({}, ...args);
}

async function perfWith(env: Record<string, string>, ...args: string[]) {
  let out = '';
  let err = '';
  const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } };
  const code = await runCli(['perf', ...args], {
    io,
    env: { TICKERDESK_HOME: home, DATA_SOURCE: 'bundled', ...env },
    logger,
  });
  return { code, out, err };
}

describe('npm run perf admin flags', () => {
  it('--flush-cache empties the tool cache and says how much it removed', async () => {
    const config = testConfig(home);
    const entries = await realCacheEntries();
    const cache = await createSqliteCache(config.cachePath, { opTimeoutMs: 5000 });
    await cache.set('prices', entries.prices, 60_000);
    await cache.set('small', entries.small, 60_000);
    await cache.close();
    const before = await cacheFootprint(config);
    expect(before.entries).toBe(2);

    const { code, out } = await perf('--flush-cache');
    expect(code).toBe(0);
    expect(out).toContain('Tool cache flushed (SQLite): 2 entries, ');
    expect(out).toContain('tickerdesk performance: 0 runs');
    expect(await cacheFootprint(config)).toMatchObject({ entries: 0 });
    expect((await perf('--flush-cache')).out).toContain('Tool cache flushed (SQLite): 0 entries, 0 B removed.');
  });

  it('--reset counts from now on; the records stay in the run log', async () => {
    const config = testConfig(home);
    const store = await openMetricsStore(config.metricsPath, { history: false });
    await store.recordRejection({ input: 'ZZZZZ', reason: 'not a ticker', via: 'cli' });
    await store.close();
    expect((await perf()).out).toContain('tickerdesk performance: 1 run (rejected 1)');

    const { code, out } = await perf('--reset');
    expect(code).toBe(0);
    expect(out).toMatch(/^Performance figures reset at \d{4}-\d\d-\d\dT[\d:.]+Z: counting runs from now on/);
    expect(out).toContain('tickerdesk performance: 0 runs');
    expect(out).toMatch(/counting from the reset at .+ UTC by cli/);
    expect(out).toContain('No runs since the reset.');
    const after = await openMetricsStore(config.metricsPath, { history: false });
    expect(await after.recent(10)).toHaveLength(1);
    await after.close();
  });
});

const skip = redisSkipReason();
describe.skipIf(skip !== undefined)(`npm run perf with CACHE_URL${skip ? ` — ${skip}` : ''}`, () => {
  let redis: TestRedis;
  beforeAll(async () => {
    // A private server: the CLI uses the run log's own keys (tickerdesk:runlog:…).
    redis = await startTestRedis({ fresh: true });
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('reports the run log shared on Redis, and --reset is seen by every instance', async () => {
    const shared = { CACHE_URL: redis.url, CACHE_CONNECT_TIMEOUT_MS: '10000' };
    const instance = await openRedisMetricsStore(redis.url, { history: false, connectTimeoutMs: 10_000 });
    try {
      await instance.insert(okRecord('run-on-another-instance'));
      const { code, out } = await perfWith(shared);
      expect(code).toBe(0);
      expect(out).toContain('tickerdesk performance: 1 run (ok 1)');
      const reset = await perfWith(shared, '--reset');
      expect(reset.out).toContain('tickerdesk performance: 0 runs');
      expect((await instance.perfReport()).reset?.by).toBe('cli');
      // Without CACHE_URL the command reads this home's SQLite file, which holds none of it.
      expect((await perf()).out).toContain('tickerdesk performance: 0 runs');
      expect((await perf()).out).not.toContain('counting from the reset');
    } finally {
      await instance.close();
    }
  });

  it('says so when Redis cannot be reached', async () => {
    const down = `redis://127.0.0.1:${await freePort()}`;
    const { code, err } = await perfWith({ CACHE_URL: down, CACHE_CONNECT_TIMEOUT_MS: '200' });
    expect(code).toBe(1);
    expect(err).toBe(
      `error: could not read the run log ${down}: Redis at ${down} could not be reached within 200 ms\n`,
    );
  });
});
