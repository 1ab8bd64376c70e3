/**
 * Which tool cache a gateway gets: the shared Redis cache when `CACHE_URL` is set (several instances, one cache,
 * cross-process single-flight), else the SQLite file at `CACHE_PATH` (one machine).
 */
import type { Config } from '../config.js';
import { ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import { createSqliteCache, type SqliteCacheOptions, type ToolCache } from './cache.js';
import { createRedisCache, RedisToolCache } from './cache-redis.js';
import type { ToolGateway } from './types.js';

/**
 * Open the tool cache `config` asks for: Redis at `config.cacheUrl` when set (an unreachable Redis is logged and
 * counted; runs go on uncached), else the SQLite file at `config.cachePath`. Never throws.
 * A waiting instance gives up on another instance's call after the longest that call may take:
 * `TOOL_TIMEOUT_MS × (TOOL_RETRIES + 1)` plus 5 s of backoff.
 */
export async function openToolCache(
  config: Config,
  options: SqliteCacheOptions & { logger: Logger },
): Promise<ToolCache> {
  if (config.cacheUrl) {
    const { busyTimeout: _unused, ...keyvOptions } = options;
    return createRedisCache(config.cacheUrl, {
      maxWaitMs: config.tools.timeoutMs * (config.tools.retries + 1) + 5000,
      ...keyvOptions,
    });
  }
  return createSqliteCache(config.cachePath, options);
}

/** Errors that mean the caller stopped waiting, not that the shared call failed (it goes on and fills the cache). */
const CALLER_GAVE_UP = new Set<string>(['aborted', ErrorCode.Cancelled]);

/**
 * With a Redis cache, release this instance's lock on a key as soon as the call it led fails without an answer,
 * so a waiting instance takes over at once rather than when the lock runs out. No-op for other caches.
 */
export function releaseLocksOnFailure(gateway: ToolGateway, cache: ToolCache): void {
  if (!(cache instanceof RedisToolCache)) return;
  gateway.onMetric((metric) => {
    if (metric.cache === 'miss' && metric.error && !CALLER_GAVE_UP.has(metric.error.code))
      void cache.release(metric.key);
  });
}
