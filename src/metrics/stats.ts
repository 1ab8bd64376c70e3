/**
 * Pure figures over run records: percentiles, the perf report and its alerts. No I/O; the store feeds it rows.
 */
import { emptyUsage as emptyUpstream, mergeUsage } from '../mcp-server/upstream/usage.js';
import { emptyUsage } from '../research/types.js';
import {
  type Alert,
  type AlertKind,
  type AlertThresholds,
  alertsForRun,
  DEFAULT_ALERT_LIMITS,
  HIT_RATE_WINDOW,
} from './alert-rules.js';
import { feedbackOf } from './feedback.js';
import { formatRate } from './format.js';
import type { PerfReport, RunRecord } from './types.js';

/**
 * The limits the perf report flags runs against: the Slack app's alert settings (`config.alerts`), so `/perf` and
 * `npm run perf` flag what the alerts posted. Times in ms, `hitRate` 0–1.
 */
export type AlertLimits = AlertThresholds;

/** The alert settings' defaults ({@link DEFAULT_ALERT_LIMITS}), and the hit rate's window. */
export const ALERT_LIMITS = {
  ...DEFAULT_ALERT_LIMITS,
  /** Runs the hit-rate alert looks at. */
  hitRateWindow: HIT_RATE_WINDOW,
  /**
   * Fewer runs (with tool calls) than this in the window: too little history to judge the hit rate. A whole window,
   * so a fresh desk's first cold runs (every ticker new, nothing to hit) raise no alert.
   */
  hitRateMinRuns: HIT_RATE_WINDOW,
} as const;

