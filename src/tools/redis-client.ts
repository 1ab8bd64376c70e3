/**
 * The Redis connection used by tickerdesk's shared cache, cross-process locks and run claims: an `@redis/client`
 * client (as bundled with `@keyv/redis`) that fails fast when Redis is unreachable instead of queueing commands.
 */
import { createClient } from '@keyv/redis';

/** Options of {@link createRedisClient}. */
export interface RedisClientOptions {
  /** Bound on opening the TCP connection, ms. @default 1000 */
  connectTimeoutMs?: number;
  /** Largest pause between reconnection attempts after a lost connection, ms. @default 2000 */
  maxReconnectDelayMs?: number;
}

/** A Redis client as returned by {@link createRedisClient}. */
export type RedisClient = ReturnType<typeof createClient>;

/**
 * A (not yet connected) Redis client for `url` (`redis://[:password@]host:port[/db]`). Commands sent while the
 * connection is down reject at once (no offline queue), so a dead Redis costs one error, not a hang; a lost
 * connection is retried with capped exponential backoff.
 */
export function createRedisClient(url: string, options: RedisClientOptions = {}): RedisClient {
  const maxDelay = options.maxReconnectDelayMs ?? 2000;
  return createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: options.connectTimeoutMs ?? 1000,
      reconnectStrategy: (retries: number) => Math.min(2 ** retries * 100, maxDelay),
    },
  });
}

export { redactRedisUrl } from './redis-url.js';
