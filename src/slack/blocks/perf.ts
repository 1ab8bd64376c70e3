/**
 * `/perf` as Block Kit: the same figures as `npm run perf` (runs, p50/p95 durations, time to first output, cache
 * hit rate, calls saved, per-tool latency, LLM use, recent errors, alerts). Pure; data from `MetricsStore.perfReport()`.
 */
import type { types } from '@slack/bolt';
import { feedbackLine } from '../../metrics/feedback.js';
import { FIGURE_NAMES, formatBytes, formatRate, prefetchLine } from '../../metrics/format.js';
import type { RefusalCounts } from '../../metrics/marks.js';
import type { PerfReport } from '../../metrics/types.js';
import {
  clip,
  contextLine,
  countOf,
  escapeMrkdwn,
  formatDuration,
  mrkdwnSection,
  type SlackMessage,
  slackTime,
} from './format.js';

const ms = (v: number | null) => (v === null ? '—' : formatDuration(v));
const pct = (v: number | null) => (v === null ? '—' : formatRate(v));

/** A recorded `code: message` without the internal code (`tickerdesk_unknown_ticker: `): the message says it. */
const plainError = (error: string) => error.replace(/^tickerdesk_[a-z_]+: /, '');

/** `Upstream: 42 requests (8.4 per run), 1.2 MB, 0 × 429 · data.sec.gov 30 req, mean 210 ms · …` */
function upstreamUse(u: NonNullable<PerfReport['upstream']>): string {
  const hosts = u.hosts.slice(0, 4).map((h) => `${h.host} ${h.requests} req, mean ${h.meanMs} ms`);
  const mb = (u.bytes / 1_000_000).toFixed(1);
  return `Upstream: ${u.requests} requests (${u.requestsPerRun ?? 0} per run), ${mb} MB, ${u.throttled} × 429 · ${hosts.join(' · ')}`;
}

/** `Tool cache: 412 entries (380 compressed), 1.21 MB stored, 3.10× compression, 1.40 MB on disk (SQLite, brotli)` */
function cacheUse(c: NonNullable<PerfReport['cache']>): string {
  const ratio = c.ratio === null ? '—' : `${c.ratio.toFixed(2)}×`;
  const disk = c.diskBytes === undefined ? '' : `, ${formatBytes(c.diskBytes)} on disk`;
  const backend = c.backend === 'sqlite' ? 'SQLite' : 'Redis';
  return `Tool cache: ${c.entries} entries (${c.compressed} compressed), ${formatBytes(c.storedBytes)} stored, ${ratio} compression${disk} (${backend}, ${c.compression})`;
}

function modelUse(u: PerfReport['usage']): string {
  const tokens = u.inputTokens + u.outputTokens + u.cacheWriteTokens + u.cacheReadTokens;
  if (tokens === 0 && !u.unverifiedFigures) return 'Model use: none (no section was written by an LLM)';
  return `Model use: ${u.inputTokens} input, ${u.outputTokens} output, ${u.cacheWriteTokens} cache-write, ${u.cacheReadTokens} cache-read tokens · $${u.costUsd.toFixed(4)} · ${u.unverifiedFigures ?? 0} unverified figures`;
}

function field(label: string, value: string): types.MrkdwnElement {
  return { type: 'mrkdwn', text: `*${label}*\n${value}` };
}

function perToolTable(perTool: PerfReport['perTool']): string {
  const rows = [...perTool].sort((a, b) => b.p95Ms - a.p95Ms).slice(0, 15);
  const width = Math.max(4, ...rows.map((r) => r.tool.length));
  const lines = [
    `${'tool'.padEnd(width)}   made      p50      p95`,
    ...rows.map(
      (r) =>
        `${r.tool.padEnd(width)}  ${String(r.calls).padStart(5)}  ${formatDuration(r.p50Ms).padStart(7)}  ${formatDuration(r.p95Ms).padStart(7)}`,
    ),
  ];
  return clip(`\`\`\`\n${lines.join('\n')}\n\`\`\``, 3000);
}

/** What the tool cache holds and the prewarm's use, as context lines (none when absent). */
function cacheAndPrewarm(report: PerfReport): types.KnownBlock[] {
  const lines: types.KnownBlock[] = [];
  if (report.cache) lines.push(contextLine(cacheUse(report.cache)));
  const p = report.prewarm;
  if (p) lines.push(contextLine(`Prewarm: prewarmed, later used: ${p.laterUsed} of ${p.prewarmed} (last 30 days)`));
  return lines;
}