/** A limit in words: `4 minutes`, `1 minute`, `90 s`, `1.5 s`. */
function limitWords(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return ms === 60_000 ? '1 minute' : `${ms / 60_000} minutes`;
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${ms} ms`;
}

/** How many recent errors the report lists. */
const RECENT_ERRORS = 10;

/**
 * The `p`-th percentile (0–100) of `values`, linear interpolation between closest ranks (numpy's default).
 * @returns null for an empty list.
 * @example percentile([1, 2, 3, 4], 50) === 2.5
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

const defined = (xs: (number | undefined)[]): number[] => xs.filter((x): x is number => typeof x === 'number');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
/** `1 run`, `3 runs`. */
const runs_ = (n: number): string => `${n} run${n === 1 ? '' : 's'}`;

/**
 * The perf report over `records` (any order; newest decided by `startedAt`). Rejected inputs count as runs and
 * outcomes, but have no durations, and no failed tool calls (an unknown ticker's profile call was answered; invalid
 * input makes none). Durations use finished runs (ok, degraded, failed). Runs are flagged against `limits` (the
 * alert settings; their defaults when not given).
 */
export function computePerfReport(records: readonly RunRecord[], limits: AlertLimits = ALERT_LIMITS): PerfReport {
  const runs = [...records].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  const byOutcome: Record<string, number> = {};
  for (const r of runs) byOutcome[r.outcome] = (byOutcome[r.outcome] ?? 0) + 1;
  const finished = runs.filter((r) => r.outcome === 'ok' || r.outcome === 'degraded' || r.outcome === 'failed');
  const durations = defined(finished.map((r) => r.durationMs));
  const firstOutputs = defined(runs.map((r) => r.firstOutputMs));
  const firstSections = defined(runs.map((r) => r.firstSectionMs));

  const toolCalls = { total: 0, made: 0, hits: 0, coalesced: 0, errors: 0 };
  const usage = emptyUsage();
  const perToolMs = new Map<string, number[]>();
  for (const r of runs) {
    toolCalls.total += r.tools.total;
    toolCalls.made += r.tools.made;
    toolCalls.hits += r.tools.hits;
    toolCalls.coalesced += r.tools.coalesced;
    toolCalls.errors += r.tools.errors;
    usage.inputTokens += r.usage.inputTokens;
    usage.cacheWriteTokens += r.usage.cacheWriteTokens;
    usage.cacheReadTokens += r.usage.cacheReadTokens;
    usage.outputTokens += r.usage.outputTokens;
    usage.costUsd += r.usage.costUsd;
    usage.unverifiedFigures = (usage.unverifiedFigures ?? 0) + (r.usage.unverifiedFigures ?? 0);
    usage.rewrites = (usage.rewrites ?? 0) + (r.usage.rewrites ?? 0);
    for (const [tool, ms] of Object.entries(r.toolMs)) {
      const list = perToolMs.get(tool) ?? [];
      list.push(...ms);
      perToolMs.set(tool, list);
    }
  }
  const perTool = [...perToolMs.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tool, ms]) => ({ tool, calls: ms.length, p50Ms: percentile(ms, 50) ?? 0, p95Ms: percentile(ms, 95) ?? 0 }));

  const upstream = emptyUpstream();
  let upstreamRuns = 0;
  for (const r of runs) {
    if (!r.upstream) continue;
    upstreamRuns += 1;
    mergeUsage(upstream, r.upstream);
  }
  const hosts = Object.entries(upstream.hosts)
    .map(([host, h]) => ({
      host,
      requests: h.requests,
      bytes: h.bytes,
      throttled: h.throttled,
      meanMs: h.requests > 0 ? Math.round(h.ms / h.requests) : 0,
    }))
    .sort((a, b) => b.requests - a.requests || a.host.localeCompare(b.host));

  const recentErrors: PerfReport['recentErrors'] = [];
  for (const r of runs) {
    for (const error of r.errors) {
      if (recentErrors.length >= RECENT_ERRORS) break;
      recentErrors.push({ runId: r.id, ticker: r.ticker, at: r.finishedAt ?? r.startedAt, error });
    }
  }

  return {
    runs: runs.length,
    byOutcome,
    p50DurationMs: percentile(durations, 50),
    p95DurationMs: percentile(durations, 95),
    p50FirstOutputMs: percentile(firstOutputs, 50),
    p95FirstOutputMs: percentile(firstOutputs, 95),
    p50FirstSectionMs: percentile(firstSections, 50),
    toolCalls,
    cacheHitRate: toolCalls.total > 0 ? toolCalls.hits / toolCalls.total : null,
    callsSaved: toolCalls.hits + toolCalls.coalesced,
    perTool,
    usage,
    upstream: {
      runs: upstreamRuns,
      requests: upstream.requests,
      bytes: upstream.bytes,
      throttled: upstream.throttled,
      requestsPerRun: upstreamRuns > 0 ? Math.round((upstream.requests / upstreamRuns) * 10) / 10 : null,
      hosts,
    },
    recentErrors,
    degradations: degradationsOf(runs),
    feedback: feedbackOf(runs),
    alerts: computeAlerts(runs, limits),
    prefetch: prefetchOf(runs),
  };
}

/** Smart prefetch over `runs`: the runs it followed, calls it sent (prefetched) and of those, later used. */
function prefetchOf(runs: readonly RunRecord[]): NonNullable<PerfReport['prefetch']> {
  const total = { runs: 0, made: 0, used: 0 };
  for (const r of runs) {
    if (!r.prefetch) continue;
    total.runs += 1;
    total.made += r.prefetch.made;
    total.used += Math.min(r.prefetch.used, r.prefetch.made);
  }
  return total;
}

/** Degradations of `runs` by what degraded, most frequent first: occurrences and the runs that saw them. */
function degradationsOf(runs: readonly RunRecord[]): NonNullable<PerfReport['degradations']> {
  const by = new Map<string, { what: string; count: number; runs: number }>();
  for (const r of runs) {
    for (const [what, count] of Object.entries(r.degradations ?? {})) {
      const d = by.get(what) ?? { what, count: 0, runs: 0 };
      d.count += count;
      d.runs += 1;
      by.set(what, d);
    }
  }
  return [...by.values()].sort((a, b) => b.runs - a.runs || b.count - a.count || a.what.localeCompare(b.what));
}

/**
 * Alerts over `runs` (newest first) against `limits` (by default {@link DEFAULT_ALERT_LIMITS}): the alert rules of the
 * Slack app's alerts ({@link alertsForRun}) applied to each run, counted by kind with the latest named. The hit rate
 * is judged as the alerts judge it after the newest run with tool calls: over the last {@link HIT_RATE_WINDOW} such
 * runs, once there are that many.
 */
export function computeAlerts(runs: readonly RunRecord[], limits: AlertLimits = ALERT_LIMITS): PerfReport['alerts'] {
  const byKind = new Map<AlertKind, { alert: Alert; run: RunRecord }[]>();
  for (const run of runs) {
    for (const alert of alertsForRun(run, [], limits)) {
      if (alert.kind === 'low_hit_rate') continue;
      byKind.set(alert.kind, [...(byKind.get(alert.kind) ?? []), { alert, run }]);
    }
  }
  const alerts: PerfReport['alerts'] = [];
  const latest = (kind: AlertKind) => {
    const found = byKind.get(kind) ?? [];
    return found[0] ? { ...found[0], n: found.length, all: found } : undefined;
  };
  const slow = latest('slow_run');
  if (slow)
    alerts.push({
      id: 'slow_run',
      message: `${runs_(slow.n)} took over ${limitWords(limits.runMs)}; latest ${slow.run.ticker} (${slow.run.id}) took ${seconds(slow.alert.value)}.`,
    });
  const first = latest('slow_first_output');
  if (first)
    alerts.push({
      id: 'slow_first_output',
      message: `${runs_(first.n)} showed nothing for over ${limitWords(limits.firstOutputMs)}; latest ${first.run.ticker} (${first.run.id}) after ${seconds(first.alert.value)}.`,
    });
  const ops = latest('slow_operation');
  if (ops) {
    const named = ops.all.map(
      ({ alert, run }) => `${alert.what ?? 'an operation'} of ${run.ticker} (${run.id}) ${seconds(alert.value)}`,
    );
    const more = named.length > 3 ? ` and ${named.length - 3} more` : '';
    alerts.push({
      id: 'slow_operation',
      message: `Operations over ${limitWords(limits.operationMs)}: ${named.slice(0, 3).join('; ')}${more}.`,
    });
  }
  const newest = runs.find((r) => r.tools.total > 0);
  const hitRate = newest && alertsForRun(newest, runs, limits).find((a) => a.kind === 'low_hit_rate');
  if (hitRate)
    alerts.push({
      id: 'low_hit_rate',
      message: `Cache hit rate ${formatRate(hitRate.value)} over the last ${HIT_RATE_WINDOW} runs (under ${formatRate(limits.hitRate)}).`,
    });
  const throttled = latest('upstream_429');
  if (throttled)
    alerts.push({
      id: 'upstream_429',
      message: `${runs_(throttled.n)} got upstream 429 (too many requests) answers; latest ${throttled.run.ticker} (${throttled.run.id}): ${throttled.alert.value}.`,
    });
  return alerts;
}
