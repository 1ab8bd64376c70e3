/**
 * The composition root shared by the CLI and the Slack app: config in; the tool gateway, the run log, the writer
 * choice and the research service out. Every run started through `runtime.research` is recorded by the metrics
 * recorder, and rejected input is recorded as a rejection (and nothing else).
 */
import type { Tool } from '@anthropic-ai/sdk/resources/messages/messages.js';
import type { Config } from './config.js';
import { type DegradationCounts, type Degradations, processDegradations } from './degradations.js';
import { ConfigError, ErrorCode, InvalidInputError, TickerdeskError } from './errors.js';
import { type Logger, logger as rootLogger } from './log.js';
import { recordRun } from './metrics/recorder.js';
import { openRunLog } from './metrics/run-log.js';
import type { MetricsStore } from './metrics/store.js';
import type { SmartPrefetcher } from './prefetch/smart-prefetch.js';
import { createResearchService } from './research/pipeline.js';
import type { Requester, ResearchService, RunHandle, StartOptions } from './research/types.js';
import type { CacheFootprint } from './tools/cache-footprint.js';
import { type CreateToolGatewayOptions, createToolGateway, openToolCache, type ToolCache } from './tools/index.js';
import type { ToolGateway } from './tools/types.js';
import { cachedWriter } from './writers/cached.js';
import { createTemplateWriter } from './writers/template/index.js';
import type { Writer } from './writers/types.js';

/** Writer names a caller may ask for. */
export type WriterChoice = 'template' | 'claude';

/** Options of {@link createRuntime}. */
export interface RuntimeOptions {
  /** @default the root logger */
  logger?: Logger;
  /** Overrides `config.writer` (`--writer` in the CLI). */
  writer?: WriterChoice;
  /** Passed to `createToolGateway` (tests mount stand-in servers or caches this way). */
  gatewayOptions?: CreateToolGatewayOptions;
  /**
   * Replaces the writer {@link selectWriter} would choose (tests count writer calls this way); it is still wrapped in
   * the writer cache.
   */
  writerFactory?: { name: string; create: () => Writer };
  /** Where storage problems are counted and warned once per cause. @default the process's */
  degradations?: Degradations;
  /**
   * Smart prefetch after each finished report (`PREFETCH_PEERS` peers and older quarters, in the background): for a
   * long-running process (the Slack app); a CLI run ends before it would pay off. @default false
   */
  smartPrefetch?: boolean;
  /**
   * With the Claude writer, send the follow-up answerer's tools with the writer's calls (never used), so follow-ups
   * read the run's cached prefix: for the Slack app, which answers follow-ups. @default false
   */
  followUpTools?: boolean;
  /**
   * Called with a run's id once its final record is written (or could not be): operations code reads it from
   * `metrics` then (the Slack app's alerts). Errors it throws are logged, never reach the run.
   */
  onRecorded?: (runId: string) => void | Promise<void>;
}

/** Everything a front end needs. */
export interface Runtime {
  config: Config;
  gateway: ToolGateway;
  metrics: MetricsStore;
  /** Starts runs; every run is recorded in `metrics`, rejected input as a rejection. */
  research: ResearchService;
  /** Name of the writer runs use (`template` or `claude`). */
  writerName: string;
  /**
   * What the tool cache holds, measured as `/perf` measures it (`cacheFootprint`, without decompressing: entries and
   * stored bytes, SQLite or Redis); undefined when the cache cannot be read. Never throws.
   */
  cacheSize(): Promise<CacheFootprint | undefined>;
  /** The smart prefetcher, when {@link RuntimeOptions.smartPrefetch} is on and `PREFETCH_PEERS` > 0. */
  prefetcher?: SmartPrefetcher;
  /** Cancel runs still going, wait for their records, close the gateway (stops MCP servers) and the run log. */
  close(): Promise<void>;
}

/** How long `close()` waits for the records of runs still going, ms. */
const CLOSE_RECORDS_WAIT_MS = 5000;

/**
 * Pick the writer for runs: the single place where the writer is chosen.
 * `choice` (from `--writer`) wins over `config.writer`; `auto` means Claude when an API key is set. `logger` is the
 * writers' logger (the CLI's plain stderr warnings), the root logger when omitted. The Claude writer's module (and
 * the Anthropic SDK under it) is loaded here, only when Claude is chosen: a template-writer run never loads it.
 * @throws ConfigError when the Claude writer is asked for but cannot be used.
 */
