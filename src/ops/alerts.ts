/**
 * Alerts after each finished run (issue 15, part 5): a slow run, a slow first output, a slow stage or tool call, a
 * low cache hit rate over the last runs, and upstream 429s. Every alert is logged as a warning; with a channel it is
 * also posted to Slack, at most once an hour per kind — per process through the claim store's expiry, and across
 * instances when that store is Redis (`CACHE_URL`), so only one instance posts. The rules are pure and live with the
 * run records (`src/metrics/alert-rules.ts`, re-exported here); {@link createAlerter} logs, throttles, posts and counts.
 */
import type { webApi } from '@slack/bolt';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { type Alert, type AlertKind, type AlertThresholds, alertsForRun } from '../metrics/alert-rules.js';
import type { RunRecord } from '../metrics/types.js';
import { messagePermalink } from '../slack/app-home.js';
import type { WorkspaceClients } from '../slack/installations/workspace-clients.js';
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
  /**
   * The client of a run's own workspace (`SlackApp.clients.forTeam`), asked for the URL its thread's link is built on:
   * a run in another workspace than the alert channel's is linked on its workspace's domain, and one whose workspace
   * cannot be reached (not recorded, uninstalled) is said to be unlinkable. @default the posting client (one workspace)
   */
  clientFor?: (teamId: string | undefined) => Promise<webApi.WebClient>;
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

/**
 * Build an {@link Alerter}. Posts carry the figure and, when the run has a thread, a link to it on the run's own
 * workspace's domain (or a plain note that it cannot be linked).
 */
export function createAlerter(options: AlerterOptions): Alerter {
  const { limits, logger, claims, channel } = options;
  const given = options.client;
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 3_600_000;
  const counts = new Map<AlertKind, AlertCount>();
  // Each workspace's URL (auth.test, with its own token), by team id ('' when the run's workspace is not recorded).
  const workspaceUrls = new Map<string, string>();
  const workspaceUrl = async (team: string | undefined, posting: webApi.WebClient): Promise<string> => {
    const known = workspaceUrls.get(team ?? '');
    if (known) return known;
    const client = options.clientFor ? await options.clientFor(team) : posting;
    const { url } = await client.auth.test();
    if (!url) throw new Error('auth.test named no workspace URL');
    workspaceUrls.set(team ?? '', url);
    return url;
  };
  /** The link to the run's thread on its own workspace's domain, or a plain note of why there is none. */
  const threadLink = async (alert: Alert, posting: webApi.WebClient): Promise<string> => {
    if (!alert.channel || !alert.thread) return '';
    try {
      const url = await workspaceUrl(alert.team, posting);
      return ` <${messagePermalink(url, alert.channel, alert.thread)}|Open the run's thread>`;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      logger.warn({ err: reason, alert: alert.kind, team: alert.team }, 'could not link an alert to its run thread');
      const where = alert.team ? `, in workspace ${alert.team},` : '';
      return ` The run's thread${where} cannot be linked from here (${reason}).`;
    }
  };
  const post = async (alert: Alert): Promise<void> => {
    if (!channel || !given) return;
    if (!(await claims.claim(`alert:${alert.kind}`, intervalMs))) return;
    const client = typeof given === 'function' ? await given() : given;
    const text = `:rotating_light: ${alert.message}${await threadLink(alert, client)}`;
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

/**
 * The app's alerter (main.ts): limits and channel from `ALERT_*`; posts with the client of the alert channel's
 * workspace (`ALERT_TEAM_ID` in OAuth mode, the app's client with one bot token) and links each run's thread on its
 * own workspace's domain, through `clients` (`SlackApp.clients`). Without `ALERT_CHANNEL` alerts are logged only.
 */
export function createSlackAlerter(
  alerts: Config['alerts'],
  clients: WorkspaceClients,
  claims: ClaimStore,
  logger: Logger,
): Alerter {
  return createAlerter({
    limits: alerts,
    logger,
    claims,
    ...(alerts.channel
      ? {
          channel: alerts.channel,
          client: () => clients.forTeam(alerts.team),
          clientFor: (team) => clients.forTeam(team),
        }
      : {}),
  });
}
