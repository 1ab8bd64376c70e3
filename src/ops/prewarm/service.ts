/**
 * The prewarm as a service of the Slack app process: the schedule (after each US close) and, at each firing, one
 * prewarm — by one instance only when several share Redis (a claim on the trading session through the run-claim
 * store, `src/tools/run-claims.ts`). `close()` stops the schedule and a prewarm under way (between calls) and waits
 * for it, before the gateway closes.
 */
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import { openPrewarmLogFor, type PrewarmLog, type PrewarmLogConfig } from '../../metrics/prewarm-log.js';
import type { ClaimStore } from '../../tools/run-claims.js';
import type { ToolGateway } from '../../tools/types.js';
import { type PrewarmSummary, runPrewarm } from './run.js';
import { type PrewarmSchedule, schedulePrewarm } from './schedule.js';

/** How long a session's claim is held: longer than a prewarm may take, shorter than the next trading day. */
export const PREWARM_CLAIM_TTL_MS = 12 * 3_600_000;

/**
 * The claim held while a prewarm runs (after a close, or by hand), released when it ends: a prewarm by hand is
 * refused while one runs on any instance sharing the claim store. The one after a close takes it when it can and is
 * never held back by it (the digests follow it).
 */
export const PREWARM_RUNNING_KEY = 'prewarm:running';

/** The outcome of asking for a prewarm now ({@link PrewarmService.prewarmNow}). */
export type PrewarmStart =
  | {
      started: true;
      /** Resolves with what the prewarm did when it ends (undefined when it failed; logged). Never rejects. */
      done: Promise<PrewarmSummary | undefined>;
    }
  | {
      started: false;
      /** `running`: a prewarm is under way in this process; `claimed`: on another instance; `closed`: shutting down. */
      reason: 'running' | 'claimed' | 'closed';
    };

/** What the prewarm service needs. */
export interface PrewarmServiceDeps {
  config: Pick<Config, 'prewarm'> & PrewarmLogConfig;
  gateway: ToolGateway;
  /** Shared with the other instances (Redis with `CACHE_URL`), so one of them prewarms each session. */
  claims: ClaimStore;
  logger: Logger;
  /** Told of each prewarm's outcome (Prometheus counters, tests). */
  onSummary?: (summary: PrewarmSummary) => void;
  /** @default opens the run log's prewarm records: at `config.metricsPath`, or on Redis with `config.cacheUrl` */
  openLog?: () => Promise<PrewarmLog>;
  /** More tickers to refresh each session besides `PREWARM_TICKERS` (the watched ones). Its failure is logged. */
  moreTickers?: () => Promise<readonly string[]>;
  /**
   * Runs after the prewarm of a session this instance claimed, unless the prewarm was stopped (the watchlist
   * digests). Its failure is logged.
   */
  afterPrewarm?: (session: string, summary: PrewarmSummary) => Promise<void>;
}

/** A started prewarm service. */
export interface PrewarmService {
  /**
   * The prewarm after the closes of New York date `session`, as the schedule runs it: claimed first (resolves to
   * `undefined` when another instance has it), then run. Never rejects.
   */
  prewarmSession(session: string): Promise<PrewarmSummary | undefined>;
  /**
   * A prewarm by hand (`/perf prewarm`), now, in the background, of the same tickers (no digests after it): refused
   * when one is under way here or on another instance (the {@link PREWARM_RUNNING_KEY} claim), started otherwise.
   * Resolves once it is started or refused.
   */
  prewarmNow(): Promise<PrewarmStart>;
  /** The next scheduled prewarm moment (undefined once closed). */
  next(): Date | undefined;
  /** Stop the schedule, stop a prewarm under way and wait for it, close the prewarm records. Idempotent. */
  close(): Promise<void>;
}

/**
 * Build the prewarm service; with `schedule` (the app's default) it fires after each US close (see `schedule.ts`).
 */
