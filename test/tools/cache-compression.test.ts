/**
 * The compressed tool cache (issue 15, part 2): real large entries (NVDA's compact prices and statements from the
 * bundled data set) are stored compressed and read back byte-identical with brotli and gzip, on SQLite and Redis;
 * entries under the threshold are stored as plain JSON; an entry written before compression (a plain keyv row)
 * still reads.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Degradations } from '../../src/degradations.js';
import { createSqliteCache, type ToolCache } from '../../src/tools/cache.js';
import { CACHE_COMPRESSIONS, type CacheCompression } from '../../src/tools/cache-compression.js';
import { createRedisCache } from '../../src/tools/cache-redis.js';
import { createRedisClient } from '../../src/tools/redis-client.js';
import { type RealCacheEntries, realCacheEntries } from '../helpers/cache-entries.js';
import { captureLogger } from '../helpers/log-capture.js';
import { redisSkipReason, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { describeToolCacheContract } from './cache-contract.js';
import { removeDir, tempDir } from './helpers.js';

/** The raw value keyv stored for `key` in the SQLite file. */
async function rawSqliteValue(file: string, key: string): Promise<string> {
  const store = new KeyvSqlite({ uri: `sqlite://${file}` });
  try {
    const rows = (await store.query('SELECT value FROM keyv WHERE key = ?', [`tools:${key}`])) as { value: string }[];
    return rows[0]?.value ?? '';
  } finally {
    await store.disconnect();
  }
}

let entries: RealCacheEntries;
beforeAll(async () => {
  entries = await realCacheEntries();
});

const contractDirs: string[] = [];
afterAll(() => {
  for (const d of contractDirs.splice(0)) removeDir(d);
});
for (const algorithm of ['brotli', 'gzip'] as const) {
  // Every entry compressed (threshold 0), so the contract's small entries go through the adapter too.
  describeToolCacheContract(`SQLite file, ${algorithm} from 0 bytes`, async () => {
    const d = tempDir();
    contractDirs.push(d);
    return createSqliteCache(path.join(d, 'cache.sqlite'), { compression: { algorithm, minBytes: 0 } });
  });
}

describe('compressed SQLite tool cache', () => {
  let dir: string;
  let file: string;
  const open: ToolCache[] = [];
  const openCache = async (algorithm: CacheCompression) => {
    const c = await createSqliteCache(file, { opTimeoutMs: 5000, compression: { algorithm } });
    open.push(c);
    return c;
  };
  beforeEach(() => {
    dir = tempDir();
    file = path.join(dir, 'cache.sqlite');
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
    removeDir(dir);
  });

  for (const algorithm of ['brotli', 'gzip'] as const) {
    it(`${algorithm}: large entries are stored compressed and read back byte-identical; small ones stay JSON`, async () => {
      const cache = await openCache(algorithm);
      for (const [key, entry] of Object.entries(entries)) await cache.set(key, entry, 60_000);
      for (const [key, entry] of Object.entries(entries)) {
        expect(JSON.stringify(await cache.get(key))).toBe(JSON.stringify(entry));
      }
      for (const key of ['prices', 'annual'] as const) {
        const raw = await rawSqliteValue(file, key);
        expect(raw).toContain(':base64:');
        // At least 1.8 times smaller than the JSON it replaces, base64 included (NVDA prices: 2.2×; 3.1× brotli and 2.9× gzip over 160 entries).
        expect(raw.length * 1.8).toBeLessThan(JSON.stringify(entries[key]).length);
      }
      const small = await rawSqliteValue(file, 'small');
      expect(small).not.toContain(':base64:');
      expect(JSON.parse(small).value).toEqual(entries.small);
      expect(cache.errors).toBe(0);
    });
  }

  it('an entry written before compression (a plain keyv row) still reads, then is rewritten compressed', async () => {
    // As the cache wrote it before this change: keyv on @keyv/sqlite, namespace `tools`, no compression.
    const before = new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${file}` }), namespace: 'tools' });
    await before.set('prices', entries.prices, 60_000);
    await before.disconnect();
    expect(await rawSqliteValue(file, 'prices')).not.toContain(':base64:');

    const cache = await openCache('brotli');
    expect(JSON.stringify(await cache.get('prices'))).toBe(JSON.stringify(entries.prices));
    await cache.set('prices', entries.prices, 60_000);
    expect(await rawSqliteValue(file, 'prices')).toContain(':base64:');
    expect(JSON.stringify(await cache.get('prices'))).toBe(JSON.stringify(entries.prices));
    expect(cache.errors).toBe(0);
  });

  it('a write still compressing when the cache closes is cut off quietly: no failure counted, no warning', async () => {
    const { logger, warnings } = captureLogger();
    const cache = await createSqliteCache(file, {
      compression: { algorithm: 'brotli' },
      logger,
      degradations: new Degradations(),
    });
    const writes = [cache.set('prices', entries.prices, 60_000), cache.set('annual', entries.annual, 60_000)];
    await cache.close();
    await Promise.all(writes);
    // Let the closed store's late answers arrive.
    await new Promise((r) => setTimeout(r, 100));
    expect(cache.errors).toBe(0);
    expect(warnings()).toEqual([]);
  });

  it('a cache switched from gzip to brotli still reads neither as garbage: the other codec is a counted miss', async () => {
    const gzip = await openCache('gzip');
    await gzip.set('annual', entries.annual, 60_000);
    const brotli = await openCache('brotli');
    expect(await brotli.get('annual')).toBeUndefined();
    expect(brotli.errors).toBe(1);
  });
});

const skip = redisSkipReason();
describe.skipIf(skip !== undefined)('compressed Redis tool cache', () => {
  let redis: TestRedis;
  const open: ToolCache[] = [];
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await Promise.allSettled(open.map((c) => c.close()));
    await redis?.stop();
  });

  for (const algorithm of CACHE_COMPRESSIONS) {
    it(`${algorithm}: real entries read back byte-identical; an entry written before compression still reads`, async () => {
      const namespace = `test:${randomUUID()}:tools`;
      // The old entry: plain keyv on the same namespace, as the Redis cache wrote before compression.
      const client = createRedisClient(redis.url);
      const { default: KeyvRedis } = await import('@keyv/redis');
      const plain = new Keyv(new KeyvRedis(client, { namespace }), { namespace, useKeyPrefix: false });
      await plain.set('old', entries.annual, 60_000);
      const cache = await createRedisCache(redis.url, { namespace, compression: { algorithm } });
      open.push(cache);
      for (const [key, entry] of Object.entries(entries)) await cache.set(key, entry, 60_000);
      for (const [key, entry] of Object.entries(entries)) {
        expect(JSON.stringify(await cache.get(key))).toBe(JSON.stringify(entry));
      }
      expect(JSON.stringify(await cache.get('old'))).toBe(JSON.stringify(entries.annual));
      const stored = String(await client.get(`${namespace}::prices`));
      if (algorithm === 'none') expect(stored).not.toContain(':base64:');
      else expect(stored.length * 1.8).toBeLessThan(JSON.stringify(entries.prices).length);
      expect(cache.errors).toBe(0);
      await plain.clear();
      await plain.disconnect();
    });
  }
});
