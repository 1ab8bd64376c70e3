/**
 * One measure of the tool cache and emptying it (issue 15, part 6: `/perf flush-cache`): the footprint without
 * decompressing (what `/metrics` reads at each scrape) counts the same entries and stored bytes as the full one
 * (`/perf`, `npm run perf`); a flush removes every entry, says how many and how many bytes (as the footprint
 * counted them, expired rows apart), and the cache reads as empty afterwards, on SQLite and on Redis.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteCache } from '../../src/tools/cache.js';
import { flushToolCache } from '../../src/tools/cache-flush.js';
import { cacheFootprint } from '../../src/tools/cache-footprint.js';
import { createRedisCache } from '../../src/tools/cache-redis.js';
import { realCacheEntries } from '../helpers/cache-entries.js';
import { redisSkipReason, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { removeDir, tempDir, testConfig } from './helpers.js';

describe('tool cache on SQLite: one measure, and a flush', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => removeDir(dir));

  it('the cheap footprint counts what the full one counts; a flush removes it all and says so', async () => {
    const config = testConfig(dir);
    const entries = await realCacheEntries();
    const cache = await createSqliteCache(config.cachePath, { opTimeoutMs: 5000 });
    await cache.set('prices', entries.prices, 60_000);
    await cache.set('annual', entries.annual, 60_000);
    await cache.set('small', entries.small, 60_000);
    await cache.set('brief', entries.small, 1);
    await sleep(20);

    const full = await cacheFootprint(config);
    const cheap = await cacheFootprint(config, { json: false });
    expect(full).toMatchObject({ entries: 3, compressed: 2 });
    expect(cheap).toMatchObject({ entries: full.entries, compressed: 2, storedBytes: full.storedBytes, jsonBytes: 0 });
    expect(cheap.ratio).toBeNull();

    const flushed = await flushToolCache(config);
    expect(flushed).toMatchObject({ backend: 'sqlite', entries: 3, bytes: full.storedBytes, removed: 4 });
    expect(flushed.diskBytes?.before).toBeGreaterThan(0);
    expect(await cacheFootprint(config)).toMatchObject({ entries: 0, storedBytes: 0 });
    // The open cache goes on working on the emptied file: a miss, then a write that reads back.
    expect(await cache.get('prices')).toBeUndefined();
    await cache.set('prices', entries.prices, 60_000);
    expect(await cache.get('prices')).toEqual(entries.prices);
    await cache.close();
  });

  it('a cache file that does not exist yet: nothing removed, nothing created', async () => {
    const config = testConfig(dir);
    expect(await flushToolCache(config)).toEqual({ backend: 'sqlite', entries: 0, bytes: 0, removed: 0 });
  });
});

const skip = redisSkipReason();
describe.skipIf(skip !== undefined)('tool cache on Redis: a flush', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('removes the namespace’s entries only and counts them as the footprint does', async () => {
    const namespace = `test:${randomUUID()}:tools`;
    const other = `test:${randomUUID()}:tools`;
    const entries = await realCacheEntries();
    const cache = await createRedisCache(redis.url, { namespace });
    const kept = await createRedisCache(redis.url, { namespace: other });
    const home = tempDir();
    try {
      for (const key of ['prices', 'annual', 'small'] as const) await cache.set(key, entries[key], 60_000);
      await kept.set('small', entries.small, 60_000);
      const config = testConfig(home, { CACHE_URL: redis.url });
      const before = await cacheFootprint(config, { namespace, json: false });
      const flushed = await flushToolCache(config, { namespace });
      expect(flushed).toEqual({ backend: 'redis', entries: 3, bytes: before.storedBytes, removed: 3 });
      expect(await cacheFootprint(config, { namespace })).toMatchObject({ entries: 0 });
      expect(await cacheFootprint(config, { namespace: other })).toMatchObject({ entries: 1 });
    } finally {
      await flushToolCache(testConfig(home, { CACHE_URL: redis.url }), { namespace: other });
      await cache.close();
      await kept.close();
      removeDir(home);
    }
  });
});
