/**
 * The shared tool cache for several tickerdesk instances: the same {@link ToolCache} contract and TTLs as the SQLite
 * cache, on Redis through `@keyv/redis`, plus single-flight across processes. On a miss, a caller takes a short
 * Redis lock on the key (`SET NX PX`) and calls the tool; callers in other processes that find the lock taken wait
 * for the answer to appear in the cache (the rendezvous), polling it, and call the tool themselves only if the
 * holder goes away (its lock expires or is released without an answer). The holder keeps its lock alive while its
 * call runs and releases it as soon as the answer is written.
 *
 * Redis is an optimisation, never a dependency: a refused or silent connection is detected within
 * `connectTimeoutMs` (1 s), counted in {@link ToolCache.errors}, logged, and the run carries on uncached.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import Keyv from 'keyv';
import { type Degradations, processDegradations, STORAGE_CAUSES, storageCause, storageHint } from '../degradations.js';
import { type Logger, logger as rootLogger } from '../log.js';
import { bounded } from './bounded.js';
import { type CacheEntry, KeyvToolCache, type KeyvToolCacheOptions, type ToolCache } from './cache.js';
import { type CacheCompressionOptions, cacheCompression } from './cache-compression.js';
import { SingleConnectKeyvRedis } from './keyv-redis-single-connect.js';
import { createRedisClient, redactRedisUrl } from './redis-client.js';
import { type LockCommands, RedisLocks } from './redis-lock.js';

/** Options of {@link createRedisCache}. */
export interface RedisCacheOptions extends KeyvToolCacheOptions {
  /** Bound on connecting to Redis, ms (also each get/set unless `opTimeoutMs` says otherwise). @default 1000 */
  connectTimeoutMs?: number;
  /** Prefix of cache keys in Redis. @default `tickerdesk:tools` */
  namespace?: string;
  /** Prefix of lock keys in Redis. @default `tickerdesk:lock:` */
  lockPrefix?: string;
  /** Lifetime of a key's lock unless its holder extends it, ms. @default 5000 */
  lockTtlMs?: number;
  /** How often a waiting caller looks for the holder's answer, ms. @default 25 */
  pollMs?: number;
  /**
   * Longest a caller waits for another instance's answer, and longest a holder keeps its lock alive, ms; after it
   * the caller calls the tool itself. Set it to the longest a tool call may take (timeout × attempts). @default 60000
   */
  maxWaitMs?: number;
  /** How large entries are compressed (`CACHE_COMPRESSION`). @default brotli, entries from 1024 bytes */
  compression?: CacheCompressionOptions;
}

/** Cross-process single-flight counters of a {@link RedisToolCache}. */
export interface LockStats {
  /** Locks taken (this process called the tool for the key). */
  acquired: number;
  /** Misses that waited for another instance's answer. */
  waited: number;
  /** Of those, answers found in the cache. */
  joined: number;
  /** Waits given up after `maxWaitMs` (the tool was then called here). */
  timeouts: number;
  /** Lock commands that failed (Redis unreachable); the call went ahead without a lock. */
  errors: number;
}

interface Held {
  token: string;
  timer: NodeJS.Timeout;
}

class LockTimeoutError extends Error {
  constructor(op: string, ms: number) {
    super(`Redis lock ${op} did not finish within ${ms} ms`);
    this.name = 'LockTimeoutError';
  }
}

/**
 * The Redis-backed {@link ToolCache} with cross-process single-flight. Build it with {@link createRedisCache}.
 * Within one process, concurrent reads of one key share one lookup, and a key whose lock this process holds
 * answers "miss" at once, so the gateway's in-process single-flight joins the call already under way.
 */
export class RedisToolCache implements ToolCache {
  readonly #inner: ToolCache;
  readonly #locks: RedisLocks;
  readonly #log: Logger;
  readonly #label: string;
  readonly #degradations: Degradations;
  readonly #connected: () => boolean;
  readonly #opTimeoutMs: number;
  readonly #cooldownMs: number;
  readonly #pollMs: number;
  readonly #maxWaitMs: number;
  readonly #held = new Map<string, Held>();
  readonly #reads = new Map<string, Promise<CacheEntry | undefined>>();
  readonly #stats: LockStats = { acquired: 0, waited: 0, joined: 0, timeouts: 0, errors: 0 };
  #bypassLocksUntil = 0;
  #closed = false;

