/**
 * Alerts after each finished run (issue 15, part 5): a slow run, a slow first output, a slow stage or tool call, a
 * low cache hit rate over the last runs, and upstream 429s. Every alert is logged as a warning; with a channel it is
 * also posted to Slack, at most once an hour per kind — per process through the claim store's expiry, and across
 * instances when that store is Redis (`CACHE_URL`), so only one instance posts. The rules are pure and live with the
 * run records (`src/metrics/alert-rules.ts`, re-exported here); {@link createAlerter} logs, throttles, posts and counts.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../log.js';
import { type Alert, type AlertKind, type AlertThresholds, alertsForRun } from '../metrics/alert-rules.js';
import type { RunRecord } from '../metrics/types.js';
import { messagePermalink } from '../slack/app-home.js';
import { postMessageSplitting } from '../slack/web-api-calls.js';
import type { ClaimStore } from '../tools/run-claims.js';

export {
  type Alert,
  type AlertKind,
  type AlertThresholds,
  alertsForRun,
  DEFAULT_ALERT_LIMITS,
  HIT_RATE_WINDOW,
} from '../metrics/alert-rules.js';

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
