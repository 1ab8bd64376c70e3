/**
 * What the App Home tab shows one person, read from the run log: their recent reports (ticker, outcome, when, a
 * permalink built from the workspace's URL, the channel and the parent's `ts`), the most-researched tickers of the
 * channels they have researched in (everyone's runs there), and the headline `/perf` figures.
 */
import type { PerfReport, RunRecord } from '../metrics/types.js';
import type { RunLogAccess } from './feedback.js';

/** One of the person's reports. */
export interface HomeReport {
  runId: string;
  ticker: string;
  outcome: RunRecord['outcome'];
  /** ISO start time. */
  startedAt: string;
  channel?: string;
  /** Link to the report's parent message, when its channel and `ts` were recorded. */
  permalink?: string;
}

/** Everything the Home tab shows. */
export interface HomeData {
  reports: HomeReport[];
  /**
   * The channels of the person's reports (latest first), and the tickers researched there by anyone, by runs, most
   * first.
   */
  channels?: { ids: string[]; tickers: { ticker: string; runs: number }[] };
  perf: PerfReport;
}

/** Reports listed, tickers listed, and records read to find them. */
export const HOME_LIMITS = { reports: 8, tickers: 5, scan: 500 } as const;

/**
 * `https://team.slack.com/archives/C123/p1700000000000100` for message `ts` in `channel`, from the workspace URL
 * `auth.test` gives (`https://team.slack.com/`); Slack's own permalink format.
 */
export function messagePermalink(workspaceUrl: string, channel: string, ts: string): string {
  const base = workspaceUrl.endsWith('/') ? workspaceUrl : `${workspaceUrl}/`;
  return `${base}archives/${channel}/p${ts.replace('.', '')}`;
}

/**
 * Gather the Home tab of `user` from the run log (the last {@link HOME_LIMITS.scan} records).
 * @param workspaceUrl the workspace's URL for permalinks; unset: reports without links.
 * @throws the run log's error when it cannot be read.
 */
export async function homeData(
  runLog: RunLogAccess,
  user: string,
  workspaceUrl: string | undefined,
): Promise<HomeData> {
  const [records, perf] = await Promise.all([runLog.recent(HOME_LIMITS.scan), runLog.perfReport()]);
  const mine = records.filter((r) => r.requester === user && r.via === 'slack' && r.outcome !== 'rejected');
  const reports = mine.slice(0, HOME_LIMITS.reports).map(
    (r): HomeReport => ({
      runId: r.id,
      ticker: r.ticker,
      outcome: r.outcome,
      startedAt: r.startedAt,
      ...(r.channel ? { channel: r.channel } : {}),
      ...(workspaceUrl && r.channel && r.thread
        ? { permalink: messagePermalink(workspaceUrl, r.channel, r.thread) }
        : {}),
    }),
  );
  const ids = [...new Set(mine.flatMap((r) => (r.channel ? [r.channel] : [])))];
  if (ids.length === 0) return { reports, perf };
  const counts = new Map<string, number>();
  for (const r of records) {
    if (!r.channel || !ids.includes(r.channel) || r.outcome === 'rejected') continue;
    counts.set(r.ticker, (counts.get(r.ticker) ?? 0) + 1);
  }
  const tickers = [...counts.entries()]
    .map(([ticker, runs]) => ({ ticker, runs }))
    .sort((a, b) => b.runs - a.runs || a.ticker.localeCompare(b.ticker))
    .slice(0, HOME_LIMITS.tickers);
  return { reports, channels: { ids, tickers }, perf };
}
