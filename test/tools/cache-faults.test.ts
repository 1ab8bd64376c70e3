/**
 * Tool caches that cannot work at all (issue 10, items 1 and 7): a SQLite file that cannot be opened, a Redis that
 * is down. No promise may reject unhandled, every call is a miss or a skipped write, and a person is told once per
 * cause, however many calls fail.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createClient } from '@keyv/redis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Degradations } from '../../src/degradations.js';
import { type CacheEntry, createSqliteCache } from '../../src/tools/cache.js';
import { createRedisCache } from '../../src/tools/cache-redis.js';
import { captureLogger } from '../helpers/log-capture.js';
import { freePort, redisSkipReason, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { removeDir, tempDir } from './helpers.js';

const entry = (data: unknown): CacheEntry => ({ kind: 'data', data, fetchedAt: '2026-11-30T08:00:00.000Z' });
/** Lets a stray promise settle (a file open on the thread pool fails within a millisecond or two). */
const settle = () => new Promise((r) => setTimeout(r, 50));

describe('a tool cache that cannot work', () => {
  let dir: string;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  beforeEach(() => {
    dir = tempDir();
    rejections.length = 0;
    process.on('unhandledRejection', onRejection);
  });
  afterEach(() => {
    process.off('unhandledRejection', onRejection);
    removeDir(dir);
  });

  it('a SQLite file under a file: no unhandled rejection, every call a miss, one warning that names the file', async () => {
    const notAFolder = path.join(dir, 'README.md');
    writeFileSync(notAFolder, '# not a folder\n');
    const file = path.join(notAFolder, 'cache.sqlite');
    const { logger, warnings } = captureLogger();
    const degradations = new Degradations();
    const cache = await createSqliteCache(file, { logger, degradations, cooldownMs: 0, opTimeoutMs: 2000 });
    for (let i = 0; i < 4; i++) {
      expect(await cache.get(`k${i}`)).toBeUndefined();
      await cache.set(`k${i}`, entry(i), 60_000);
      await settle();
    }
    expect(rejections).toEqual([]);
    expect(cache.errors).toBeGreaterThanOrEqual(4);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain(`The tool cache ${file} cannot be opened (${notAFolder} is a file, not a folder)`);
    expect(degradations.counts()['tool cache cannot be opened']).toBe(cache.errors);
    await cache.close();
  });

  it('a Redis that refuses connections: warned once however many calls fail, each one counted', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const { logger, warnings } = captureLogger();
    const degradations = new Degradations();
    const cache = await createRedisCache(url, { logger, degradations, cooldownMs: 0 });
    try {
      for (let i = 0; i < 4; i++) {
        expect(await cache.get(`k${i}`)).toBeUndefined();
        await cache.set(`k${i}`, entry(i), 60_000);
      }
      await settle();
      expect(rejections).toEqual([]);
      expect(warnings()).toEqual([
        expect.stringMatching(/^The tool cache redis:\/\/127\.0\.0\.1:\d+\/? is unreachable/),
      ]);
      expect(degradations.counts()['tool cache is unreachable']).toBeGreaterThanOrEqual(5);
    } finally {
      await cache.close();
    }
  });
});

describe.skipIf(redisSkipReason() !== undefined)('a slow Redis answer on a live connection', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('is a miss for that one command, not a verdict on Redis: the next command is served at once', async () => {
    const { logger, warnings } = captureLogger();
    const degradations = new Degradations();
    const ns = `test:slow:${process.pid}:${Date.now()}`;
    const cache = await createRedisCache(redis.url, {
      logger,
      degradations,
      namespace: `${ns}:tools`,
      lockPrefix: `${ns}:lock:`,
      opTimeoutMs: 1000,
      cooldownMs: 60_000,
    });
    const other = createClient({ url: redis.url });
    try {
      await cache.set('k', entry('kept'), 60_000);
      await other.connect();
      // Redis holds every client's commands for 2.5 s (as a CPU-starved Redis would): the read gives up at 1 s.
      await other.sendCommand(['CLIENT', 'PAUSE', '2500', 'ALL']);
      expect(await cache.get('k')).toBeUndefined();
      // Wait out the pause by a command that Redis answers only after it (no sleep, no clock).
      await other.sendCommand(['PING']);
      // Before: the timeout was taken for a dead Redis, and the cache was skipped for the 60 s cool-down.
      expect(await cache.get('k')).toEqual(entry('kept'));
      expect(Object.keys(degradations.counts())).toEqual(['tool cache is too slow']);
      expect(warnings()).toEqual([expect.stringContaining('is too slow (cache get did not finish within 1000 ms)')]);
    } finally {
      await other.close().catch(() => undefined);
      await cache.close();
    }
  });
});

describe.skipIf(redisSkipReason() !== undefined)('a Redis that comes back after the cache opened without it', () => {
  let redis: TestRedis | undefined;
  afterAll(async () => {
    await redis?.stop();
  });

  it('serves every call sent at once when it is back: they share one connection attempt', async () => {
    const port = await freePort();
    const { logger } = captureLogger();
    const degradations = new Degradations();
    const ns = `test:back:${process.pid}:${Date.now()}`;
    const cache = await createRedisCache(`redis://127.0.0.1:${port}`, {
      logger,
      degradations,
      namespace: `${ns}:tools`,
      lockPrefix: `${ns}:lock:`,
      cooldownMs: 0,
      opTimeoutMs: 10_000,
    });
    try {
      const failedAtOpen = degradations.counts()['tool cache is unreachable'] ?? 0;
      expect(failedAtOpen).toBeGreaterThan(0);
      redis = await startTestRedis({ port });
      // Before: the first call connected and the others, sent while it connected, failed ("The client is offline").
      const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
      await Promise.all(keys.map((k) => cache.set(k, entry(k), 60_000)));
      expect(await Promise.all(keys.map((k) => cache.get(k)))).toEqual(keys.map((k) => entry(k)));
      expect(degradations.counts()['tool cache is unreachable'] ?? 0).toBe(failedAtOpen);
    } finally {
      await cache.close();
    }
  });
});

describe('Degradations', () => {
  it('warns the first occurrence of each part and cause, counts them all, and tells what came since a snapshot', () => {
    const { logger, warnings } = captureLogger();
    const d = new Degradations();
    expect(d.note(logger, { part: 'run log', cause: 'is full', message: 'first' })).toBe(true);
    const before = d.counts();
    expect(d.note(logger, { part: 'run log', cause: 'is full', message: 'again' })).toBe(false);
    d.note(logger, { part: 'tool cache', cause: 'is full', message: 'other part' });
    expect(warnings()).toEqual(['first', 'other part']);
    expect(d.counts()).toEqual({ 'run log is full': 2, 'tool cache is full': 1 });
    expect(d.since(before)).toEqual({ 'run log is full': 1, 'tool cache is full': 1 });
  });
});
