/** The benchmark's stdout table: flows, the bound and the ratios against the targets, the concurrent bursts. */
import type { ConcurrencyResult, FlowResult } from './flows.js';
import { ANALYST_RANGE_MS, SECTION_RANGE_MS, TOOL_LATENCY_MS } from './latency.js';
import { round } from './stats.js';

/** The shape of `bench/results.json`. */
export interface BenchResults {
  bound_ms: number;
  naive: FlowResult;
  cold: FlowResult;
  warm: FlowResult;
  concurrency: Record<string, ConcurrencyResult>;
}

/** Context printed with the table. */
export interface TableMeta {
  machine: string;
  runs: number;
  /** Spawn of the MCP server to its first answer, ms (paid once per process, before the measured runs). */
  serverStartMs: number;
  elapsedS: number;
  out: string;
}

const pad = (cells: readonly (string | number)[], widths: readonly number[]) =>
  cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i] ?? 0) : String(c).padStart(widths[i] ?? 0))).join('  ');

const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');

/** Render `r` as a short plain-text report. */
export function formatTable(r: BenchResults, meta: TableMeta): string {
  const lines: string[] = [];
  lines.push(
    `tickerdesk bench: latency model 1:100 (tool ${TOOL_LATENCY_MS} ms, analyst ${ANALYST_RANGE_MS.join('–')} ms, ` +
      `section ${SECTION_RANGE_MS.join('–')} ms), median of ${meta.runs} runs`,
    `machine: ${meta.machine}`,
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
    `tickerdesk cold / bound: ${round(coldBound, 3)} (target ≤ 1.10: ${mark(coldBound <= 1.1)})`,
    `naive / tickerdesk cold: ${round(naiveCold, 2)} (target ≥ 3.5: ${mark(naiveCold >= 3.5)})`,
    `naive / tickerdesk warm: ${round(naiveWarm, 2)} (target ≥ 20: ${mark(naiveWarm >= 20)})`,
    `first output cold: ${r.cold.first_output_ms} ms (target ≤ 1000: ${mark(r.cold.first_output_ms <= 1000)})`,
    `MCP server spawn to first answer (once per process, before the runs): ${Math.round(meta.serverStartMs)} ms`,
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
  lines.push(`wrote ${meta.out} in ${round(meta.elapsedS, 1)} s`, '');
  return lines.join('\n');
}