export function createPrewarmService(deps: PrewarmServiceDeps, options: { schedule?: boolean } = {}): PrewarmService {
  const { config, logger } = deps;
  const stop = new AbortController();
  let running: Promise<PrewarmSummary | undefined> | undefined;
  let log: Promise<PrewarmLog | undefined> | undefined;
  let closing: Promise<void> | undefined;
  const openLog = () => {
    log ??= (deps.openLog ?? (() => openPrewarmLogFor(config)))().catch((err: unknown) => {
      logger.warn({ err }, 'The prewarm cannot read the run log; refreshing PREWARM_TICKERS only, unrecorded.');
      log = undefined;
      return undefined;
    });
    return log;
  };

  const session = async (day: string): Promise<PrewarmSummary | undefined> => {
    if (stop.signal.aborted) return undefined;
    const key = `prewarm:${day}`;
    if (!(await deps.claims.claim(key, PREWARM_CLAIM_TTL_MS))) {
      logger.info({ session: day }, 'Another instance is prewarming after this close; nothing to do here.');
      return undefined;
    }
    // The claim is kept (not released) after the prewarm: it marks the session as done for every instance.
    logger.info({ session: day }, 'Prewarming the cache after the US close');
    // Taken when free, so that a prewarm by hand waits for this one; a prewarm by hand under way does not stop it.
    const holds = await deps.claims.claim(PREWARM_RUNNING_KEY, PREWARM_CLAIM_TTL_MS);
    let summary: PrewarmSummary;
    try {
      summary = await refresh({ session: day });
    } finally {
      if (holds) await deps.claims.release(PREWARM_RUNNING_KEY);
    }
    if (!summary.stopped)
      await deps
        .afterPrewarm?.(day, summary)
        .catch((err: unknown) => logger.warn({ err, session: day }, 'The work after the prewarm failed.'));
    return summary;
  };

  /** One prewarm, logged and told to `onSummary`; `fields` name it in the log. */
  const refresh = async (fields: Record<string, string>): Promise<PrewarmSummary> => {
    const more = await (deps.moreTickers?.() ?? Promise.resolve([])).catch((err: unknown) => {
      logger.warn({ err }, 'The prewarm cannot read the watched tickers; refreshing the others.');
      return [];
    });
    const summary = await runPrewarm(
      { gateway: deps.gateway, log: await openLog(), logger },
      {
        topN: config.prewarm.topN,
        extraTickers: [...config.prewarm.tickers, ...more],
        callsPerSecond: config.prewarm.callsPerSecond,
        signal: stop.signal,
      },
    );
    logger.info(
      {
        ...fields,
        tickers: summary.tickers.length,
        refreshed: summary.refreshed,
        toolCalls: summary.toolCalls,
        serverCalls: summary.serverCalls,
        upstreamRequests: summary.upstreamRequests,
        failures: summary.failures.length,
        ms: summary.ms,
        stopped: summary.stopped,
      },
      `Prewarm ${summary.stopped ? 'stopped' : 'done'}: ${summary.refreshed} of ${summary.tickers.length} tickers refreshed`,
    );
    deps.onSummary?.(summary);
    return summary;
  };

  /** Start `work` as the prewarm under way (failures logged, never rejected). */
  const track = (work: Promise<PrewarmSummary | undefined>, fields: Record<string, string>) => {
    const run = work.catch((err: unknown) => {
      logger.warn({ err, ...fields }, 'The prewarm failed; the next one runs after the next close.');
      return undefined;
    });
    running = run;
    void run.finally(() => {
      if (running === run) running = undefined;
    });
    return run;
  };

  const prewarmSession = (day: string): Promise<PrewarmSummary | undefined> => track(session(day), { session: day });

  // Set while a prewarm by hand waits for its claim, so that a second ask meanwhile is told `running`, not `claimed`.
  let starting = false;
  const prewarmNow = async (): Promise<PrewarmStart> => {
    if (closing || stop.signal.aborted) return { started: false, reason: 'closed' };
    if (running || starting) return { started: false, reason: 'running' };
    starting = true;
    try {
      if (!(await deps.claims.claim(PREWARM_RUNNING_KEY, PREWARM_CLAIM_TTL_MS)))
        return { started: false, reason: 'claimed' };
    } finally {
      starting = false;
    }
    logger.info('Prewarming the cache by hand (/perf prewarm)');
    const fields = { trigger: 'by hand' };
    const done = track(
      refresh(fields).finally(() => deps.claims.release(PREWARM_RUNNING_KEY)),
      fields,
    );
    return { started: true, done };
  };

  const schedule: PrewarmSchedule | undefined = options.schedule
    ? schedulePrewarm(async (day) => {
        await prewarmSession(day);
      }, logger)
    : undefined;

  return {
    prewarmSession,
    prewarmNow,
    next: () => (closing ? undefined : schedule?.next()),
    close() {
      closing ??= (async () => {
        schedule?.stop();
        stop.abort(new Error('tickerdesk is shutting down'));
        await running;
        const opened = await log;
        await opened?.close().catch(() => undefined);
      })();
      return closing;
    },
  };
}
