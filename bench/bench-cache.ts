/**
 * The bench's tool caches, each with a way to empty it for a cold run: the SQLite file (the default, one machine)
 * or Redis (`--cache-url redis://…`, the multi-instance cache). Redis keys live under a namespace of their own,
 * switched for each cold start and deleted at the end.
 */
import { randomUUID } from 'node:crypto';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import type { Logger } from '../src/log.js';
import { createRedisCache } from '../src/tools/cache-redis.js';
import { type CacheEntry, KeyvToolCache, type ToolCache } from '../src/tools/index.js';
import { createRedisClient } from '../src/tools/redis-client.js';

/** A cache for the bench and how to empty it. */
export interface BenchCache {
  /** Pass this to the gateway; it stays the same object while {@link clear} swaps what is behind it. */
  cache: ToolCache;
  /** `sqlite` or `redis`. */
  kind: 'sqlite' | 'redis';
  /** Empty the cache (the next run is cold). */
  clear(): Promise<void>;
  /** Remove what the bench stored (Redis keys). Call after the gateway is closed. */
  dispose(): Promise<void>;
}

/** The SQLite-file cache at `file`, emptied with keyv's `clear()`. */
export async function sqliteBenchCache(file: string, logger: Logger): Promise<BenchCache> {
  let keyv: Keyv | undefined;
  const cache = new KeyvToolCache(
    () => {
      keyv = new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 5000 }), namespace: 'tools' });
      return keyv;
    },
    { logger, label: file },
  );
  await cache.get('__open__');
  return {
    cache,
    kind: 'sqlite',
    clear: async () => {
      await keyv?.clear();
    },
    dispose: async () => undefined,
  };
}

/** A {@link ToolCache} that forwards to another, which can be replaced. */
class SwappableCache implements ToolCache {
  constructor(public target: ToolCache) {}
  get errors(): number {
    return this.target.errors;
  }
  get(key: string): Promise<CacheEntry | undefined> {
    return this.target.get(key);
  }
  set(key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    return this.target.set(key, entry, ttlMs);
  }
  close(): Promise<void> {
    return this.target.close();
  }
}

/** The Redis cache at `url` under `bench:<random>:…`; each clear moves to a fresh namespace and drops the old one. */
export async function redisBenchCache(url: string, logger: Logger): Promise<BenchCache> {
  const run = `bench:${randomUUID()}`;
  let generation = 0;
  const open = () =>
    createRedisCache(url, {
      logger,
      namespace: `${run}:${generation}:tools`,
      lockPrefix: `${run}:${generation}:lock:`,
    });
  const first = await open();
  if (first.errors > 0) throw new Error(`Redis at ${url} is not reachable; the bench needs it for --cache-url.`);
  const cache = new SwappableCache(first);
  const dropKeys = async () => {
    const client = createRedisClient(url);
    await client.connect();
    try {
      for await (const batch of client.scanIterator({ MATCH: `${run}:*`, COUNT: 1000 })) {
        const keys = (Array.isArray(batch) ? batch : [batch]) as string[];
        if (keys.length > 0) await client.del(keys);
      }
    } finally {
      await client.close();
    }
  };
  return {
    cache,
    kind: 'redis',
    async clear() {
      const old = cache.target;
      generation += 1;
      cache.target = await open();
      await old.close();
    },
    async dispose() {
      await dropKeys();
    },
  };
}
