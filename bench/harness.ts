/**
 * The benchmark's composition: the same parts as the runtime (config, tool gateway over our MCP server spawned over
 * stdio, SQLite tool cache, the writer cache in it, SQLite run log with the run recorder, research service), with the
 * latency model switched on through config and a clearable cache so each cold run really starts cold (no tool
 * answers, no findings, no sections). A second gateway with no cache and
 * one call at a time serves the naive flow.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Config, loadConfig } from '../src/config.js';
import { type Logger, logger as rootLogger } from '../src/log.js';
import { recordRun } from '../src/metrics/recorder.js';
import { type MetricsStore, openMetricsStore } from '../src/metrics/store.js';
import { createResearchService } from '../src/research/pipeline.js';
import { planRequests } from '../src/research/plan.js';
import type { ResearchService, RunResult } from '../src/research/types.js';
import { type CacheEntry, createToolGateway, type McpServerSpec, type ToolCache } from '../src/tools/index.js';
import { serverBundle } from '../src/tools/server-bundle.js';
import type { ToolGateway } from '../src/tools/types.js';
import { cachedWriter } from '../src/writers/cached.js';
import { redisBenchCache, sqliteBenchCache } from './bench-cache.js';
import { CallCounter } from './call-counter.js';
import { benchWriter, TOOL_LATENCY_MS } from './latency.js';

/** A tool cache that never has anything: the naive flow's "no cache". */
export const NO_CACHE: ToolCache = {
  get: async (): Promise<CacheEntry | undefined> => undefined,
  set: async () => undefined,
  errors: 0,
  close: async () => undefined,
};

/** Options of {@link createHarness}. */
export interface HarnessOptions {
  /** Extra node flags for the MCP server process (e.g. `--cpu-prof`). */
  serverNodeFlags?: string[];
  /** Max tool calls in flight per gateway. @default config's TOOL_CONCURRENCY (64) */
  concurrency?: number;
  /** Spawn and warm the MCP servers before returning (as a long-lived instance would be). @default true */
  warm?: boolean;
  /** Run the MCP server from the prebuilt bundle or under tsx. @default 'bundle' (tsx when it cannot be built) */
  loader?: 'bundle' | 'tsx';
  /** Use the Redis cache at this URL instead of a SQLite file. */
  cacheUrl?: string;
}

/** Everything a bench flow needs; `close()` stops the servers and removes the temporary folder. */
export interface Harness {
  config: Config;
  logger: Logger;
  /** The tickerdesk gateway (SQLite cache, single-flight, queue) and its call counter. */
  gateway: ToolGateway;
  counter: CallCounter;
  /** The naive flow's gateway: no cache, one call at a time, and its call counter. */
  naiveGateway: ToolGateway;
  naiveCounter: CallCounter;
  research: ResearchService;
  metrics: MetricsStore;
  /** Which tool cache the tickerdesk gateway uses. */
  cacheKind: 'sqlite' | 'redis';
  /** Empty the tool cache (a cold start for the next run). */
  clearCache(): Promise<void>;
  /** Start a recorded tickerdesk run and wait for its result. */
  run(ticker: string): Promise<RunResult>;
  /** How the MCP server is run. */
  loader: 'bundle' | 'tsx';
  /** How the tickerdesk gateway's MCP server came up (`undefined` when not warmed). */
  warmUp: WarmUp | undefined;
  close(): Promise<void>;
}

/**
 * How the bench spawns our MCP server: from the prebuilt bundle (as the gateway does when it can) or under tsx,
 * with extra node flags (profiling) and the latency model in its environment.
 */
function serverSpec(config: Config, flags: string[], bundle: string | undefined): McpServerSpec {
  const entry = bundle ? [bundle] : ['--import', 'tsx', path.join(import.meta.dirname, '../src/mcp-server/main.ts')];
  return {
    command: process.execPath,
    args: [...flags, ...entry],
    cwd: path.resolve(import.meta.dirname, '..'),
    env: { DATA_DIR: config.dataDir, MCP_TOOL_LATENCY_MS: String(config.tools.latencyMs), LOG_LEVEL: config.logLevel },
  };
}

