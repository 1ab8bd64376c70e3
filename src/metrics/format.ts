/**
 * The perf report as aligned plain text for the terminal (`npm run perf`). Slack's `/perf` renders the same
 * {@link PerfReport} as Block Kit elsewhere.
 */

import type { CacheFootprint } from '../tools/cache-footprint.js';
import { reasonWords } from './feedback.js';
import type { PrewarmUsage } from './prewarm-log.js';
import type { PerfReport } from './types.js';

/** A duration for people: `850 ms`, `3.2 s`, `4.1 min`; `—` when unknown. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  // The unit is chosen after rounding: 999.6 ms is `1.0 s`, 119.96 s is `2.0 min` (not `1000 ms`, `120.0 s`).
  if (Math.round(ms) < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 1200) return `${(tenths / 10).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** A fraction (0–1) as a percentage with one decimal and no space, as in Slack's `/perf`: 0.2 → `20.0%`. */
export function formatRate(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/**
 * Rows → lines with columns padded. By default the first column is left-aligned and the rest (figures)
 * right-aligned; `align` overrides per column.
 */
export function table(rows: readonly (readonly string[])[], align: readonly ('l' | 'r')[] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows.map(
    (row) =>
      '  ' +
      row
        .map((cell, i) =>
          (align[i] ?? (i === 0 ? 'l' : 'r')) === 'l' ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0),
        )
        .join('   ')
        .trimEnd(),
  );
}

const n = (x: number) => x.toLocaleString('en-US');

/** Bytes for people: `812 B`, `41.3 KB`, `1.25 MB` (powers of 1000). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} KB`;
  return `${(bytes / 1_000_000).toFixed(2)} MB`;
}

/** The prewarm's lines of the perf report: "prewarmed, later used: N of M" over the last 30 days. */
export function formatPrewarmUsage(p: PrewarmUsage): string[] {
  return [
    'Prewarm (last 30 days)',
    ...table(
      [
        ['prewarmed, later used', `${n(p.laterUsed)} of ${n(p.prewarmed)}`],
        ['last prewarm', p.lastAt ? p.lastAt.slice(0, 16).replace('T', ' ') : 'none yet'],
      ],
      ['l', 'l'],
    ),
  ];
}

/** An ISO time as `2026-12-07 23:40 UTC`. */
const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

const REFUSAL_REASONS: Record<string, string> = {
  user: 'user not allowed',
  channel: 'channel not allowed',
  admin: 'not an admin',
};

/**
 * The permission refusals' lines of the perf report (as the old tool's permission metrics: count and last time, by
 * reason, with who and what); none when there were none.
 */
export function formatRefusals(r: PerfReport['refusals']): string[] {
  if (!r || r.count === 0) return [];
  const rows = Object.entries(r.byReason).map(([reason, count]) => [REFUSAL_REASONS[reason] ?? reason, n(count)]);
  const l = r.last;
  const last = l ? [['last', `${utc(l.at)}: ${l.user} in ${l.channel}${l.what ? `, ${l.what}` : ''}`]] : [];
  return ['', `Permission refusals: ${n(r.count)}`, ...table([...rows, ...last], ['l', 'l'])];
}

/** The tool cache's lines of the perf report: entries, bytes stored and as JSON, ratio, size on disk. */
export function formatCacheFootprint(c: CacheFootprint): string[] {
  const rows = [
    ['entries', `${n(c.entries)} (${n(c.compressed)} compressed)`],
    ['stored', formatBytes(c.storedBytes)],
    ['as JSON', formatBytes(c.jsonBytes)],
    ['compression ratio', c.ratio === null ? '—' : `${c.ratio.toFixed(2)}×`],
  ];
  if (c.diskBytes !== undefined) rows.push(['size on disk', formatBytes(c.diskBytes)]);
  if (c.unreadable > 0) rows.push(['unreadable entries', n(c.unreadable)]);
  const backend = c.backend === 'sqlite' ? 'SQLite' : 'Redis';
  return [`Tool cache (${backend} ${c.location}, compression ${c.compression})`, ...table(rows, ['l', 'l'])];
}

/**
 * Smart prefetch in one line: `prefetched, later used: 12 of 19 (after 1 report)`, or that nothing was prefetched.
 */
export function prefetchLine(prefetch: PerfReport['prefetch']): string {
  if (!prefetch || prefetch.runs === 0) return 'prefetched, later used: none prefetched';
  const reports = `${prefetch.runs} report${prefetch.runs === 1 ? '' : 's'}`;
  return `prefetched, later used: ${prefetch.used} of ${prefetch.made} (after ${reports})`;
}

/**
 * The names of the timing figures, the same wherever they are shown: `npm run perf` and the performance page (this
 * module's table), `/perf` in Slack (`src/slack/blocks/perf.ts`), the page's charts.
 */
export const FIGURE_NAMES = {
  duration: 'Run duration',
  firstOutput: 'Time to first output',
  firstSection: 'Time to first section',
} as const;

/**
 * Render `report` as plain text: runs and outcomes, p50/p95 durations and times to first output and section, tool
 * calls and cache hit rate, calls saved, smart prefetch (prefetched, later used), per-tool latency, token use and cost, recent errors, what runs went without
 * (degradations: an unreachable cache, a full run log), alerts.
 */
