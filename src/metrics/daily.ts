/**
 * The run records per day, for the live performance page's charts: run duration p50/p95, time to first output,
 * cache hit rate, upstream requests per run, tool latency, tokens and cost. Days are UTC calendar days of `startedAt`.
 */
import { percentile } from './stats.js';
import type { RunRecord } from './types.js';

/** One UTC day's figures. Durations in ms; rates 0–1; cost in US dollars; null when the day has no such data. */
export interface DailyPerf {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  /** Finished runs (ok, degraded, failed). */
  runs: number;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  p50FirstOutputMs: number | null;
  p95FirstOutputMs: number | null;
  /** Tool calls served from the cache / all tool calls. */
  cacheHitRate: number | null;
  /** Mean upstream HTTP requests over the day's runs that recorded them. */
  upstreamPerRun: number | null;
  /** Input plus output tokens. */
  tokens: number;
  costUsd: number;
  /** Per tool: its calls that day and their median latency (ms). */
  tools: Record<string, { calls: number; p50Ms: number }>;
}

const FINISHED = new Set<RunRecord['outcome']>(['ok', 'degraded', 'failed']);
const numbers = (xs: (number | undefined)[]): number[] => xs.filter((x): x is number => typeof x === 'number');

/** Each tool's calls and median latency over `runs`. */
function toolLatency(runs: readonly RunRecord[]): DailyPerf['tools'] {
  const all = new Map<string, number[]>();
  for (const r of runs)
    for (const [tool, ms] of Object.entries(r.toolMs)) all.set(tool, [...(all.get(tool) ?? []), ...ms]);
  const out: DailyPerf['tools'] = {};
  for (const [tool, ms] of all) {
    const p50 = percentile(ms, 50);
    if (p50 !== null) out[tool] = { calls: ms.length, p50Ms: p50 };
  }
  return out;
}

/**
 * Group finished runs by UTC day of `startedAt`, oldest day first (days without finished runs are left out).
 * Running, rejected, cancelled and abandoned runs say nothing about speed or spend and are not counted.
 */
export function dailyPerf(records: readonly RunRecord[]): DailyPerf[] {
  const byDay = new Map<string, RunRecord[]>();
  for (const r of records) {
    if (!FINISHED.has(r.outcome)) continue;
    const day = r.startedAt.slice(0, 10);
    const list = byDay.get(day) ?? [];
    list.push(r);
    byDay.set(day, list);
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([day, runs]) => {
      const durations = numbers(runs.map((r) => r.durationMs));
      const firsts = numbers(runs.map((r) => r.firstOutputMs));
      const total = runs.reduce((n, r) => n + r.tools.total, 0);
      const hits = runs.reduce((n, r) => n + r.tools.hits, 0);
      const upstream = numbers(runs.map((r) => r.upstream?.requests));
      return {
        day,
        runs: runs.length,
        p50DurationMs: percentile(durations, 50),
        p95DurationMs: percentile(durations, 95),
        p50FirstOutputMs: percentile(firsts, 50),
        p95FirstOutputMs: percentile(firsts, 95),
        cacheHitRate: total > 0 ? hits / total : null,
        upstreamPerRun: upstream.length > 0 ? upstream.reduce((a, b) => a + b, 0) / upstream.length : null,
        tokens: runs.reduce((n, r) => n + r.usage.inputTokens + r.usage.outputTokens, 0),
        costUsd: runs.reduce((n, r) => n + r.usage.costUsd, 0),
        tools: toolLatency(runs),
      };
    });
}
