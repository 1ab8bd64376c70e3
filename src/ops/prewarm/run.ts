/**
 * One prewarm: refresh the tool cache for the most requested tickers, most requested first, so that the next
 * morning's first run of each is served from the cache. Each ticker's planned tool calls (the same as a research
 * run's) go through the gateway's background lane — behind every user call, within `backgroundConcurrency` — and
 * through the data server's per-host upstream limits; on top of that the prewarm starts at most `callsPerSecond`
 * calls a second, so it spends only part of those limits. Stops between calls when its signal aborts (shutdown).
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import PQueue from 'p-queue';
import { DataUnavailableError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { PrewarmLog } from '../../metrics/prewarm-log.js';
import { planRequests } from '../../research/plan.js';
import { normalizeTicker } from '../../tickers.js';
import type { ToolGateway, ToolResult } from '../../tools/types.js';

/** Days of run records the demand is read from. */
export const DEMAND_WINDOW_DAYS = 30;

/** What one prewarm needs. */
export interface PrewarmDeps {
  gateway: ToolGateway;
  /** Demand and the record of each ticker fetched; without it only `extraTickers` are refreshed, unrecorded. */
  log?: PrewarmLog | undefined;
  logger: Logger;
}

/** How one prewarm runs. */
export interface PrewarmOptions {
  /** The most requested tickers to refresh (`PREWARM_TOP_N`). @default 50 */
  topN?: number;
  /** Always refreshed too, after the requested ones unless their demand places them earlier (`PREWARM_TICKERS`). */
  extraTickers?: readonly string[];
  /** Most tool calls started per second (`PREWARM_CALLS_PER_SECOND`). @default 4 */
  callsPerSecond?: number;
  /** Aborting stops the prewarm before its next call; calls already sent finish and are cached. */
  signal?: AbortSignal;
  /** Told after each ticker (done of total). */
  onTicker?: (progress: { ticker: string; done: number; total: number; ok: boolean }) => void;
  /** @default () => new Date() */
  now?: () => Date;
}

/** What a prewarm did. */
export interface PrewarmSummary {
  batch: string;
  /** The tickers chosen, in the order refreshed (most requested first). */
  tickers: string[];
  /** Tickers whose every call answered (data, or a definitive "no data"). */
  refreshed: number;
  /** Tool calls made, and of those sent to a server (the rest were still valid in the cache). */
  toolCalls: number;
  serverCalls: number;
  /** Upstream HTTP requests the live providers made for it. */
  upstreamRequests: number;
  /** Tickers with a failed call, and the first reason. */
  failures: { ticker: string; reason: string }[];
  ms: number;
  /** Whether it was stopped before the end (the tickers not reached are not counted). */
  stopped: boolean;
}

/**
 * The tickers to refresh: the `topN` most requested over the last {@link DEMAND_WINDOW_DAYS} days, then the
 * `extra` ones not among them (in their given order), normalised and without duplicates.
 */
export async function chooseTickers(
  log: PrewarmLog | undefined,
  topN: number,
  extra: readonly string[],
  now: Date,
): Promise<string[]> {
  const since = new Date(now.getTime() - DEMAND_WINDOW_DAYS * 86_400_000).toISOString();
  const demanded = log && topN > 0 ? await log.demand(since, topN) : [];
  const chosen = new Set<string>();
  for (const d of demanded) {
    const t = safeTicker(d.ticker);
    if (t) chosen.add(t);
  }
  for (const e of extra) {
    const t = safeTicker(e);
    if (t) chosen.add(t);
  }
  return [...chosen];
}

function safeTicker(raw: string): string | undefined {
  try {
    return normalizeTicker(raw);
  } catch {
    return undefined;
  }
}

function upstreamOf(result: ToolResult): number {
  if (result.cache !== 'miss') return 0;
  const p = (result.data as { provenance?: { upstream?: { requests?: number } } } | null)?.provenance;
  return p?.upstream?.requests ?? 0;
}

/**
 * Run one prewarm. Never throws for a ticker that fails (it is counted in `failures`); rejects only when the demand
 * cannot be read.
 */
