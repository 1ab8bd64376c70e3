/**
 * Request starts to one upstream host, spaced across processes and instances: the clock is cut into slots of
 * 1000 / perSecond ms and each slot admits one request start, claimed with rate-limiter-flexible's atomic counter
 * (`consume` of the slot's key, one point) — in Redis (`RateLimiterRedis`, keys `tickerdesk:upstream:<name>:<slot>`)
 * when a Redis URL is given, so every data server sharing that Redis shares the limit, else in this process
 * (`RateLimiterMemory`). A request whose slot is taken waits for the next slot. So starts average at most
 * `perSecond` per second and any 1000 ms holds at most `perSecond + 1` (SEC: `SEC_MAX_RPS` 9 gives at most its
 * 10), whatever the number of instances.
 *
 * Redis that cannot be reached (refused, down, slow past the connect timeout) costs no request: the slot is claimed
 * in process instead, `onDegraded` is told (once per outage start; the caller warns once per process), and Redis is
 * tried again after `retryRedisMs`.
 *
 * A closed limiter admits no more starts: `acquire` rejects with {@link UpstreamClosedError}, also for a caller already
 * waiting for a slot. The data server closes it when it stops, and goes on for up to 2 s with the work it had queued
 * (background Form 4 fetches); those requests, whose answers nobody reads, counted against no shared limit when a
 * closed limiter claimed its slots in this process, and each finishing instance sent its queue at its own 9 a second
 * beside the others' (tried with 10 CLI runs sharing Redis: up to 29 SEC requests in a second, 159 answered 429).
 *
 * rate-limiter-flexible and the Redis client (about 460 files between them) are loaded on the first `acquire`, not
 * when the limiter is built: the data server builds it at start and should answer `tools/list` without them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { RedisClient } from '../../tools/redis-client.js';
import { redactRedisUrl } from '../../tools/redis-url.js';
import { UpstreamClosedError } from './errors.js';

/** Waits for the right to start one request. */
export interface StartLimiter {
  /**
   * Resolve when a request may start now.
   * @throws the abort reason when `signal` aborts first; {@link UpstreamClosedError} once the limiter is closed.
   */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Where the limit is kept: `redis` (shared) or `memory` (this process). */
  readonly shared: boolean;
  /** Close the Redis connection, if any; no request starts through this limiter after it. */
  close(): Promise<void>;
}

/** Options of {@link createStartLimiter}. */
export interface StartLimiterOptions {
  /** Name of the limited host or group, part of the key (`sec`). */
  name: string;
  /** Most request starts per second, on average. */
  perSecond: number;
  /** `redis://…`: share the limit through this Redis; absent: this process only. */
  redisUrl?: string;
  /** Told when Redis cannot be used and the limit falls back to this process (the message says so). */
  onDegraded?: (message: string, err: unknown) => void;
  /** How long after a Redis failure the in-process limit is used before Redis is tried again, ms. @default 5000 */
  retryRedisMs?: number;
  /** Bound on connecting to Redis, ms. @default 1000 */
  connectTimeoutMs?: number;
}

