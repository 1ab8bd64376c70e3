/**
 * Which tool cache a gateway gets: the shared Redis cache when `CACHE_URL` is set (several instances, one cache,
 * cross-process single-flight), else the SQLite file at `CACHE_PATH` (one machine). The Redis cache's module (and
 * the Redis client under it) is loaded only when `CACHE_URL` is set.
 */
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { createSqliteCache, type SqliteCacheOptions, type ToolCache } from './cache.js';

/**
 * Open the tool cache `config` asks for: Redis at `config.cacheUrl` when set (an unreachable Redis is logged and
 * counted; runs go on uncached), else the SQLite file at `config.cachePath`; bounded by `config.cacheTimeouts`
 * (`options` win, for tests); large entries compressed as `config.cacheCompression` says. Never throws.
 * A waiting instance gives up on another instance's call after the longest that call may take:
 * `TOOL_TIMEOUT_MS × (TOOL_RETRIES + 1)` plus 5 s of backoff.
 */
export async function openToolCache(
  config: Config,
  options: SqliteCacheOptions & { logger: Logger },
): Promise<ToolCache> {
  if (config.cacheUrl) {
    const { busyTimeout: _unused, ...keyvOptions } = options;
    const { createRedisCache } = await import('./cache-redis.js');
    return createRedisCache(config.cacheUrl, {
      maxWaitMs: config.tools.timeoutMs * (config.tools.retries + 1) + 5000,
      connectTimeoutMs: config.cacheTimeouts.connectMs,
      opTimeoutMs: config.cacheTimeouts.opMs,
      compression: config.cacheCompression,
      ...keyvOptions,
    });
  }
  return createSqliteCache(config.cachePath, {
    opTimeoutMs: config.cacheTimeouts.opMs,
    compression: config.cacheCompression,
    ...options,
  });
}
