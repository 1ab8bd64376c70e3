/**
 * What the CLI prints after the report: the footer (verdict, timings, cache use) and the `--json` form of a result.
 */
import { formatMs } from '../metrics/format.js';
import type { BundleKey, RunResult } from '../research/types.js';

/**
 * The cache line, e.g. `9 tools: 9 cached, 0 called. Served from cache.` `called` counts calls sent to a server
 * (misses, failures, unavailable answers); `coalesced` calls shared another run's call in flight.
 */
export function cacheLine(tools: RunResult['tools']): string {
  const called = tools.misses + tools.errors + (tools.unavailable ?? 0);
  const shared = tools.coalesced > 0 ? `, ${tools.coalesced} shared with a call in flight` : '';
  let line = `${tools.total} tools: ${tools.hits} cached, ${called} called${shared}.`;
  if (tools.misses === 0 && tools.hits + tools.coalesced > 0) {
    const never =
      called > 0 ? ` (except ${called} call${called === 1 ? '' : 's'} never cached: failed or no data)` : '';
    line += ` Served from cache${never}.`;
  }
  return line;
}

/** The footer printed after the report (Markdown-friendly plain text, ends with a newline). */
export function formatFooter(result: RunResult): string {
  const lines = [
    '---',
    `Verdict: ${result.verdict.line}`,
    `Finished in ${formatMs(result.durationMs)} (${result.outcome}); first section after ${formatMs(result.firstSectionMs)}.`,
    cacheLine(result.tools),
  ];
  const u = result.usage;
  const tokens = u.inputTokens + u.outputTokens + u.cacheWriteTokens + u.cacheReadTokens;
  if (tokens > 0) {
    lines.push(
      `Model use: ${u.inputTokens} input, ${u.outputTokens} output, ${u.cacheWriteTokens} cache-write and ` +
        `${u.cacheReadTokens} cache-read tokens; $${u.costUsd.toFixed(4)}` +
        (u.unverifiedFigures ? `; ${u.unverifiedFigures} unverified figure(s) marked.` : '.'),
    );
  }
  if (result.problems.length > 0) {
    lines.push('Problems:');
    for (const p of result.problems) lines.push(`- ${p}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The `--json` form of a result: the RunResult as is, except the data bundle, whose bulk (statements, prices,
 * filings) is replaced by a summary per part: status, source, cache status (and the stale marker of an answer served
 * past its validity while it is refreshed), latency or reason.
 */
export function resultJson(result: RunResult): string {
  const bundle: Record<string, unknown> = { ticker: result.bundle.ticker };
  for (const key of Object.keys(result.bundle) as (BundleKey | 'ticker')[]) {
    if (key === 'ticker') continue;
    const p = result.bundle[key];
    bundle[key] =
      p.status === 'ok'
        ? {
            status: p.status,
            source: p.source,
            fetchedAt: p.fetchedAt,
            cache: p.cache,
            ms: p.ms,
            ...(p.stale ? { stale: p.stale } : {}),
          }
        : { status: p.status, source: p.source, reason: p.reason };
  }
  return `${JSON.stringify({ ...result, bundle }, null, 2)}\n`;
}