/** Build a {@link StartLimiter} (see the module comment). */
export function createStartLimiter(options: StartLimiterOptions): StartLimiter {
  const slotMs = 1000 / options.perSecond;
  let loading: Promise<Limiters> | undefined;
  let closed = false;
  let redisPausedUntil = 0;

  /** The limiters, built on first use (see the module comment). */
  async function load(): Promise<Limiters> {
    // A CommonJS package: its exports are the namespace's `default` under Node and in the data server's bundle alike
    // (the bundle's chunk of it exports nothing else).
    const { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } = (await import('rate-limiter-flexible')).default;
    const memory = new RateLimiterMemory({ points: 1, duration: 1, keyPrefix: `upstream:${options.name}` });
    const taken = (err: unknown) => err instanceof RateLimiterRes;
    if (!options.redisUrl || closed) return { memory, taken, redis: undefined };
    const { createRedisClient } = await import('../../tools/redis-client.js');
    const client = createRedisClient(options.redisUrl, { connectTimeoutMs: options.connectTimeoutMs ?? 1000 });
    // Failures reach the commands (no offline queue); the client's own error events are expected while it is down.
    client.on('error', () => undefined);
    const limiter = new RateLimiterRedis({
      storeClient: client,
      useRedisPackage: true,
      keyPrefix: `tickerdesk:upstream:${options.name}`,
      points: 1,
      duration: 1,
    });
    return { memory, taken, redis: { client, limiter, firstConnect: undefined } };
  }

  /**
   * Ready to use Redis, or throws: the first use waits up to the connect timeout for the connection; later ones do
   * not wait (while the client reconnects in the background, the in-process limit is used).
   */
  async function connected(r: RedisLimiter): Promise<void> {
    if (r.client.isReady) return;
    r.firstConnect ??= Promise.race([
      r.client.connect().catch(() => undefined),
      sleep(options.connectTimeoutMs ?? 1000),
    ]);
    await r.firstConnect;
    if (!r.client.isReady) throw new Error('not connected');
  }

  const url = options.redisUrl ? redactRedisUrl(options.redisUrl) : '';

  /** The slot the clock is in now. */
  const slotNow = () => Math.floor(Date.now() / slotMs);

  /** Claim nothing in Redis for `retryRedisMs` (the in-process limit applies), and say why. */
  function degrade(err: unknown): void {
    redisPausedUntil = Date.now() + (options.retryRedisMs ?? 5000);
    options.onDegraded?.(
      `Redis at ${url} could not be reached for the shared ${options.name} request limit; this data server limits its own requests instead (other instances are not counted) and tries Redis again in ${Math.round((options.retryRedisMs ?? 5000) / 1000)} s.`,
      err,
    );
  }

  /**
   * Claim the slot the clock is in when the claim is sent: the slot tried, and whether this caller has it. The slot
   * is read after the wait for Redis's connection (a first use waits up to the connect timeout): read before it, a
   * slot that had passed meanwhile was claimed, and the next slot's start followed at once, so each data server's
   * first two SEC requests went together (10 CLI runs at once sharing Redis: 2 of 178 requests answered 429).
   */
  async function claim({ memory, taken, redis }: Limiters): Promise<{ slot: number; claimed: boolean }> {
    if (redis && Date.now() >= redisPausedUntil) {
      let slot: number | undefined;
      try {
        await connected(redis);
        slot = slotNow();
        await redis.limiter.consume(String(slot));
        return { slot, claimed: true };
      } catch (err) {
        if (slot !== undefined && taken(err)) return { slot, claimed: false };
        // Closed while claiming: its connection is gone, not Redis.
        if (closed) throw new UpstreamClosedError(options.name);
        degrade(err);
      }
    }
    const slot = slotNow();
    try {
      await memory.consume(String(slot));
      return { slot, claimed: true };
    } catch (err) {
      if (taken(err)) return { slot, claimed: false };
      throw err;
    }
  }

  return {
    get shared() {
      return options.redisUrl !== undefined && !closed && Date.now() >= redisPausedUntil;
    },
    async acquire(signal) {
      if (closed) throw new UpstreamClosedError(options.name);
      loading ??= load();
      const limiters = await loading;
      for (;;) {
        signal?.throwIfAborted();
        if (closed) throw new UpstreamClosedError(options.name);
        const { slot, claimed } = await claim(limiters);
        if (claimed) return;
        const wait = Math.max(1, (slot + 1) * slotMs - Date.now());
        await sleep(wait, undefined, signal ? { signal } : undefined);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      const client = loading ? (await loading).redis?.client : undefined;
      if (client?.isOpen) await client.close().catch(() => client.destroy());
    },
  };
}

/** The Redis side of a limiter: its client, the shared counter and the first connection attempt. */
interface RedisLimiter {
  client: RedisClient;
  limiter: RateLimiterRedis;
  firstConnect: Promise<unknown> | undefined;
}

/** What {@link createStartLimiter} loads on first use. */
interface Limiters {
  /** The in-process counter (no Redis, or Redis unreachable). */
  memory: RateLimiterMemory;
  /** Whether a `consume` rejection means "slot taken" (rate-limiter-flexible's `RateLimiterRes`), not a failure. */
  taken: (err: unknown) => boolean;
  redis: RedisLimiter | undefined;
}