export async function selectWriter(
  config: Config,
  choice?: WriterChoice,
  logger?: Logger,
  followUpTools?: () => readonly Tool[] | undefined,
): Promise<{ name: string; create: () => Writer }> {
  const wanted = choice ?? config.writer;
  const claude = wanted === 'claude' || (wanted === 'auto' && config.anthropic.apiKey !== undefined);
  if (claude) {
    // --- Claude writer (issue 4): one writer per run (its cached data prefix is per run); the template writer is
    // its fallback. `auto` only gets here with a key; an explicit `claude` without one is refused in plain words.
    if (!config.anthropic.apiKey) {
      throw new ConfigError(['--writer claude needs ANTHROPIC_API_KEY (or use --writer template to write offline).']);
    }
    const { ClaudeBreaker, createClaudeWriter } = await import('./writers/claude/index.js');
    // One breaker for the process: after Claude fails, the runs of the next `coolOffMs` do not wait for it.
    const breaker = new ClaudeBreaker({ coolOffMs: config.anthropic.coolOffMs });
    return {
      name: 'claude',
      create: () =>
        createClaudeWriter({
          config,
          breaker,
          ...(logger ? { logger } : {}),
          ...(followUpTools ? { tools: followUpTools } : {}),
        }),
    };
    // --- end Claude writer
  }
  return { name: 'template', create: () => createTemplateWriter() };
}

/**
 * The longest a run may take, ms, with a wide margin: every tool call's attempts and backoff, then the analysts' and
 * the sections' deadlines, plus 10 minutes. A record still `running` after it belonged to a process that died.
 */
export function longestRunMs(config: Config): number {
  const tools = config.tools.timeoutMs * (config.tools.retries + 1) + 5000;
  return tools + 2 * config.anthropic.sectionDeadlineMs + 600_000;
}

/** Who asked, as the run log records it. */
function requesterMeta(requester: Requester | undefined): {
  via: string;
  requester?: string;
  channel?: string;
  thread?: string;
  team?: string;
} {
  return {
    via: requester?.via ?? 'cli',
    ...(requester?.user === undefined ? {} : { requester: requester.user }),
    ...(requester?.channel === undefined ? {} : { channel: requester.channel }),
    ...(requester?.thread === undefined ? {} : { thread: requester.thread }),
    ...(requester?.team === undefined ? {} : { team: requester.team }),
  };
}

/**
 * Build the runtime from `config`: open the run log (at `config.metricsPath`, folder created), build the tool
 * gateway (MCP servers spawn on first call), choose the writer, and wrap the research service so that each run is
 * recorded. Close it when done. With `WRITER=auto` and Claude unreachable, the template writer is used (warned).
 * @throws ConfigError for an unusable writer choice; TickerdeskError (LlmUnavailable) when Claude was asked for
 *   explicitly and cannot be reached, or when Anthropic rejects the key (with `WRITER=auto` too); TickerdeskError
 *   (Config) for a model Anthropic does not know. A run log or tool cache that cannot be used never fails it (warned).
 */
