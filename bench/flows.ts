/**
 * The measured flows: naive, tickerdesk with a cold cache, tickerdesk with a warm cache (medians of several runs),
 * and bursts of concurrent cold runs over many tickers.
 */
import { performance } from 'node:perf_hooks';
import type { RunResult } from '../src/research/types.js';
import { createHarness, type Harness } from './harness.js';
import { benchWriter } from './latency.js';
import { runNaive } from './naive.js';
import { median, percentile, round } from './stats.js';

/** One flow's medians, as written to `bench/results.json`. */
export interface FlowResult {
  total_ms: number;
  first_output_ms: number;
  first_section_ms: number;
  tool_calls: number;
  duplicate_calls: number;
  cache_hit_rate: number;
}

/** One burst of concurrent runs, as written to `bench/results.json`. */
export interface ConcurrencyResult {
  runs: number;
  tool_calls: number;
  distinct_calls: number;
  p50_ms: number;
  p95_ms: number;
  peak_rss_mb: number;
  rss_growth_mb: number;
}

/** Median stage times of a tickerdesk flow, ms (printed, not in results.json). */
export type StageMedians = RunResult['stageMs'];

/** A tickerdesk flow's medians and its median stage times. */
export interface MeasuredFlow {
  flow: FlowResult;
  stages: StageMedians;
}

/** One measured run of a flow, ms and counts. */
export interface Sample {
  stageMs?: StageMedians;
  totalMs: number;
  firstOutputMs: number;
  firstSectionMs: number;
  toolCalls: number;
  duplicateCalls: number;
  cacheHitRate: number;
}

/**
 * The medians of `samples` as a {@link FlowResult}. Every time is rounded to the same 0.1 ms, so times equal in every
 * sample stay equal (the naive flow's first output is its end; rounding them apart once showed 5116.5 against 5116).
 */
export function summarise(samples: readonly Sample[]): FlowResult {
  const m = (f: (s: Sample) => number, digits = 0) => round(median(samples.map(f)), digits);
  return {
    total_ms: m((s) => s.totalMs, 1),
    first_output_ms: m((s) => s.firstOutputMs, 1),
    first_section_ms: m((s) => s.firstSectionMs, 1),
    tool_calls: m((s) => s.toolCalls),
    duplicate_calls: m((s) => s.duplicateCalls),
    cache_hit_rate: m((s) => s.cacheHitRate, 3),
  };
}

/** The naive flow `runs` times on `ticker` (no cache, so every run is the same). */
export async function measureNaive(h: Harness, ticker: string, runs: number): Promise<FlowResult> {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    h.naiveCounter.reset();
    const s = await runNaive(h.naiveGateway, benchWriter(), ticker);
    if (s.reportChars === 0) throw new Error('the naive flow wrote an empty report');
    const c = h.naiveCounter.read();
    samples.push({ ...s, toolCalls: c.calls, duplicateCalls: c.calls - c.distinct, cacheHitRate: 0 });
  }
  return summarise(samples);
}

function stagesOf(samples: readonly Sample[]): StageMedians {
  const m = (k: keyof StageMedians) => round(median(samples.map((s) => s.stageMs?.[k] ?? Number.NaN)));
  return { prefetch: m('prefetch'), analysts: m('analysts'), sections: m('sections') };
}

function sampleOf(h: Harness, result: RunResult): Sample {
  if (result.sections.length === 0) throw new Error(`the ${result.ticker} run wrote no sections`);
  const c = h.counter.read();
  return {
    stageMs: result.stageMs,
    totalMs: result.durationMs,
    firstOutputMs: result.firstOutputMs,
    firstSectionMs: result.firstSectionMs,
    toolCalls: c.calls,
    duplicateCalls: c.calls - c.distinct,
    cacheHitRate: c.requests === 0 ? 0 : c.hits / c.requests,
  };
}

/** Tickerdesk runs on `ticker`, each after emptying the cache. */
export async function measureCold(h: Harness, ticker: string, runs: number): Promise<MeasuredFlow> {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    await h.clearCache();
    h.counter.reset();
    const result = await h.run(ticker);
    // Cold means no tool answer and no finding or section from the cache: the writer did all of its work.
    if (result.writerCache?.hits) throw new Error(`a cold ${ticker} run was served from the writer cache`);
    samples.push(sampleOf(h, result));
  }
  return { flow: summarise(samples), stages: stagesOf(samples) };
}

/** Tickerdesk runs on `ticker` with the cache (tool answers, findings, sections) filled by one unmeasured run first. */
export async function measureWarm(h: Harness, ticker: string, runs: number): Promise<MeasuredFlow> {
  await h.clearCache();
  await h.run(ticker);
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    h.counter.reset();
    samples.push(sampleOf(h, await h.run(ticker)));
  }
  return { flow: summarise(samples), stages: stagesOf(samples) };
}

/** One cold run in a fresh process with no warm-up: total ms and its stage times (spawn lands in prefetch). */
export interface FirstRun {
  loader: 'bundle' | 'tsx';
  totalMs: number;
  stageMs: RunResult['stageMs'];
}

/** A cold run as the first thing a new process does: the MCP server spawns and each tool runs for the first time. */
export async function measureFirstRun(ticker: string, loader: 'bundle' | 'tsx'): Promise<FirstRun> {
  const h = await createHarness({ warm: false, loader });
  try {
    const r = await h.run(ticker);
    return { loader: h.loader, totalMs: r.durationMs, stageMs: r.stageMs };
  } finally {
    await h.close();
  }
}

const MB = 1024 * 1024;

/** `runs` cold runs started at once, ticker `i` being `tickers[i % tickers.length]`. */
export async function measureConcurrent(
  h: Harness,
  runs: number,
  tickers: readonly string[],
): Promise<ConcurrencyResult> {
  await h.clearCache();
  h.counter.reset();
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: runs }, (_, i) => h.run(tickers[i % tickers.length] as string)),
  );
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  const wallMs = performance.now() - t0;
  const c = h.counter.read();
  const durations = results.map((r) => r.durationMs);
  h.logger.debug({ runs, wallMs }, 'concurrent burst done');
  return {
    runs,
    tool_calls: c.calls,
    distinct_calls: c.distinct,
    p50_ms: round(percentile(durations, 50)),
    p95_ms: round(percentile(durations, 95)),
    peak_rss_mb: round(peak / MB, 1),
    rss_growth_mb: round((peak - before) / MB, 1),
  };
}