  constructor(
    inner: ToolCache,
    locks: RedisLocks,
    options: {
      logger: Logger;
      label: string;
      degradations: Degradations;
      /** Whether the Redis connection is up (the client's `isReady`). */
      connected: () => boolean;
      opTimeoutMs: number;
      cooldownMs: number;
      pollMs: number;
      maxWaitMs: number;
    },
  ) {
    this.#inner = inner;
    this.#locks = locks;
    this.#log = options.logger;
    this.#label = options.label;
    this.#degradations = options.degradations;
    this.#connected = options.connected;
    this.#opTimeoutMs = options.opTimeoutMs;
    this.#cooldownMs = options.cooldownMs;
    this.#pollMs = options.pollMs;
    this.#maxWaitMs = options.maxWaitMs;
  }

  /** Cache failures (reads, writes, connection) plus lock failures. */
  get errors(): number {
    return this.#inner.errors + this.#stats.errors;
  }

  /** Cross-process single-flight counters so far. */
  lockStats(): LockStats {
    return { ...this.#stats };
  }

  /**
   * The entry under `key`; on a miss, either a lock on `key` for this process (answers `undefined`: call the tool,
   * then {@link set}) or, when another instance holds it, that instance's answer once it lands in the cache.
   */
  get(key: string): Promise<CacheEntry | undefined> {
    const pending = this.#reads.get(key);
    if (pending) return pending;
    const read = this.#read(key).finally(() => this.#reads.delete(key));
    this.#reads.set(key, read);
    return read;
  }

  /** Store the answer for `ttlMs`, then release this process's lock on `key` (if it holds one). */
  async set(key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    try {
      await this.#inner.set(key, entry, ttlMs);
    } finally {
      await this.release(key);
    }
  }

  /**
   * Release this process's lock on `key` without an answer (the call failed), so a waiting instance takes over at
   * once instead of at the lock's expiry. No-op when this process holds no lock on `key`.
   */
  async release(key: string): Promise<void> {
    const held = this.#held.get(key);
    if (!held) return;
    this.#held.delete(key);
    clearInterval(held.timer);
    try {
      await this.#bounded('release', () => this.#locks.release(key, held.token));
    } catch (err) {
      this.#lockFailed('release', err);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#held.keys()].map((key) => this.release(key)));
    await this.#inner.close();
  }

  async #read(key: string): Promise<CacheEntry | undefined> {
    const failures = this.#inner.errors;
    const entry = await this.#inner.get(key);
    if (entry || this.#closed || this.#held.has(key) || Date.now() < this.#bypassLocksUntil) return entry;
    // A cache that just failed (unreachable, unreadable entry) cannot be a rendezvous: call the tool directly.
    if (this.#inner.errors > failures) return undefined;
    const deadline = Date.now() + this.#maxWaitMs;
    let waiting = false;
    for (;;) {
      let token: string | undefined;
      try {
        token = await this.#bounded('acquire', () => this.#locks.acquire(key));
      } catch (err) {
        this.#lockFailed('acquire', err);
        return undefined;
      }
      if (token !== undefined) {
        // The holder may have written its answer and let go between our read and our lock: look once more.
        const landed = await this.#inner.get(key);
        if (landed) {
          await this.#bounded('release', () => this.#locks.release(key, token)).catch((e) =>
            this.#lockFailed('release', e),
          );
          if (waiting) this.#stats.joined += 1;
          return landed;
        }
        this.#hold(key, token);
        return undefined;
      }
      if (!waiting) {
        waiting = true;
        this.#stats.waited += 1;
      }
      if (Date.now() >= deadline || this.#closed) {
        this.#stats.timeouts += 1;
        this.#log.warn(
          { cache: this.#label, key, waitedMs: this.#maxWaitMs },
          'Another tickerdesk instance has held this tool call for too long; calling the tool here.',
        );
        return undefined;
      }
      await sleep(this.#pollMs);
      const answer = await this.#inner.get(key);
      if (answer) {
        this.#stats.joined += 1;
        return answer;
      }
    }
  }

  /** Keep the lock on `key` alive (extend at half its TTL) until released or `maxWaitMs` has passed. */
  #hold(key: string, token: string): void {
    this.#stats.acquired += 1;
    const until = Date.now() + this.#maxWaitMs;
    const timer = setInterval(
      () => {
        if (Date.now() >= until) {
          clearInterval(timer);
          if (this.#held.get(key)?.token === token) this.#held.delete(key);
          return;
        }
        this.#bounded('extend', () => this.#locks.extend(key, token)).catch((err) => this.#lockFailed('extend', err));
      },
      Math.max(50, Math.floor(this.#locks.ttlMs / 2)),
    );
    timer.unref();
    this.#held.set(key, { token, timer });
  }

  #bounded<T>(op: string, fn: () => Promise<T>): Promise<T> {
    return bounded(fn, this.#opTimeoutMs, new LockTimeoutError(op, this.#opTimeoutMs));
  }

  #lockFailed(op: string, err: unknown): void {
    this.#stats.errors += 1;
    const message = err instanceof Error ? err.message : String(err);
    // Judged by the connection: one slow lock command on a live connection costs that call its lock, nothing more.
    const down = !this.#connected();
    const cause = down ? STORAGE_CAUSES.unreachable : storageCause(err);
    if (down || cause !== STORAGE_CAUSES.slow) this.#bypassLocksUntil = Date.now() + this.#cooldownMs;
    // The same Redis as the cache: a Redis that is down is one warning, whichever noticed it first.
    this.#degradations.note(this.#log, {
      part: 'tool cache',
      cause,
      message: `Redis lock ${op} at ${this.#label} ${cause} (${message}); tool calls go ahead without cross-instance de-duplication for now: ${storageHint(cause, this.#label)}.`,
      fields: { cache: this.#label, op, lockErrors: this.#stats.errors, err: message },
    });
  }
}

/**
 * Open the shared tool cache on the Redis server at `url` (`CACHE_URL`, e.g. `redis://127.0.0.1:6379`). Keys live
 * under `tickerdesk:tools::…` with the tools' TTLs (Redis expires them); locks under `tickerdesk:lock:…`.
 * Never throws: an unreachable Redis gives a cache that counts the failure, logs it and misses (it retries after the
 * cool-down, so the cache comes back with Redis).
 * @example
 * const cache = await createRedisCache('redis://127.0.0.1:6379');
 * const gateway = await createToolGateway(config, { cache });
 */
export async function createRedisCache(url: string, options: RedisCacheOptions = {}): Promise<RedisToolCache> {
  const log = options.logger ?? rootLogger;
  const degradations = options.degradations ?? processDegradations;
  const label = options.label ?? redactRedisUrl(url);
  const connectTimeoutMs = options.connectTimeoutMs ?? 1000;
  const opTimeoutMs = options.opTimeoutMs ?? connectTimeoutMs;
  const cooldownMs = options.cooldownMs ?? 5000;
  const client = createRedisClient(url, { connectTimeoutMs });
  const namespace = options.namespace ?? 'tickerdesk:tools';
  const store = new SingleConnectKeyvRedis(client, {
    namespace,
    connectionTimeout: connectTimeoutMs,
    throwOnConnectError: true,
    throwOnErrors: true,
  });
  const connected = () => client.isReady;
  const compression = await cacheCompression(options.compression);
  const keyvOptions = { namespace, useKeyPrefix: false, ...(compression ? { compression } : {}) };
  const inner = new KeyvToolCache(() => new Keyv(store, keyvOptions), {
    logger: log,
    label,
    degradations,
    connected,
    opTimeoutMs,
    cooldownMs,
  });
  const locks = new RedisLocks(async () => (await store.getClient()) as unknown as LockCommands, {
    ...(options.lockPrefix === undefined ? {} : { prefix: options.lockPrefix }),
    ttlMs: options.lockTtlMs ?? 5000,
  });
  const cache = new RedisToolCache(inner, locks, {
    logger: log,
    label,
    degradations,
    connected,
    opTimeoutMs,
    cooldownMs,
    pollMs: options.pollMs ?? 25,
    maxWaitMs: options.maxWaitMs ?? 60_000,
  });
  // Connect now: an unreachable Redis is told at start (within connectTimeoutMs, warned once), not on the first run.
  await inner.get('__open__');
  return cache;
}