export async function runPrewarm(deps: PrewarmDeps, options: PrewarmOptions = {}): Promise<PrewarmSummary> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const batch = `prewarm-${now().toISOString()}-${randomUUID().slice(0, 8)}`;
  const tickers = await chooseTickers(deps.log, options.topN ?? 50, options.extraTickers ?? [], now());
  // One signal of our own, listened to by every queued and running call (more than Node's default 10 listeners).
  const inner = new AbortController();
  setMaxListeners(0, inner.signal);
  const outer = options.signal;
  const stopInner = () => inner.abort(outer?.reason);
  if (outer?.aborted) stopInner();
  else outer?.addEventListener('abort', stopInner, { once: true });
  const signal = inner.signal;
  const perSecond = Math.max(1, options.callsPerSecond ?? 4);
  // Strict (sliding window): no second holds more than `perSecond` starts, also across two intervals' edges.
  const pace = new PQueue({ concurrency: perSecond, intervalCap: perSecond, interval: 1000, strict: true });
  const summary: PrewarmSummary = {
    batch,
    tickers,
    refreshed: 0,
    toolCalls: 0,
    serverCalls: 0,
    upstreamRequests: 0,
    failures: [],
    ms: 0,
    stopped: false,
  };
  for (const [i, ticker] of tickers.entries()) {
    if (signal?.aborted) break;
    const { complete, ...fetched } = await refreshTicker(deps, ticker, pace, signal);
    summary.toolCalls += fetched.calls;
    summary.serverCalls += fetched.made;
    summary.upstreamRequests += fetched.upstream;
    // Stopped part-way through this ticker: it is neither refreshed nor failed, and not recorded.
    if (!complete) break;
    const ok = fetched.failed === 0;
    if (ok) summary.refreshed += 1;
    else summary.failures.push({ ticker, reason: fetched.reason ?? 'failed' });
    await deps.log
      ?.record({ batch, ticker, at: now().toISOString(), ...fetched })
      .catch((err: unknown) => deps.logger.warn({ err, ticker }, 'could not record a prewarm fetch'));
    options.onTicker?.({ ticker, done: i + 1, total: tickers.length, ok });
  }
  outer?.removeEventListener('abort', stopInner);
  summary.stopped = signal.aborted;
  summary.ms = Math.round(performance.now() - started);
  return summary;
}

/** One ticker's planned calls, paced; the calls not started when `signal` aborts are dropped. */
async function refreshTicker(
  deps: PrewarmDeps,
  ticker: string,
  pace: PQueue,
  signal: AbortSignal | undefined,
): Promise<{ complete: boolean; calls: number; made: number; failed: number; upstream: number; reason?: string }> {
  const tally = { calls: 0, made: 0, failed: 0, upstream: 0, reason: undefined as string | undefined };
  const planned = planRequests(ticker);
  const calls = planned.map(({ request }) =>
    pace
      .add(
        async () => {
          if (signal?.aborted) return;
          tally.calls += 1;
          try {
            const result = await deps.gateway.call(request, { priority: 'background', ...(signal ? { signal } : {}) });
            if (result.cache === 'miss') tally.made += 1;
            tally.upstream += upstreamOf(result);
          } catch (err) {
            // A definitive "no data" answer is cached like data: the morning's run gets it from the cache too. The
            // server gave it when the gateway says so, and then it was sent to a server like any other answer.
            if (err instanceof DataUnavailableError) {
              if (err.answeredFrom === 'miss') tally.made += 1;
              return;
            }
            if (signal?.aborted) return;
            tally.failed += 1;
            tally.reason ??= `${request.tool}: ${err instanceof Error ? err.message : String(err)}`;
          }
        },
        signal ? { signal } : {},
      )
      // A call still waiting for its turn when the signal aborts is dropped from the queue (p-queue rejects it).
      .catch(() => undefined),
  );
  await Promise.all(calls);
  const { reason, ...counts } = tally;
  const complete = counts.calls === planned.length && !signal?.aborted;
  return reason === undefined ? { complete, ...counts } : { complete, ...counts, reason };
}
