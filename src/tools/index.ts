/**
 * The tool gateway's entry point: {@link createToolGateway} mounts our MCP data server (and any others in config)
 * behind a cache, single-flight, a concurrency-limited queue, timeouts and retries. The research pipeline touches
 * data only through the {@link ToolGateway} it returns.
 */
import path from 'node:path';
import { distIsCurrent, SERVER_BUNDLE } from '../../bin/dist.mjs';
import { type Config, REPO_ROOT } from '../config.js';
import { type Logger, logger as rootLogger } from '../log.js';
import { serverEntryPath } from '../mcp-server/entry.js';
import type { SqliteCacheOptions, ToolCache } from './cache.js';
import { openToolCache } from './cache-factory.js';
import { dataScope } from './data-scope.js';
import { McpToolGateway } from './gateway.js';
import { McpServerClient, type McpServerSpec } from './mcp-client.js';
import { serverBundle } from './server-bundle.js';
import { dataServerEnv } from './server-env.js';
import type { ToolGateway } from './types.js';

export { answeredFrom } from './answered-from.js';
export {
  type CacheEntry,
  createSqliteCache,
  KeyvToolCache,
  type KeyvToolCacheOptions,
  type SqliteCacheOptions,
  type ToolCache,
} from './cache.js';
export { openToolCache } from './cache-factory.js';
export { cacheKey, canonicalArgs } from './cache-key.js';
// Types only: the Redis cache's module loads the Redis client, so it is imported from `./cache-redis.js` where it is
// used (`openToolCache` loads it only with CACHE_URL), never through this entry point.
export type { LockStats, RedisCacheOptions, RedisToolCache } from './cache-redis.js';
export { dataScope } from './data-scope.js';
export { McpConnectionError } from './errors.js';
export { McpToolGateway } from './gateway.js';
export { McpServerClient, type McpServerSpec } from './mcp-client.js';
export {
  type ClaimStore,
  createMemoryClaims,
  createRedisClaims,
  openClaimStore,
  type RedisClaimsOptions,
} from './run-claims.js';
export { dataServerEnv } from './server-env.js';
export { DEFAULT_TTL_MS, FALLBACK_TTL_MS, ttlFor } from './ttl.js';
export type * from './types.js';
export { type WarmUpReport, warmUpGateway } from './warm-up.js';

/** Name under which our own data server is mounted. */
export const TICKERDESK_SERVER = 'tickerdesk';

/** Entry file of our MCP data server (`src/mcp-server/main.ts`), run with `node --import tsx`. */
export const TICKERDESK_SERVER_ENTRY = serverEntryPath;

/**
 * How to spawn our MCP data server: this Node binary in the repository root, with every variable the server reads
 * (`DATA_DIR`, `MCP_TOOL_LATENCY_MS`, `LOG_LEVEL`, `CACHE_URL`, the live data settings) written from `config` and
 * nothing else of the app's (`./server-env.ts`); running
 * `compiled` (JavaScript: the server's one-file build in `dist/` or one built now, see {@link compiledServerEntry}) with
 * source maps when given, else the TypeScript entry under the tsx loader.
 */
export function tickerdeskServerSpec(config: Config, compiled?: string): McpServerSpec {
  return {
    command: process.execPath,
    args: compiled ? ['--enable-source-maps', compiled] : ['--import', 'tsx', TICKERDESK_SERVER_ENTRY],
    cwd: REPO_ROOT,
    env: dataServerEnv(config),
  };
}