/** The ephemeral `/perf` answer. */
export function perfMessage(report: PerfReport): SlackMessage {
  const reset = report.reset
    ? contextLine(
        `Counting from the reset ${slackTime(report.reset.at)} by ${/^[UW][A-Z0-9]+$/.test(report.reset.by) ? `<@${report.reset.by}>` : escapeMrkdwn(report.reset.by)}; earlier runs are kept.`,
      )
    : undefined;
  if (report.runs === 0) {
    const none = report.reset ? 'No research runs since the reset.' : 'No research runs recorded yet.';
    return {
      text: none,
      blocks: [
        mrkdwnSection(`:bar_chart: *tickerdesk performance*\n${none} Try \`/research-stock NVDA\`.`),
        ...(reset ? [reset] : []),
        // The cache and the prewarm need no run: after a reset, or a desk prewarmed before its first report.
        ...cacheAndPrewarm(report),
      ],
    };
  }
  const outcomes = Object.entries(report.byOutcome)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  const t = report.toolCalls;
  const blocks: types.KnownBlock[] = [
    mrkdwnSection(`:bar_chart: *tickerdesk performance* — ${countOf(report.runs, 'run')} (${outcomes})`),
    ...(reset ? [reset] : []),
    {
      type: 'section',
      fields: [
        field(`${FIGURE_NAMES.duration} p50 / p95`, `${ms(report.p50DurationMs)} / ${ms(report.p95DurationMs)}`),
        field(
          `${FIGURE_NAMES.firstOutput} p50 / p95`,
          `${ms(report.p50FirstOutputMs)} / ${ms(report.p95FirstOutputMs)}`,
        ),
        field(`${FIGURE_NAMES.firstSection} p50`, ms(report.p50FirstSectionMs)),
        field('Cache hit rate', pct(report.cacheHitRate)),
        field(
          'Tool calls',
          `${t.total} total: ${t.made} made, ${t.hits} cached, ${t.coalesced} shared, ${t.errors} failed`,
        ),
        field('Calls saved', String(report.callsSaved)),
      ],
    },
  ];
  if (report.prefetch && report.prefetch.runs > 0)
    blocks.push(contextLine(`Smart prefetch: ${prefetchLine(report.prefetch)}`));
  if (report.perTool.length > 0) blocks.push(mrkdwnSection(`*Per-tool latency*\n${perToolTable(report.perTool)}`));
  blocks.push(contextLine(modelUse(report.usage)));
  if (report.upstream && report.upstream.requests > 0) blocks.push(contextLine(upstreamUse(report.upstream)));
  blocks.push(contextLine(escapeMrkdwn(feedbackLine(report.feedback, { up: ':+1:', down: ':-1:' }))));
  blocks.push(...cacheAndPrewarm(report));
  if (report.recentErrors.length > 0) {
    const errs = report.recentErrors
      .slice(0, 5)
      .map((e) => `• ${escapeMrkdwn(e.ticker)}, ${slackTime(e.at)}: ${escapeMrkdwn(plainError(e.error))}`);
    blocks.push(mrkdwnSection(clip(`*Recent errors*\n${errs.join('\n')}`, 3000)));
  }
  const raisedCount = (report.raised ?? []).reduce((n, a) => n + a.count, 0);
  if (report.alerts.length > 0) {
    const flagged = report.alerts.map((a) => `• ${escapeMrkdwn(a.message)}`).join('\n');
    blocks.push(mrkdwnSection(clip(`:rotating_light: *Alerts*\n${flagged}`, 3000)));
  } else if (raisedCount === 0) {
    // Only when nothing was raised either: "No alerts." above "Alerts raised since start-up" contradicted it.
    blocks.push(mrkdwnSection(':large_green_circle: No alerts.'));
  }
  if (report.raised && report.raised.length > 0) {
    const raised = report.raised.map(
      (a) => `• ${a.kind} ×${a.count}, last ${slackTime(a.lastAt)}: ${escapeMrkdwn(a.lastMessage)}`,
    );
    blocks.push(mrkdwnSection(clip(`*Alerts raised since start-up*\n${raised.join('\n')}`, 3000)));
  }
  const text = `tickerdesk: ${countOf(report.runs, 'run')}, p50 ${ms(report.p50DurationMs)}, p95 ${ms(report.p95DurationMs)}, cache hit rate ${pct(report.cacheHitRate)}, ${countOf(report.alerts.length, 'alert')}${raisedCount > 0 ? ` (${raisedCount} raised since start-up)` : ''}`;
  return { text: clip(text), blocks };
}

/**
 * The `/perf` line counting permission refusals `scope` (`since start`, `since <the reset>`), by reason, with the
 * latest one: its time, who, where and what they asked.
 */
export function refusalsLine(r: RefusalCounts, scope: string): types.KnownBlock {
  const parts = (Object.entries(r.byReason) as [string, number][])
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${n} ${REFUSAL_WORDS[reason] ?? reason}`);
  const l = r.last;
  const what = l?.what ? `: ${escapeMrkdwn(l.what)}` : '';
  const last = l ? `, last ${slackTime(l.at)} (<@${l.user}> in <#${l.channel}>${what})` : '';
  return contextLine(`:no_entry: Permission refusals ${scope}: ${r.count} (${parts.join(', ')})${last}`);
}

/** The scope words of {@link refusalsLine} for the stored refusals: since the reset, or all the run log holds. */
export function storedRefusalsScope(report: PerfReport): string {
  return report.reset ? `since the reset ${slackTime(report.reset.at)}` : 'recorded';
}

const REFUSAL_WORDS: Record<string, string> = {
  user: 'user not allowed',
  channel: 'channel not allowed',
  admin: 'not an admin',
};
