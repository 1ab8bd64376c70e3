/**
 * An instance that kept its run log in `metrics.sqlite` and starts with `CACHE_URL` loses nothing: its runs (within
 * the retention, with their feedback), refusals, reset points and prewarm fetches are copied once into the run log on
 * Redis, where other instances read them; a second start copies nothing again, and the file is left as it was. A
 * process that finds Redis down records its runs in the file, and the next start on Redis copies them in. A Redis
 * lost while running fails the writes of that time and takes the next ones once it is back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Degradations } from '../../src/degradations.js';
import { openPrewarmLog } from '../../src/metrics/prewarm-log.js';
import { openRedisPrewarmLog } from '../../src/metrics/redis-prewarm-log.js';
import { openRedisMetricsStore } from '../../src/metrics/redis-store.js';
import { openRunLog } from '../../src/metrics/run-log.js';
import { openMetricsStore } from '../../src/metrics/store.js';
import { createRedisClient } from '../../src/tools/redis-client.js';
import { captureLogger } from '../helpers/log-capture.js';
import { freePort, redisSkipReason, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { okRecord } from './fake-run.js';
import { LOADED, removeKeys, testPrefix } from './run-log-backends.js';

const skip = redisSkipReason();
const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

describe.skipIf(skip !== undefined)(`moving a SQLite run log to Redis${skip ? ` — ${skip}` : ''}`, () => {
  let redis: TestRedis;
  let dir: string;
  let file: string;
  let prefix: string;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-run-log-move-'));
    file = path.join(dir, 'metrics.sqlite');
    prefix = testPrefix();
    // The history of an instance that ran on SQLite.
    const sqlite = await openMetricsStore(file);
    await sqlite.insert(okRecord('too-old', ago(91 * DAY)));
    await sqlite.insert({
      ...okRecord('kept', ago(2 * DAY)),
      ticker: 'AAPL',
      tools: { ...okRecord('x').tools, hits: 3 },
    });
    await sqlite.addFeedback('kept', { vote: 'up', user: 'U1', target: 'section:summary', at: ago(DAY) });
    await sqlite.recordRefusal({ at: ago(3 * DAY), user: 'U2', channel: 'C1', action: 'admin', reason: 'admin' });
    await sqlite.resetPerf('U0BOSS');
    await sqlite.recordRefusal({ at: ago(-1000), user: 'U3', channel: 'C1', action: 'research', reason: 'user' });
    await sqlite.close();
    const prewarm = await openPrewarmLog(file);
    await prewarm.record({ batch: 'b1', ticker: 'AAPL', at: ago(3 * DAY), calls: 8, made: 8, failed: 0, upstream: 4 });
    await prewarm.close();
  });
  afterEach(async () => {
    await removeKeys(redis.url, prefix);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies the history once; another instance reads it; a second start copies nothing again', async () => {
    const before = fs.readFileSync(file);
    const { logger, lines } = captureLogger();
    const first = await openRunLog(file, {
      redisUrl: redis.url,
      redisPrefix: prefix,
      retentionDays: 90,
      logger,
      connectTimeoutMs: LOADED.connectTimeoutMs,
    });
    await first.close();
    const copied = lines.filter((l) => l.msg.startsWith('Copied the run log'));
    expect(copied.map((l) => l.msg)).toEqual([
      `Copied the run log ${file} to the shared run log on Redis (${redis.url}): 1 runs, 2 refusals, 1 reset points, 1 prewarm fetches. The file is kept as it was.`,
    ]);
    expect(fs.readFileSync(file).equals(before)).toBe(true);

    // Another instance, on the same Redis, without the file.
    const other = await openRedisMetricsStore(redis.url, { ...LOADED, prefix, history: false });
    try {
      expect((await other.recent(10)).map((r) => r.id)).toEqual(['kept']);
      expect((await other.get('kept'))?.feedback?.map((f) => f.user)).toEqual(['U1']);
      const report = await other.perfReport();
      expect(report.reset?.by).toBe('U0BOSS');
      expect(report.runs).toBe(0);
      expect(report.refusals).toMatchObject({ count: 1, last: { user: 'U3' } });
      const prewarm = await openRedisPrewarmLog(redis.url, { prefix, connectTimeoutMs: LOADED.connectTimeoutMs });
      try {
        expect(await prewarm.usage(ago(30 * DAY))).toMatchObject({ prewarmed: 1, laterUsed: 1 });
        expect(await prewarm.demand(ago(30 * DAY), 5)).toEqual([
          { ticker: 'AAPL', runs: 1, lastAt: expect.any(String) },
        ]);
      } finally {
        await prewarm.close();
      }

      // A run recorded on Redis since; the next start of the first instance copies nothing again.
      await other.insert(okRecord('new'));
      const { logger: again, lines: againLines } = captureLogger();
      const second = await openRunLog(file, {
        redisUrl: redis.url,
        redisPrefix: prefix,
        retentionDays: 90,
        logger: again,
        connectTimeoutMs: LOADED.connectTimeoutMs,
      });
      await second.close();
      expect(againLines.filter((l) => l.msg.startsWith('Copied'))).toEqual([]);
      expect((await other.recent(10)).map((r) => r.id)).toEqual(['new', 'kept']);
      expect((await other.get('kept'))?.feedback).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('a copy that cannot be made is warned and tried again at the next start', async () => {
    const good = fs.readFileSync(file);
    fs.writeFileSync(file, 'not a database, but a file in its place');
    const { logger, warnings } = captureLogger();
    const store = await openRunLog(file, {
      redisUrl: redis.url,
      redisPrefix: prefix,
      logger,
      connectTimeoutMs: LOADED.connectTimeoutMs,
    });
    await store.close();
    expect(warnings()).toEqual([
      expect.stringMatching(
        /^Could not copy the run log .* to the shared run log on Redis \(.*\); trying again at the next start\.$/,
      ),
    ]);
    fs.writeFileSync(file, good);
    const { logger: next, lines } = captureLogger();
    const again = await openRunLog(file, {
      redisUrl: redis.url,
      redisPrefix: prefix,
      logger: next,
      connectTimeoutMs: LOADED.connectTimeoutMs,
    });
    expect((await again.recent(10)).map((r) => r.id).sort()).toEqual(['kept', 'too-old']);
    await again.close();
    expect(lines.filter((l) => l.msg.startsWith('Copied the run log'))).toHaveLength(1);
  });

  it('a process that finds Redis down records its runs in the file; the next start on Redis copies them', async () => {
    const { logger } = captureLogger();
    await (
      await openRunLog(file, {
        redisUrl: redis.url,
        redisPrefix: prefix,
        logger,
        connectTimeoutMs: LOADED.connectTimeoutMs,
      })
    ).close();

    const down = `redis://127.0.0.1:${await freePort()}`;
    const { logger: offlineLogger, warnings } = captureLogger();
    const offline = await openRunLog(file, {
      redisUrl: down,
      redisPrefix: prefix,
      logger: offlineLogger,
      degradations: new Degradations(),
    });
    expect(offline.path).toBe(file);
    await offline.insert(okRecord('while-redis-was-down'));
    await offline.close();
    expect(warnings()).toEqual([
      `The run log on Redis at ${down} is unreachable (Redis at ${down} could not be reached within 1000 ms); this process records its runs in ${file} instead, copied to Redis at a start that finds it: check that ${down} is running and reachable.`,
    ]);

    const { logger: backLogger, lines } = captureLogger();
    const back = await openRunLog(file, {
      redisUrl: redis.url,
      redisPrefix: prefix,
      logger: backLogger,
      connectTimeoutMs: LOADED.connectTimeoutMs,
    });
    try {
      expect(lines.filter((l) => l.msg.startsWith('Copied the run log'))).toHaveLength(1);
      expect((await back.recent(10)).map((r) => r.id).sort()).toEqual(['kept', 'too-old', 'while-redis-was-down']);
    } finally {
      await back.close();
    }
  });

  it('in an instance never restarted, runs past the retention leave the indexes as new runs are written', async () => {
    const store = await openRedisMetricsStore(redis.url, { ...LOADED, prefix, history: false, retentionDays: 90 });
    const client = createRedisClient(redis.url);
    await client.connect();
    try {
      await store.insert(okRecord('ninety-one-days', ago(91 * DAY)));
      await store.insert(okRecord('new'));
      expect(await client.zRange(`${prefix}runs`, 0, -1)).toEqual(['new']);
      expect(await client.exists(`${prefix}run:ninety-one-days`)).toBe(0);
      expect(await client.pTTL(`${prefix}run:new`)).toBeGreaterThan(89 * DAY);
      expect((await store.recent(10)).map((r) => r.id)).toEqual(['new']);
    } finally {
      await client.close();
      await store.close();
    }
  });
});

describe.skipIf(skip !== undefined)(
  `the run log when Redis goes away and comes back${skip ? ` — ${skip}` : ''}`,
  () => {
    it("writes fail while Redis is down, each with the client's error, and work again once it answers", async () => {
      const own = await startTestRedis({ fresh: true });
      const port = Number(new URL(own.url).port);
      const store = await openRedisMetricsStore(own.url, { history: false, timeoutMs: 2000, connectTimeoutMs: 10_000 });
      let back: TestRedis | undefined;
      try {
        await store.insert(okRecord('before'));
        await own.stop();
        await expect(store.insert(okRecord('while-down'))).rejects.toThrow();
        back = await startTestRedis({ port });
        // The client reconnects by itself (capped backoff); the store needs nothing done.
        await expect
          .poll(
            async () =>
              store.insert(okRecord('after')).then(
                () => 'written',
                (err: Error) => err.message,
              ),
            {
              timeout: 15_000,
              interval: 200,
            },
          )
          .toBe('written');
        // A server without persistence came back empty: what was written after it answers is there.
        expect((await store.recent(10)).map((r) => r.id)).toEqual(['after']);
      } finally {
        await store.close();
        await back?.stop();
        await own.stop();
      }
    });
  },
);
