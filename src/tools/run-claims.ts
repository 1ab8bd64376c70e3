/**
 * Claims that make once-only work once-only across every tickerdesk instance: "this Slack delivery has been
 * handled", "a run of NVDA is going on in this channel". In memory for one instance; on Redis (`CACHE_URL`) for
 * several behind a load balancer, so Slack's redelivery of a request to another instance starts no second run.
 */

import type { Config } from '../config.js';
import { type Degradations, processDegradations, STORAGE_CAUSES, storageCause } from '../degradations.js';
import { type Logger, logger as rootLogger } from '../log.js';
import { bounded } from './bounded.js';
import type { RedisClient } from './redis-client.js';
import { type LockCommands, RedisLocks } from './redis-lock.js';
import { redactRedisUrl } from './redis-url.js';

/** A set of claims with expiry, shared by the instances that use the same store. */
export interface ClaimStore {
  /**
   * Claim `key` for `ttlMs` ms. `true` when this caller is the first (it should do the work), `false` when the key is
   * already claimed here or by another instance. Never throws: when the store cannot be reached the claim is
   * granted (fail open: a request is better handled twice than dropped), and the failure is counted and logged.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Give up a claim this instance holds (the work is over), so the key can be claimed again. Never throws. */
  release(key: string): Promise<void>;
  /** Store failures so far (claims granted without asking the store). */
  readonly errors: number;
  /** Close the connection, if any. Idempotent. */
  close(): Promise<void>;
}

/** Claims for a single instance, in memory. */
export function createMemoryClaims(now: () => number = Date.now): ClaimStore {
  const claims = new Map<string, number>();
  return {
    async claim(key, ttlMs) {
      const t = now();
      const expires = claims.get(key);
      if (expires !== undefined && expires > t) return false;
      claims.set(key, t + ttlMs);
      if (claims.size > 10_000) for (const [k, e] of claims) if (e <= t) claims.delete(k);
      return true;
    },
    async release(key) {
      claims.delete(key);
    },
    errors: 0,
    close: async () => undefined,
  };
}

/** Options of {@link createRedisClaims}. */
export interface RedisClaimsOptions {
  /** Prefix of claim keys in Redis. @default `tickerdesk:claim:` */
  prefix?: string;
  /** Bound on connecting and on each command, ms. @default 1000 */
  timeoutMs?: number;
  logger?: Logger;
  /** Where failures are counted and warned once per cause. @default the process's */
  degradations?: Degradations;
}

/** Claims on Redis at `url` (`SET key token NX PX ttl`; released only by the instance that holds them). */
export function createRedisClaims(url: string, options: RedisClaimsOptions = {}): ClaimStore {
  const timeoutMs = options.timeoutMs ?? 1000;
  const log = options.logger ?? rootLogger;
  const degradations = options.degradations ?? processDegradations;
  const label = redactRedisUrl(url);
  // The Redis client's module is loaded here, not where this module is imported (so a process without CACHE_URL
  // never loads it); a claim waits for it outside its time bound, which is for Redis to answer.
  let client: RedisClient | undefined;
  const created: Promise<RedisClient> = import('./redis-client.js').then(({ createRedisClient }) => {
    const c = createRedisClient(url, { connectTimeoutMs: timeoutMs });
    c.on('error', (err: unknown) => log.debug({ err, store: label }, 'Redis claims connection error'));
    client = c;
    return c;
  });
  let connecting: Promise<unknown> | undefined;
  const connected = async (): Promise<LockCommands> => {
    const redis = await created;
    if (!redis.isOpen) {
      connecting ??= redis.connect().finally(() => {
        connecting = undefined;
      });
      await connecting;
    }
    return redis as unknown as LockCommands;
  };
  const locks = new RedisLocks(connected, { prefix: options.prefix ?? 'tickerdesk:claim:' });
  const held = new Map<string, string>();
  let errors = 0;
  let closed = false;

  const withBound = <T>(fn: () => Promise<T>): Promise<T> =>
    bounded(fn, timeoutMs, new Error(`Redis did not answer within ${timeoutMs} ms`));
  const failed = (op: string, key: string, err: unknown) => {
    errors += 1;
    const message = err instanceof Error ? err.message : String(err);
    // Warned once per cause per process (a Redis that is down is one warning, not one per command), all counted.
    const cause = client?.isReady === false ? STORAGE_CAUSES.unreachable : storageCause(err);
    degradations.note(log, {
      part: 'run claims',
      cause,
      message: `Could not ${op} a run claim on Redis at ${label} (${message}); going on as if this instance held it.`,
      fields: { store: label, op, key, claimErrors: errors, detail: message },
    });
  };

  return {
    async claim(key, ttlMs) {
      if (held.has(key)) return false;
      try {
        await created;
        const token = await withBound(() => locks.acquire(key, ttlMs));
        if (token === undefined) return false;
        held.set(key, token);
        return true;
      } catch (err) {
        failed('take', key, err);
        return true;
      }
    },
    async release(key) {
      const token = held.get(key);
      if (token === undefined) return;
      held.delete(key);
      try {
        await created;
        await withBound(() => locks.release(key, token));
      } catch (err) {
        failed('release', key, err);
      }
    },
    get errors() {
      return errors;
    },
    async close() {
      if (closed) return;
      closed = true;
      await created.catch(() => undefined);
      const open = client?.isOpen ? client : undefined;
      if (open) await withBound(() => open.close()).catch(() => open.destroy());
    },
  };
}

/** The claim store `config` asks for: Redis at `config.cacheUrl` when set, else in memory. */
export function openClaimStore(config: Config, logger?: Logger): ClaimStore {
  return config.cacheUrl ? createRedisClaims(config.cacheUrl, logger ? { logger } : {}) : createMemoryClaims();
}