/** Options for {@link createToolGateway}. */
export interface CreateToolGatewayOptions {
  /** Extra or replacement servers by name (added after `tickerdesk` and `config.mcpServers`). */
  servers?: Record<string, McpServerSpec>;
  /** Cache backend. @default Redis at `config.cacheUrl` when set, else the SQLite file at `config.cachePath` */
  cache?: ToolCache;
  /** Tuning of the default SQLite cache (operation timeout, cool-down after a failure, busy timeout). */
  cacheOptions?: SqliteCacheOptions;
  /** @default the root logger, child `{ component: 'tools' }` */
  logger?: Logger;
  /** TTL (validity) overrides, ms, by tool name (`get_price_history`) or `server/tool`. */
  ttlMs?: Partial<Record<string, number>>;
  /** Grace window overrides (stale-while-revalidate), ms, by tool name or `server/tool`. */
  graceMs?: Partial<Record<string, number>>;
  /** The clock that judges the cache's freshness, epoch ms (tests move it). @default Date.now */
  now?: () => number;
  /** First retry delay, ms (then doubled, times a random 1–2). @default 200 */
  retryMinMs?: number;
  /** Bound on spawning a server and the MCP handshake, ms. @default 30000 */
  connectTimeoutMs?: number;
  /** Most background calls (smart prefetch) in flight at once. @default `BACKGROUND_CONCURRENCY` (2) */
  backgroundConcurrency?: number;
  /**
   * Spawn our data server as one bundled ES module ({@link compiledServerEntry}: `dist/`'s when current, else one
   * built now; it answers `tools/list` in a fraction of tsx's time), falling back to tsx. @default true
   */
  serverBundle?: boolean;
}

/**
 * The compiled entry of our MCP data server, bundled into one ES module with the packages it uses (see
 * `bin/bundle-server.mjs`): `dist/mcp-server/bundle/main.mjs` when `dist/` was built from the current sources (`npm
 * run build`), else a bundle built now from them (`server-bundle.ts`, rebuilt when a source changes), else
 * `undefined` (then the server runs under tsx). Never a stale `dist/`.
 */
export async function compiledServerEntry(logger: Logger): Promise<string | undefined> {
  if (distIsCurrent(REPO_ROOT)) return path.join(REPO_ROOT, SERVER_BUNDLE);
  return serverBundle(logger);
}

/**
 * Build the tool gateway. Servers are spawned lazily, on their first call (which is also when our server's compiled
 * entry is looked for); the SQLite cache file (and its folder) is created now. Our server's answers are cached under
 * the fingerprint of the data settings they depend on ({@link dataScope}), so changing them never serves an answer
 * made under other settings. Never fails because of the cache: a broken cache file gives a gateway that calls tools directly.
 * Call `close()` when done (it stops the server processes).
 * @example
 * const gateway = await createToolGateway(loadConfig());
 * const profile = await gateway.call({ server: 'tickerdesk', tool: 'get_company_profile', args: { ticker: 'NVDA' } });
 * await gateway.close();
 */
export async function createToolGateway(config: Config, options: CreateToolGatewayOptions = {}): Promise<ToolGateway> {
  const logger = options.logger ?? rootLogger.child({ component: 'tools' });
  const specs: Record<string, McpServerSpec> = {
    ...config.mcpServers,
    ...options.servers,
  };
  const ours = async () =>
    tickerdeskServerSpec(config, options.serverBundle === false ? undefined : await compiledServerEntry(logger));
  const clients = new Map<string, McpServerClient>();
  for (const [name, spec] of Object.entries({ [TICKERDESK_SERVER]: ours, ...specs })) {
    clients.set(
      name,
      new McpServerClient(name, spec, {
        logger,
        ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
      }),
    );
  }
  const cache = options.cache ?? (await openToolCache(config, { logger, ...options.cacheOptions }));
  return new McpToolGateway({
    clients,
    // Our server's answers are cached per data settings (a server passed in `options.servers` under our name too).
    keyScopes: { [TICKERDESK_SERVER]: dataScope(config) },
    cache,
    logger,
    concurrency: config.tools.concurrency,
    timeoutMs: config.tools.timeoutMs,
    retries: config.tools.retries,
    ...(options.ttlMs ? { ttlMs: options.ttlMs } : {}),
    ...(options.graceMs ? { graceMs: options.graceMs } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.retryMinMs === undefined ? {} : { retryMinMs: options.retryMinMs }),
    backgroundConcurrency: options.backgroundConcurrency ?? config.tools.backgroundConcurrency,
  });
}