export async function createRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? rootLogger;
  const degradations = options.degradations ?? processDegradations;
  // What went wrong while opening (an unopenable cache, a damaged run log) belongs to the first run's record.
  let startUp: DegradationCounts | undefined = degradations.counts();
  // The follow-up answerer's tools, listed once the data server is up (see `followUpTools`).
  let followUpTools: readonly Tool[] | undefined;
  let writer =
    options.writerFactory ??
    (await selectWriter(config, options.writer, logger, options.followUpTools ? () => followUpTools : undefined));
  // A rejected key or unknown model is a clear start-up message, not a note on every section (no tokens spent).
  if (writer.name === 'claude') {
    const { checkClaudeAccess, createAnthropicClient } = await import('./writers/claude/index.js');
    try {
      await checkClaudeAccess(createAnthropicClient(config, logger), config.anthropic.model);
    } catch (err) {
      // WRITER=auto only chose Claude because a key is set: with Claude out of reach (offline), the report is still
      // written, by the template writer. An explicit choice of Claude, a rejected key or an unknown model (not
      // transient: a person must fix them) stays an error.
      const auto = (options.writer ?? config.writer) === 'auto';
      const outOfReach = err instanceof TickerdeskError && err.code === ErrorCode.LlmUnavailable && err.transient;
      if (!auto || !outOfReach) throw err;
      logger.warn(
        { err: err.message },
        `${err.message} Writing the report with the template writer instead (WRITER=auto); set WRITER=claude to require Claude.`,
      );
      writer = await selectWriter(config, 'template', logger);
    }
  }
  // Never throws: a run log that cannot be used is replaced by one in memory (warned once); the report needs no disk.
  const metrics = await openRunLog(config.metricsPath, {
    logger,
    degradations,
    redisUrl: config.cacheUrl,
    connectTimeoutMs: config.cacheTimeouts.connectMs,
    retentionDays: config.runLogRetentionDays,
    abandonAfterMs: longestRunMs(config),
  });
  const toolsLogger = options.gatewayOptions?.logger ?? logger.child({ component: 'tools' });
  // One cache for tool answers and the writer's findings and sections: the gateway owns (and closes) it.
  let cache: ToolCache | undefined;
  let gateway: ToolGateway;
  try {
    cache =
      options.gatewayOptions?.cache ??
      (await openToolCache(config, { logger: toolsLogger, degradations, ...options.gatewayOptions?.cacheOptions }));
    gateway = await createToolGateway(config, { logger: toolsLogger, ...options.gatewayOptions, cache });
  } catch (err) {
    await cache?.close().catch(() => undefined);
    await metrics.close().catch(() => undefined);
    throw err;
  }
  if (options.followUpTools && writer.name === 'claude') {
    const { followUpAllowList, followUpToolset } = await import('./conversation/claude/tools.js');
    // The same toolset the follow-up answerer offers (FOLLOW_UP_TOOLS), so both share one cached prefix.
    followUpToolset(gateway, followUpAllowList(config.followUpTools))
      .then((toolset) => {
        followUpTools = toolset.tools.length > 0 ? toolset.tools : undefined;
      })
      .catch((err: unknown) => logger.debug({ err }, 'could not list the follow-up tools; runs send none'));
  }
  // Findings and sections derived from the same data are served from the cache (no writer time, no tokens); a
  // `fresh` run (`--fresh`) reads neither tools nor writer from the cache, and still fills it.
  const model = writer.name === 'claude' ? config.anthropic.model : undefined;
  const writerLogger = logger.child({ component: 'writer-cache' });
  const serviceFor = (fresh: boolean) =>
    createResearchService({
      gateway,
      createWriter: () =>
        cachedWriter(writer.create(), cache, { fresh, logger: writerLogger, ...(model ? { model } : {}) }),
      eta: metrics,
      logger,
    });
  // Loaded only where it is used (the Slack app): a CLI run never loads it.
  const prefetcher =
    options.smartPrefetch && config.tools.prefetchPeers > 0
      ? new (await import('./prefetch/smart-prefetch.js')).SmartPrefetcher({
          gateway,
          metrics,
          peers: config.tools.prefetchPeers,
          logger,
        })
      : undefined;
  const inner = serviceFor(false);
  const innerFresh = serviceFor(true);
  const active = new Map<RunHandle, Promise<void>>();

  const research: ResearchService = {
    start(ticker: string, startOptions: StartOptions = {}): RunHandle {
      const meta = requesterMeta(startOptions.requester);
      let handle: RunHandle;
      try {
        handle = (startOptions.fresh ? innerFresh : inner).start(ticker, startOptions);
      } catch (err) {
        if (err instanceof InvalidInputError) {
          metrics
            .recordRejection({ input: ticker, reason: err.message, ...meta })
            .catch((e: unknown) => logger.warn({ err: e }, 'could not record a rejected input'));
        }
        throw err;
      }
      const since = startUp;
      startUp = undefined;
      const recorded = recordRun(handle, metrics, meta, {
        logger,
        writer: writer.name,
        degradations,
        ...(since ? { degradationsSince: since } : {}),
      });
      active.set(handle, recorded);
      // The likely next data, in the background once the report is out (its record exists by then).
      if (prefetcher)
        handle.result.then(
          (result) => void prefetcher.after(result),
          () => undefined,
        );
      recorded.finally(() => active.delete(handle)).catch(() => undefined);
      const { onRecorded } = options;
      if (onRecorded)
        recorded
          .then(() => onRecorded(handle.runId))
          .catch((err: unknown) => logger.warn({ err }, 'the hook on a finished run failed; the run is recorded'));
      return handle;
    },
    async checkTicker(ticker: string, requester?: Requester) {
      const refused = await inner.checkTicker?.(ticker).catch(() => undefined);
      // A refusal is kept in the run log like any rejected input, so /perf shows it; nothing else is written.
      if (refused) {
        metrics
          .recordRejection({ input: ticker, reason: refused.message, ...requesterMeta(requester) })
          .catch((e: unknown) => logger.warn({ err: e }, 'could not record a rejected input'));
      }
      return refused;
    },
    knownTickers: () => inner.knownTickers?.() ?? Promise.resolve(undefined),
  };

  let closing: Promise<void> | undefined;
  return {
    config,
    gateway,
    metrics,
    research,
    writerName: writer.name,
    cacheSize: async () => {
      const { cacheFootprint } = await import('./tools/cache-footprint.js');
      return cacheFootprint(config, { json: false }).catch((err: unknown) => {
        // A size for a metric is not worth a warning: the next scrape asks again.
        logger.debug({ err }, 'could not read the tool cache size');
        return undefined;
      });
    },
    ...(prefetcher ? { prefetcher } : {}),
    close() {
      closing ??= (async () => {
        for (const handle of active.keys()) handle.cancel('tickerdesk is shutting down');
        let timer: NodeJS.Timeout | undefined;
        const recorded = await Promise.race([
          Promise.allSettled([...active.values()]).then(() => true),
          new Promise<false>((resolve) => {
            timer = setTimeout(() => resolve(false), CLOSE_RECORDS_WAIT_MS);
            timer.unref();
          }),
        ]);
        clearTimeout(timer);
        // The run log's close waits for the writes these records have issued, and warns about any it cuts off.
        if (!recorded) {
          logger.debug(
            { runs: active.size, waitedMs: CLOSE_RECORDS_WAIT_MS },
            `${active.size} run record(s) were still being written after ${CLOSE_RECORDS_WAIT_MS} ms; closing anyway.`,
          );
        }
        await prefetcher?.close();
        await gateway.close().catch((err: unknown) => logger.warn({ err }, 'closing the tool gateway failed'));
        await metrics.close().catch((err: unknown) => logger.warn({ err }, 'closing the run log failed'));
      })();
      return closing;
    },
  };
}
