/**
 * What `npm run perf` and `/perf` say about the tool cache: live entries, how many are compressed, bytes stored and
 * as JSON, the ratio and the file's size, read without writing to the cache file; an old uncompressed entry and an
 * expired one are told apart.
 */

import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatPerfReport } from '../../src/metrics/format.js';
import type { PerfReport } from '../../src/metrics/types.js';
import { perfMessage } from '../../src/slack/blocks/perf.js';
import { createSqliteCache } from '../../src/tools/cache.js';
import { cacheFootprint } from '../../src/tools/cache-footprint.js';
import { createRedisCache } from '../../src/tools/cache-redis.js';
import { createRedisClient } from '../../src/tools/redis-client.js';
import { realCacheEntries } from '../helpers/cache-entries.js';
import { redisSkipReason, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { removeDir, tempDir, testConfig } from './helpers.js';

describe('tool cache footprint', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => removeDir(dir));

  it('counts live entries, compressed ones, bytes and ratio; an old plain entry counts, an expired one does not', async () => {
    const config = testConfig(dir);
    const entries = await realCacheEntries();
    // Written before compression: a plain keyv row.
    const plain = new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${config.cachePath}` }), namespace: 'tools' });
    await plain.set('old', entries.profile, 60_000);
    await plain.set('gone', entries.annual, 1);
    await plain.disconnect();
    const cache = await createSqliteCache(config.cachePath, { opTimeoutMs: 5000 });
    await cache.set('prices', entries.prices, 60_000);
    await cache.set('annual', entries.annual, 60_000);
    await cache.set('small', entries.small, 60_000);
    await cache.close();
    const before = statSync(config.cachePath).mtimeMs;

    const f = await cacheFootprint(config, { now: Date.now() + 1000 });
    expect(f).toMatchObject({ backend: 'sqlite', compression: 'brotli', entries: 4, compressed: 2, unreadable: 0 });
    const json = ['prices', 'annual', 'small', 'profile'] as const;
    expect(f.jsonBytes).toBe(json.reduce((sum, k) => sum + Buffer.byteLength(JSON.stringify(entries[k])), 0));
    expect(f.ratio).toBeGreaterThan(1.5);
    expect(f.ratio).toBe(Math.round((f.jsonBytes / f.storedBytes) * 100) / 100);
    expect(f.diskBytes).toBeGreaterThanOrEqual(statSync(config.cachePath).size);
    expect(statSync(config.cachePath).mtimeMs).toBe(before);

    const report = { runs: 1, cache: f } as unknown as PerfReport;
    const text = formatPerfReport({ ...emptyReport(), ...report });
    expect(text).toContain(`Tool cache (SQLite ${config.cachePath}, compression brotli)`);
    expect(text).toMatch(/entries\s+4 \(2 compressed\)/);
    expect(text).toMatch(new RegExp(`compression ratio\\s+${f.ratio?.toFixed(2)}×`));
    const slack = JSON.stringify(perfMessage({ ...emptyReport(), ...report }).blocks);
    expect(slack).toContain(`Tool cache: 4 entries (2 compressed)`);
  });

  it('a cache file that does not exist yet is an empty cache, and is not created', async () => {
    const config = testConfig(path.join(dir, 'none'));
    const f = await cacheFootprint(config);
    expect(f).toMatchObject({ entries: 0, storedBytes: 0, ratio: null, diskBytes: 0 });
  });
});

function emptyReport(): PerfReport {
  return {
    runs: 1,
    byOutcome: { ok: 1 },
    p50DurationMs: 1000,
    p95DurationMs: 1000,
    p50FirstOutputMs: 10,
    p95FirstOutputMs: 10,
    p50FirstSectionMs: 500,
    toolCalls: { total: 8, made: 8, hits: 0, coalesced: 0, errors: 0 },
    cacheHitRate: 0,
    callsSaved: 0,
    perTool: [],
    usage: { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, costUsd: 0 },
    recentErrors: [],
    alerts: [],
  };
}

const skip = redisSkipReason();
describe.skipIf(skip !== undefined)('tool cache footprint on Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('counts the entries under the cache namespace, compressed and not, with the ratio; no disk size', async () => {
    const namespace = `test:${randomUUID()}:tools`;
    const entries = await realCacheEntries();
    const cache = await createRedisCache(redis.url, { namespace });
    const home = tempDir();
    try {
      for (const key of ['prices', 'annual', 'small'] as const) await cache.set(key, entries[key], 60_000);
      const config = testConfig(home, { CACHE_URL: redis.url });
      const f = await cacheFootprint(config, { namespace });
      expect(f).toMatchObject({ backend: 'redis', entries: 3, compressed: 2, unreadable: 0 });
      expect(f.diskBytes).toBeUndefined();
      expect(f.ratio).toBeGreaterThan(1.5);
      expect(f.location).toBe(redis.url);
    } finally {
      const client = createRedisClient(redis.url);
      await client.connect();
      for (const key of await client.keys(`${namespace}::*`)) await client.del(key);
      client.destroy();
      await cache.close();
      removeDir(home);
    }
  });
});
