/**
 * The private answers of the `/perf` admin subcommands (`reset`, `flush-cache`, `prewarm`) and the help for a
 * subcommand `/perf` does not know. Plain text (mrkdwn); pure.
 */
import { formatBytes } from '../../metrics/format.js';
import type { PerfReset } from '../../metrics/marks.js';
import type { PrewarmSummary } from '../../ops/prewarm/run.js';
import type { CacheFlush } from '../../tools/cache-flush.js';
import { countOf, escapeMrkdwn, formatDuration, slackTime } from './format.js';

/** The `/perf` subcommands, as the help lists them. */
export const PERF_SUBCOMMANDS_HELP = [
  '• `/perf` — how the desk has been doing, privately',
  '• `/perf chart` — the same, and recent run durations as a picture in the channel',
  '• `/perf reset` — count the figures from now on (the run records are kept) _(admins)_',
  '• `/perf flush-cache` (or `/perf cache flush`) — empty the tool cache; the next runs fetch their data again _(admins)_',
  '• `/perf prewarm` — refresh the cache for the most requested tickers now, in the background _(admins)_',
].join('\n');

/** The answer to `/perf <word>` for a word it does not know. */
export function perfSubcommandHelp(word: string): string {
  const shown = escapeMrkdwn(word.length > 30 ? `${word.slice(0, 30)}…` : word);
  return `\`/perf ${shown}\` is not something I know. \`/perf\` does:\n${PERF_SUBCOMMANDS_HELP}`;
}

/** After `/perf reset`. */
export function perfResetNotice(reset: PerfReset): string {
  return `:leftwards_arrow_with_hook: Performance figures reset ${slackTime(reset.at)}: \`/perf\` and \`npm run perf\` count runs and permission refusals from now on. The earlier run records are kept (the ETA, the prewarm's choice of tickers and the Home tab still read them).`;
}

/** After `/perf flush-cache`. */
export function cacheFlushNotice(flush: CacheFlush): string {
  const backend = flush.backend === 'sqlite' ? 'SQLite' : 'Redis';
  const expired = flush.removed - flush.entries;
  const extra = expired > 0 ? ` and ${countOf(expired, 'expired row')}` : '';
  const disk = flush.diskBytes
    ? ` The file is ${formatBytes(flush.diskBytes.after)} on disk now (SQLite reuses the freed pages).`
    : '';
  return `:broom: Tool cache flushed (${backend}): ${countOf(flush.entries, 'entry', 'entries')}, ${formatBytes(flush.bytes)} removed${extra}. The next run of each ticker fetches its data again.${disk}`;
}

/** `/perf prewarm` was started. */
export function prewarmStartedNotice(): string {
  return ':fire: Prewarm started in the background: refreshing the cache for the most requested tickers (and `PREWARM_TICKERS`), behind user runs and within the upstream limits. I’ll send you the summary here when it is done.';
}

/** `/perf prewarm` was not started, and why. */
export function prewarmRefusedNotice(reason: 'running' | 'claimed' | 'closed' | 'unavailable'): string {
  switch (reason) {
    case 'running':
      return ':hourglass_flowing_sand: A prewarm is already running on this desk; nothing new was started. Its summary goes to whoever started it (the one after the close is in the log).';
    case 'claimed':
      return ':hourglass_flowing_sand: Another tickerdesk instance is prewarming right now; nothing was started here. Try again once it is done.';
    case 'closed':
      return 'tickerdesk is shutting down; no prewarm was started.';
    case 'unavailable':
      return 'The prewarm is not available in this process yet; try again in a moment.';
  }
}

/** The summary of a prewarm started with `/perf prewarm`; `undefined`: it failed (logged). */
export function prewarmSummaryNotice(summary: PrewarmSummary | undefined): string {
  if (!summary)
    return ':x: The prewarm failed; the log says why. The cache is as it was before, plus what it refreshed.';
  const head = summary.stopped ? ':octagonal_sign: Prewarm stopped (shutting down)' : ':white_check_mark: Prewarm done';
  const failures =
    summary.failures.length === 0
      ? 'no failures'
      : `${countOf(summary.failures.length, 'failure')}: ${summary.failures
          .slice(0, 5)
          .map((f) => `${escapeMrkdwn(f.ticker)} (${escapeMrkdwn(f.reason)})`)
          .join(', ')}${summary.failures.length > 5 ? ', …' : ''}`;
  return `${head} in ${formatDuration(summary.ms)}: ${summary.refreshed} of ${countOf(summary.tickers.length, 'ticker')} refreshed, ${countOf(summary.toolCalls, 'tool call')} (${summary.serverCalls} sent to the data server), ${countOf(summary.upstreamRequests, 'upstream request')}, ${failures}.`;
}