/** How long the MCP server took to come up, ms. */
export interface WarmUp {
  /** Spawn to the first answer (process start, tsx, module loading, MCP handshake, one call). */
  spawnMs: number;
  /** Then every planned tool once, side by side, on another ticker: the first use of each tool's code path. */
  firstUseMs: number;
}

/**
 * Spawn the server behind `gateway` and run every tool of a research run once on MSFT (fresh, so the cache is
 * neither read nor relied on), as a long-lived instance would have done before the requests that matter.
 */
async function warmUp(gateway: ToolGateway): Promise<WarmUp> {
  const t0 = performance.now();
  await gateway.call({ server: 'tickerdesk', tool: 'get_company_profile', args: { ticker: 'MSFT' } }, { fresh: true });
  const t1 = performance.now();
  await Promise.allSettled(planRequests('MSFT').map((p) => gateway.call(p.request, { fresh: true })));
  return { spawnMs: t1 - t0, firstUseMs: performance.now() - t1 };
}

/** Build the bench's parts in a temporary folder, spawn both MCP servers and warm them with one call each. */
export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-bench-'));
  const config = loadConfig({
    ...process.env,
    TICKERDESK_HOME: home,
    MCP_TOOL_LATENCY_MS: String(TOOL_LATENCY_MS),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    CACHE_URL: '',
    // The flows measured here are the bundled data set's; live providers have their own stand-ins.
    DATA_SOURCE: 'bundled',
  });
  const logger = rootLogger.child({ component: 'bench' }, { level: config.logLevel });
  const bundle = (options.loader ?? 'bundle') === 'bundle' ? await serverBundle(logger) : undefined;
  const servers = { tickerdesk: serverSpec(config, options.serverNodeFlags ?? [], bundle) };
  const concurrency = options.concurrency ?? config.tools.concurrency;
  const tuned = { ...config, tools: { ...config.tools, concurrency } };

  const bench = options.cacheUrl
    ? await redisBenchCache(options.cacheUrl, logger)
    : await sqliteBenchCache(config.cachePath, logger);
  const cache = bench.cache;
  const gateway = await createToolGateway(tuned, { servers, cache, logger });
  const naiveGateway = await createToolGateway(
    { ...config, tools: { ...config.tools, concurrency: 1 } },
    { servers, cache: NO_CACHE, logger },
  );
  const metrics = await openMetricsStore(config.metricsPath);
  // As the runtime does: the writer's findings and sections kept in the tool cache, so `clearCache` empties both.
  const research = createResearchService({
    gateway,
    createWriter: () => cachedWriter(benchWriter(), cache, { logger }),
    eta: metrics,
    logger,
  });
  const warm = options.warm ?? true;
  const warmed = warm ? await warmUp(gateway) : undefined;
  if (warm) await warmUp(naiveGateway);
  const counter = new CallCounter(gateway);
  const naiveCounter = new CallCounter(naiveGateway);

  return {
    config,
    logger,
    gateway,
    counter,
    naiveGateway,
    naiveCounter,
    research,
    metrics,
    warmUp: warmed,
    loader: bundle ? 'bundle' : 'tsx',
    cacheKind: bench.kind,
    async clearCache() {
      await bench.clear();
    },
    async run(ticker: string) {
      const handle = research.start(ticker, { requester: { via: 'bench' } });
      const recorded = recordRun(handle, metrics, { via: 'bench' }, { logger, writer: 'template' });
      const result = await handle.result;
      await recorded;
      return result;
    },
    async close() {
      counter.stop();
      naiveCounter.stop();
      await Promise.allSettled([gateway.close(), naiveGateway.close()]);
      await metrics.close().catch(() => undefined);
      await bench.dispose().catch((err: unknown) => logger.warn({ err }, 'could not remove the bench cache keys'));
      rmSync(home, { recursive: true, force: true });
    },
  };
}
