/**
 * Alerts after each finished run (issue 15, part 5): a slow run, a slow first output, a slow stage or tool call, a
 * low cache hit rate over the last runs, and upstream 429s. Every alert is logged as a warning; with a channel it is
 * also posted to Slack, at most once an hour per kind — per process through the claim store's expiry, and across
 * instances when that store is Redis (`CACHE_URL`), so only one instance posts. The rules are pure
 * ({@link alertsForRun}); {@link createAlerter} logs, throttles, posts and counts.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../log.js';
import type { RunRecord } from '../metrics/types.js';
import { messagePermalink } from '../slack/app-home.js';
import { postMessageSplitting } from '../slack/web-api-calls.js';
import type { ClaimStore } from '../tools/run-claims.js';

/** What an alert is about; one post an hour at most per kind. */
export type AlertKind = 'slow_run' | 'slow_first_output' | 'slow_operation' | 'low_hit_rate' | 'upstream_429';

/** Limits the rules compare with (`config.alerts`): times in ms, `hitRate` 0–1. */
export interface AlertThresholds {
  runMs: number;
  firstOutputMs: number;
  operationMs: number;
  hitRate: number;
}

/** Runs with tool calls the hit rate is taken over (and needs before it is judged). */
export const HIT_RATE_WINDOW = 20;

/** One alert raised by a run. */
export interface Alert {
  kind: AlertKind;
  /** The figure that crossed its limit: ms, a 0–1 rate, or a count of 429 answers. */
  value: number;
  /** A plain sentence with the figure and its limit. */
  message: string;
  runId: string;
  /** The run's Slack channel and parent message `ts`, when it ran in Slack (for the thread's permalink). */
  channel?: string;
  thread?: string;
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
  };
  const alerts: Alert[] = [];
  const add = (kind: AlertKind, value: number, message: string) => alerts.push({ kind, value, message, ...where });
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

/** Alerts raised in this process, by kind (for `/perf`). */
export interface AlertCount {
  kind: AlertKind;
  count: number;
  /** The latest: its message and ISO time. */
  lastMessage: string;
  lastAt: string;
}

/** Options of {@link createAlerter}. */
export interface AlerterOptions {
  limits: AlertThresholds;
  logger: Logger;
  /** Claims of "this kind was posted this hour": Redis with `CACHE_URL` (one instance posts), else in memory. */
  claims: ClaimStore;
  /** Channel id to post to; unset: alerts are logged only. */
  channel?: string;
  /**
   * The Web API client that posts (the Slack app's), or how to get it when an alert is posted (OAuth mode: the
   * installation of the alert channel's workspace, `SlackApp.clients.forTeam(ALERT_TEAM_ID)`); required with `channel`.
   */
  client?: webApi.WebClient | (() => Promise<webApi.WebClient>);
  /** Clock for the counts' times, epoch ms. @default Date.now */
  now?: () => number;
  /** Shortest gap between two posts of one kind, ms. @default one hour */
  intervalMs?: number;
}

/** Evaluates finished runs and remembers what it raised. */
export interface Alerter {
  /** Log, and post when due, the alerts of `run` (see {@link alertsForRun}); never throws. Resolves when done. */
  evaluate(run: RunRecord, recent: readonly RunRecord[]): Promise<Alert[]>;
  /** Alerts raised so far in this process, by kind, most recent first. */
  counts(): AlertCount[];
}

/** Build an {@link Alerter}. Posts carry the figure and, when the run has a thread, a link to it. */
export function createAlerter(options: AlerterOptions): Alerter {
  const { limits, logger, claims, channel } = options;
  const given = options.client;
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 3_600_000;
  const counts = new Map<AlertKind, AlertCount>();
  let workspaceUrl: Promise<string | undefined> | undefined;
  const permalink = async (alert: Alert, client: webApi.WebClient): Promise<string | undefined> => {
    if (!alert.channel || !alert.thread) return undefined;
    workspaceUrl ??= client.auth
      .test()
      .then((r) => r.url)
      .catch(() => undefined);
    const url = await workspaceUrl;
    return url ? messagePermalink(url, alert.channel, alert.thread) : undefined;
  };
  const post = async (alert: Alert): Promise<void> => {
    if (!channel || !given) return;
    if (!(await claims.claim(`alert:${alert.kind}`, intervalMs))) return;
    const client = typeof given === 'function' ? await given() : given;
    const link = await permalink(alert, client);
    const text = `:rotating_light: ${alert.message}${link ? ` <${link}|Open the run's thread>` : ''}`;
    const blocks = [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }];
    await postMessageSplitting(client, { channel }, { text: alert.message, blocks }, logger);
  };
  return {
    async evaluate(run, recent) {
      const alerts = alertsForRun(run, recent, limits);
      for (const alert of alerts) {
        const at = new Date(now()).toISOString();
        const c = counts.get(alert.kind) ?? { kind: alert.kind, count: 0, lastMessage: '', lastAt: at };
        counts.set(alert.kind, { ...c, count: c.count + 1, lastMessage: alert.message, lastAt: at });
        logger.warn({ alert: alert.kind, value: alert.value, runId: alert.runId }, `Alert: ${alert.message}`);
        try {
          await post(alert);
        } catch (err) {
          logger.warn({ err, alert: alert.kind, channel }, 'could not post an alert to Slack; it is logged only');
        }
      }
      return alerts;
    },
    counts: () => [...counts.values()].sort((a, b) => b.lastAt.localeCompare(a.lastAt)),
  };
}
