/** The benchmark's stdout table: flows, the bound and the ratios against the targets, the concurrent bursts. */

import { ANALYSTS, SECTIONS } from '../src/research/types.js';
import type { ClaimCheckCost } from './claim-check.js';
import type { CompressionResult } from './compression.js';
import type { ConcurrencyResult, FirstRun, FlowResult, StageMedians } from './flows.js';
import type { FollowUpResults } from './follow-ups.js';
import type { WarmUp } from './harness.js';
import { ANALYST_RANGE_MS, analystDelayMs, SECTION_RANGE_MS, sectionDelayMs, TOOL_LATENCY_MS } from './latency.js';
import { round } from './stats.js';

/** The shape of `bench/results.json`. */
export interface BenchResults {
  bound_ms: number;
  naive: FlowResult;
  cold: FlowResult;
  warm: FlowResult;
  concurrency: Record<string, ConcurrencyResult>;
  /** Follow-ups: a comparison with and without smart prefetch, and a Claude tool-use answer (`follow-ups.ts`). */
  followUps?: FollowUpResults;
  /** The tool cache with and without compression: bytes stored, read time (`compression.ts`). */
  compression?: CompressionResult[];
}

/** Context printed with the table. */
export interface TableMeta {
  machine: string;
  runs: number;
  /** How the MCP server came up before the measured runs (paid once per process). */
  warmUp: WarmUp | undefined;
  /** Median stage times of the tickerdesk flows, ms. */
  stages: { cold: StageMedians; warm: StageMedians };
  /** A cold run as the first thing a fresh process does (no warm-up), per way of running the server. */
  firstRuns: FirstRun[];
  /** How the measured runs' MCP server was run. */
  loader: 'bundle' | 'tsx';
  /** The tickerdesk gateway's tool cache. */
  cache: 'sqlite' | 'redis';
  elapsedS: number;
  out: string;
  /** The claim check's cost on one whole report. */
  claimCheck?: ClaimCheckCost;
}

const pad = (cells: readonly (string | number)[], widths: readonly number[]) =>
  cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i] ?? 0) : String(c).padStart(widths[i] ?? 0))).join('  ');

const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');

/** Where a cold run's time beyond the bound went: each stage against its share of the bound. */
function overheadLine(overMs: number, stages: StageMedians): string {
  const analyst = Math.max(...ANALYSTS.map(analystDelayMs));
  const section = Math.max(...SECTIONS.map((s) => sectionDelayMs(s.id)));
  return (
    `cold overhead over the bound: ${round(overMs)} ms (median stages: prefetch ${stages.prefetch} ms vs ${TOOL_LATENCY_MS}, ` +
    `analysts ${stages.analysts} vs ${analyst}, sections ${stages.sections} vs ${section})`
  );
}

/** Render `r` as a short plain-text report. */
export function formatTable(r: BenchResults, meta: TableMeta): string {
  const lines: string[] = [];
  lines.push(
    `tickerdesk bench: latency model 1:100 (tool ${TOOL_LATENCY_MS} ms, analyst ${ANALYST_RANGE_MS.join('–')} ms, ` +
      `section ${SECTION_RANGE_MS.join('–')} ms), median of ${meta.runs} runs`,
    `machine: ${meta.machine}; tool cache: ${meta.cache === 'redis' ? 'Redis' : 'SQLite file'}`,
    '',
  );
  const w = [16, 9, 13, 14, 11, 11, 9];
  lines.push(pad(['flow', 'total ms', 'first out ms', 'first sect ms', 'tool calls', 'duplicates', 'hit rate'], w));
  const row = (name: string, f: FlowResult) =>
    pad(
      [name, f.total_ms, f.first_output_ms, f.first_section_ms, f.tool_calls, f.duplicate_calls, f.cache_hit_rate],
      w,
    );
  lines.push(row('naive', r.naive), row('tickerdesk cold', r.cold), row('tickerdesk warm', r.warm), '');
  const coldBound = r.cold.total_ms / r.bound_ms;
  const naiveCold = r.naive.total_ms / r.cold.total_ms;
  const naiveWarm = r.naive.total_ms / r.warm.total_ms;
  lines.push(
    `critical-path bound: ${r.bound_ms} ms (slowest tool + slowest analyst + slowest section)`,
    overheadLine(r.cold.total_ms - r.bound_ms, meta.stages.cold),
    `tickerdesk cold / bound: ${round(coldBound, 3)} (target ≤ 1.10: ${mark(coldBound <= 1.1)})`,
    `naive / tickerdesk cold: ${round(naiveCold, 2)} (target ≥ 3.5: ${mark(naiveCold >= 3.5)})`,
    `naive / tickerdesk warm: ${round(naiveWarm, 2)} (target ≥ 20: ${mark(naiveWarm >= 20)})`,
    `first output cold: ${r.cold.first_output_ms} ms (target ≤ 1000: ${mark(r.cold.first_output_ms <= 1000)})`,
    `once per process, before the runs (server ${meta.loader === 'bundle' ? 'bundled' : 'under tsx'}): spawn to first answer ` +
      `${Math.round(meta.warmUp?.spawnMs ?? Number.NaN)} ms, first use of every tool ${Math.round(meta.warmUp?.firstUseMs ?? Number.NaN)} ms`,
    ...meta.firstRuns.map(
      (f) =>
        `first run in a fresh process, server ${f.loader === 'bundle' ? 'bundled' : 'under tsx'}, no warm-up: ${f.totalMs} ms ` +
        `(prefetch ${f.stageMs.prefetch} ms: spawn and first use ≈ ${f.stageMs.prefetch - TOOL_LATENCY_MS} ms)`,
    ),
    '',
  );
  const bursts = Object.values(r.concurrency);
  if (bursts.length > 0) {
    const cw = [11, 11, 9, 11, 8, 8, 13, 10];
    lines.push(
      pad(['concurrent', 'tool calls', 'distinct', 'duplicates', 'p50 ms', 'p95 ms', 'peak RSS MB', 'growth MB'], cw),
    );
    for (const c of bursts) {
      lines.push(
        pad(
          [
            c.runs,
            c.tool_calls,
            c.distinct_calls,
            c.tool_calls - c.distinct_calls,
            c.p50_ms,
            c.p95_ms,
            c.peak_rss_mb,
            c.rss_growth_mb,
          ],
          cw,
        ),
      );
    }
    const c100 = r.concurrency['100'];
    if (c100)
      lines.push(`RSS growth at 100: ${c100.rss_growth_mb} MB (target < 150: ${mark(c100.rss_growth_mb < 150)})`);
    lines.push('');
  }
  const c = meta.claimCheck;
  if (c) {
    lines.push(
      `claim check, whole ${c.ticker} report (${c.chars} chars, ${c.numbers} numbers, ${c.findings} findings): ` +
        `median ${c.checkMedianMs} ms, p95 ${c.checkP95Ms} ms (target < 5: ${mark(c.checkMedianMs < 5)}); ` +
        `claim reference once per run: ${c.buildMedianMs} ms`,
      '',
    );
  }
  lines.push(`wrote ${meta.out} in ${round(meta.elapsedS, 1)} s`, '');
  return lines.join('\n');
}
