/**
 * The alert rules (issue 15, part 5), pure and in one place: which limits a finished run crosses ({@link alertsForRun})
 * and the limits' defaults. The Slack app's alerter (`src/ops/alerts.ts`) raises them after each run; the perf report
 * (`stats.ts`) counts them over the runs it shows, with the same limits (`config.alerts`).
 */
import type { RunRecord } from './types.js';

/** What an alert is about; one post an hour at most per kind. */
export type AlertKind = 'slow_run' | 'slow_first_output' | 'slow_operation' | 'low_hit_rate' | 'upstream_429';

/** Limits the rules compare with (`config.alerts`): times in ms, `hitRate` 0–1. */
export interface AlertThresholds {
  runMs: number;
  firstOutputMs: number;
  operationMs: number;
  hitRate: number;
}

/**
 * The limits' defaults, the only place they are written: `ALERT_RUN_MS` (4 minutes), `ALERT_FIRST_OUTPUT_MS` (2),
 * `ALERT_OPERATION_MS` (3), `ALERT_HIT_RATE_PERCENT` (50 %); `config.ts` takes them from here.
 */
export const DEFAULT_ALERT_LIMITS: Readonly<AlertThresholds> = {
  runMs: 4 * 60_000,
  firstOutputMs: 2 * 60_000,
  operationMs: 3 * 60_000,
  hitRate: 0.5,
};

/** Runs with tool calls the hit rate is taken over (and needs before it is judged). */
export const HIT_RATE_WINDOW = 20;

/** One alert raised by a run. */
export interface Alert {
  kind: AlertKind;
  /** The figure that crossed its limit: ms, a 0–1 rate, or a count of 429 answers. */
  value: number;
  /** A plain sentence with the figure and its limit. */
  message: string;
  /** slow_operation: which one (`stage prefetch`, `tool get_company_news`). */
  what?: string;
  runId: string;
  /** The run's Slack channel and parent message `ts`, when it ran in Slack (for the thread's permalink). */
  channel?: string;
  thread?: string;
  /** The workspace (team) id of `channel`, when recorded: the permalink is that workspace's. */
  team?: string;
}

const seconds = (ms: number) => (ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : `${Math.round(ms / 1000)} s`);
const percent = (rate: number) => `${Math.round(rate * 100)} %`;

/**
 * The alerts `run` raises, given `recent` (run records newest first, `run` among them or not) for the hit rate over
 * the last {@link HIT_RATE_WINDOW} runs with tool calls (judged only once there are that many). Pure.
 */
export function alertsForRun(run: RunRecord, recent: readonly RunRecord[], limits: AlertThresholds): Alert[] {
  const where = {
    runId: run.id,
    ...(run.channel ? { channel: run.channel } : {}),
    ...(run.thread ? { thread: run.thread } : {}),
    ...(run.team ? { team: run.team } : {}),
  };
  const alerts: Alert[] = [];
  const add = (kind: AlertKind, value: number, message: string, what?: string) =>
    alerts.push({ kind, value, message, ...where, ...(what ? { what } : {}) });
  const duration = run.durationMs ?? 0;
  if (duration > limits.runMs)
    add('slow_run', duration, `Run of ${run.ticker} took ${seconds(duration)} (limit ${seconds(limits.runMs)}).`);
  const first = run.firstOutputMs ?? 0;
  if (first > limits.firstOutputMs)
    add(
      'slow_first_output',
      first,
      `Run of ${run.ticker} showed its first output after ${seconds(first)} (limit ${seconds(limits.firstOutputMs)}).`,
    );
  const ops: [string, number][] = [
    ...Object.entries(run.stageMs).map(([stage, ms]): [string, number] => [`stage ${stage}`, ms ?? 0]),
    ...Object.entries(run.toolMs).map(([tool, list]): [string, number] => [`tool ${tool}`, Math.max(0, ...list)]),
  ];
  const slowest = ops.sort((a, b) => b[1] - a[1])[0];
  if (slowest && slowest[1] > limits.operationMs)
    add(
      'slow_operation',
      slowest[1],
      `Run of ${run.ticker}: ${slowest[0]} took ${seconds(slowest[1])} (limit ${seconds(limits.operationMs)}).`,
      slowest[0],
    );
  const window = [run, ...recent.filter((r) => r.id !== run.id)]
    .filter((r) => r.tools.total > 0)
    .slice(0, HIT_RATE_WINDOW);
  if (run.tools.total > 0 && window.length >= HIT_RATE_WINDOW) {
    const total = window.reduce((n, r) => n + r.tools.total, 0);
    const rate = window.reduce((n, r) => n + r.tools.hits, 0) / total;
    if (rate < limits.hitRate)
      add(
        'low_hit_rate',
        rate,
        `Cache hit rate ${percent(rate)} over the last ${window.length} runs (limit ${percent(limits.hitRate)}).`,
      );
  }
  const throttled = run.upstream?.throttled ?? 0;
  if (throttled > 0)
    add('upstream_429', throttled, `Run of ${run.ticker} got ${throttled} upstream 429 (too many requests) answers.`);
  return alerts;
}