export function formatPerfReport(report: PerfReport): string {
  const lines: string[] = [];
  const outcomes = Object.entries(report.byOutcome)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  lines.push(
    `tickerdesk performance: ${n(report.runs)} run${report.runs === 1 ? '' : 's'}${outcomes ? ` (${outcomes})` : ''}`,
  );
  const reset = report.reset;
  if (reset)
    lines.push(`counting from the reset at ${utc(reset.at)} by ${reset.by} (earlier runs stay in the run log)`);
  if (report.runs === 0) {
    lines.push('', reset ? 'No runs since the reset.' : 'No runs recorded yet. Try `npm run research -- NVDA`.');
    // What the cache holds and what a prewarm did do not need a run: a desk prewarmed before its first report.
    if (report.cache) lines.push('', ...formatCacheFootprint(report.cache));
    if (report.prewarm) lines.push('', ...formatPrewarmUsage(report.prewarm));
    lines.push(...formatRefusals(report.refusals));
    return `${lines.join('\n')}\n`;
  }
  lines.push('');
  lines.push(
    ...table([
      ['', 'p50', 'p95'],
      [FIGURE_NAMES.duration, formatMs(report.p50DurationMs), formatMs(report.p95DurationMs)],
      [FIGURE_NAMES.firstOutput, formatMs(report.p50FirstOutputMs), formatMs(report.p95FirstOutputMs)],
      [FIGURE_NAMES.firstSection, formatMs(report.p50FirstSectionMs), '—'],
    ]),
  );
  const t = report.toolCalls;
  const rate = report.cacheHitRate === null ? '—' : formatRate(report.cacheHitRate);
  lines.push('', 'Tool calls');
  lines.push(
    ...table([
      ['total', n(t.total)],
      ['sent to a server', n(t.made)],
      ['served from cache', n(t.hits)],
      ['coalesced in flight', n(t.coalesced)],
      ['failed', n(t.errors)],
      ['cache hit rate', rate],
      ['calls saved', n(report.callsSaved)],
    ]),
  );
  lines.push(`  ${prefetchLine(report.prefetch)}`);
  if (report.perTool.length > 0) {
    lines.push('', 'Per tool');
    lines.push(
      ...table([
        ['tool', 'calls made', 'p50', 'p95'],
        ...report.perTool.map((p) => [p.tool, n(p.calls), formatMs(p.p50Ms), formatMs(p.p95Ms)]),
      ]),
    );
  }
  const u = report.usage;
  lines.push('', 'Model use');
  lines.push(
    ...table([
      ['input tokens', n(u.inputTokens)],
      ['output tokens', n(u.outputTokens)],
      ['cache write tokens', n(u.cacheWriteTokens)],
      ['cache read tokens', n(u.cacheReadTokens)],
      ['cost', `$${u.costUsd.toFixed(4)}`],
      ['cost per run', `$${(report.runs > 0 ? u.costUsd / report.runs : 0).toFixed(4)}`],
      ['unverified figures', n(u.unverifiedFigures ?? 0)],
      ['rewritten sections', n(u.rewrites ?? 0)],
    ]),
  );
  const up = report.upstream;
  lines.push('', 'Upstream (live data)');
  if (!up || up.requests === 0) lines.push('  no upstream requests (cache or bundled data only)');
  else {
    lines.push(
      ...table([
        ['requests', n(up.requests)],
        ['per run', up.requestsPerRun === null ? '–' : String(up.requestsPerRun)],
        ['bytes', n(up.bytes)],
        ['429 answers', n(up.throttled)],
      ]),
      '',
      ...table([
        ['host', 'requests', 'bytes', '429s', 'mean latency'],
        ...up.hosts.map((h) => [h.host, n(h.requests), n(h.bytes), n(h.throttled), formatMs(h.meanMs)]),
      ]),
    );
  }
  if (report.cache) lines.push('', ...formatCacheFootprint(report.cache));
  if (report.prewarm) lines.push('', ...formatPrewarmUsage(report.prewarm));
  lines.push('', 'Recent errors');
  if (report.recentErrors.length === 0) lines.push('  none');
  else
    lines.push(
      ...table(
        report.recentErrors.map((e) => [e.at.slice(0, 19).replace('T', ' '), e.ticker, e.error]),
        ['l', 'l', 'l'],
      ),
    );
  lines.push('', 'Ran without');
  const degradations = report.degradations ?? [];
  if (degradations.length === 0) lines.push('  nothing: cache and run log worked throughout');
  else
    lines.push(
      ...table(
        degradations.map((d) => [
          d.what,
          `${n(d.count)} time${d.count === 1 ? '' : 's'}`,
          `in ${n(d.runs)} run${d.runs === 1 ? '' : 's'}`,
        ]),
      ),
    );
  lines.push('', 'Reader feedback (Slack)');
  const fb = report.feedback;
  if (!fb || fb.up + fb.down === 0) lines.push('  none yet');
  else {
    lines.push(
      ...table([
        ['thumbs up', n(fb.up)],
        ['thumbs down', n(fb.down)],
        ['runs rated', n(fb.runs)],
        ...fb.reasons.map((r) => [`  ${reasonWords(r.reason)}`, n(r.count)]),
      ]),
    );
    for (const c of fb.comments) lines.push(`  ${c.at.slice(0, 10)} ${c.ticker} ${c.target}: "${c.comment}"`);
  }
  lines.push(...formatRefusals(report.refusals));
  const raised = report.raised !== undefined && report.raised.length > 0;
  // "Alerts: none" above the alerts raised since start-up would contradict them: say none only when both are empty.
  if (report.alerts.length > 0 || !raised) lines.push('', 'Alerts');
  if (report.alerts.length === 0 && !raised) lines.push('  none');
  for (const a of report.alerts) lines.push(`  ! ${a.message} [${a.id}]`);
  if (report.raised && report.raised.length > 0) {
    lines.push('', 'Alerts raised since start-up');
    for (const a of report.raised)
      lines.push(`  ${a.kind} ×${a.count}, last ${a.lastAt.slice(0, 19).replace('T', ' ')} UTC: ${a.lastMessage}`);
  }
  return `${lines.join('\n')}\n`;
}
