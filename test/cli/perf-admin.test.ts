/**
 * `npm run perf -- --flush-cache` and `--reset` (issue 15, part 6), through the CLI's own parser, in a temp
 * TICKERDESK_HOME: the flush says what it removed and leaves the cache empty; the reset makes the report count from
 * then while the records stay in the run log.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { logger } from '../../src/log.js';
import { openMetricsStore } from '../../src/metrics/store.js';
import { createSqliteCache } from '../../src/tools/cache.js';
import { cacheFootprint } from '../../src/tools/cache-footprint.js';
import { realCacheEntries } from '../helpers/cache-entries.js';
import { removeDir, tempDir, testConfig } from '../tools/helpers.js';

let home: string;
beforeEach(() => {
  home = tempDir('tickerdesk-perf-admin-');
});
afterEach(() => removeDir(home));

async function perf(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } };
  const code = await runCli(['perf', ...args], { io, env: { TICKERDESK_HOME: home, DATA_SOURCE: 'bundled' }, logger });
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
