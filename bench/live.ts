/**
 * The live-provider flow (issue 12's benchmark): the real runtime (gateway, SQLite tool cache, MCP data server over
 * stdio with its SEC EDGAR, Yahoo and Stooq providers) against the 127.0.0.1 stand-ins with realistic latencies (SEC
 * 150–400 ms a request, prices 200–500 ms) and SEC's 10 requests per second enforced (429 past it). Measures:
 *
 * - upstream requests of one cold report against the naive flow's (the four analysts' 12 tool calls one after
 *   another, each on a data server of its own: nothing cached or shared, not even the SEC ticker map);
 * - the time of {@link COLD_RUNS} cold reports (one ticker each, one after another) against their critical paths
 *   (`./live-path.ts`), and the median ratio;
 * - 100 concurrent cold runs over 50 tickers against the rate-limit bound (SEC requests ÷ 10 per second);
 * - 429s received, and upstream requests of a warm rerun.
 *
 * Form 4 filings are capped at {@link FORM4_FILINGS} per company (SEC_FORM4_MAX_FILINGS) and waited for within the
 * call (SEC_FORM4_WAIT_MS), so every request a report causes is counted with it and none trails into the next flow.
 * The tickers: NVDA, AAPL, MSFT, TSLA (recorded SEC JSON) and the SEC stand-in's derived companies (copies of
 * NVIDIA's and Apple's under their own CIK, see test/helpers/sec-stand-in.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Config, loadConfig } from '../src/config.js';
import { logger as rootLogger } from '../src/log.js';
import { planRequests } from '../src/research/plan.js';
import { ANALYSTS } from '../src/research/types.js';
import { createRuntime, type Runtime } from '../src/runtime.js';
import { createToolGateway } from '../src/tools/index.js';
import { peakPerWindow } from '../test/helpers/http-stand-in.js';
import { liveEnv } from '../test/helpers/live-env.js';
import { DERIVED_COMPANIES } from '../test/helpers/sec-stand-in.js';
import { type StandInLog, type StandIns, startStandIns } from '../test/helpers/stand-ins-child.js';
import { NO_CACHE } from './harness.js';
import { type LiveCriticalPath, liveCriticalPath, SEC_LIMIT_PER_SECOND } from './live-path.js';
import { NAIVE_CALLS } from './naive.js';
import { median, round } from './stats.js';

/** Form 4 filings fetched per company in this flow. */
export const FORM4_FILINGS = 5;
/** Injected service time of each stand-in request, ms. */
export const SEC_LATENCY_MS: [number, number] = [150, 400];
export const PRICE_LATENCY_MS: [number, number] = [200, 500];

/**
 * Cold reports measured against their critical paths, one ticker each, one after another: the four with recorded SEC
 * JSON (NVDA, AAPL, MSFT, TSLA). Not the derived companies: they list their source company's Form 4 filings, which
 * the data server already holds by then, so their reports are not cold.
 */
export const COLD_RUNS = 4;

/** One cold report against its critical path. */
export interface ColdRun {
  ticker: string;
  ms: number;
  critical_path_ms: number;
  critical_path_limited_by: LiveCriticalPath['limitedBy'];
  /** `ms ÷ critical_path_ms`. */
  over_critical_path: number;
}

/** The live flow's figures, as written to `bench/results.json` under `live`. */
export interface LiveResult {
  ticker: string;
  naive_upstream_requests: number;
  /** Upstream requests of the cold `ticker` report (the first cold run). */
  cold_upstream_requests: number;
  naive_over_cold: number;
  /** The cold runs ({@link COLD_RUNS} tickers, `ticker` first), in the order they ran. */
  cold_runs: ColdRun[];
  /** The median of the cold runs' `over_critical_path` (the target's figure). */
  cold_over_critical_path: number;
  burst: {
    runs: number;
    tickers: number;
    ms: number;
    sec_requests: number;
    upstream_requests: number;
    rate_limit_bound_ms: number;
    over_bound: number;
    /** Time ÷ (SEC requests ÷ our own SEC limit, SEC_MAX_RPS): what our margin under SEC's limit costs aside. */
    over_own_limit: number;
    peak_sec_per_second: number;
    outcomes: Record<string, number>;
  };
  throttled_429: number;
  warm_upstream_requests: number;
  /** The first few upstream paths a warm rerun requested (empty when it requested none). */
  warm_upstream_paths: string[];
  sec_max_rps: number;
  tool_concurrency: number;
}

/** Settings a bench run may override (`--tool-concurrency`, `--sec-max-rps`). */
export interface LiveOptions {
  toolConcurrency?: number;
  secMaxRps?: number;
}

function configFor(env: Record<string, string>, home: string, options: LiveOptions): Config {
  return loadConfig({
    ...env,
    ...(options.toolConcurrency ? { TOOL_CONCURRENCY: String(options.toolConcurrency) } : {}),
    ...(options.secMaxRps ? { SEC_MAX_RPS: String(options.secMaxRps) } : {}),
    TICKERDESK_HOME: home,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    SEC_FORM4_MAX_FILINGS: String(FORM4_FILINGS),
    SEC_FORM4_WAIT_MS: '300000',
    TOOL_TIMEOUT_MS: '300000',
    UPSTREAM_TIMEOUT_MS: '5000',
    WRITER: 'template',
  });
}

/** The naive flow's upstream requests for `ticker`: its 12 calls in order, each on a fresh data server, no cache. */
async function naiveRequests(config: Config, ticker: string, standIns: StandIns): Promise<number> {
  const count = (l: StandInLog) => l.sec.length + l.prices.length;
  const before = count(await standIns.settled());
  for (const analyst of ANALYSTS) {
    for (const key of NAIVE_CALLS[analyst]) {
      const planned = planRequests(ticker).find((p) => p.part === key);
      if (!planned) continue;
      await standIns.quiet();
      const gateway = await createToolGateway(config, { cache: NO_CACHE });
      try {
        await gateway.call(planned.request, { fresh: true }).catch(() => undefined);
      } finally {
        await gateway.close();
      }
    }
  }
  return count(await standIns.settled()) - before;
}

/** Run the live flow (see the module comment). Takes about a minute, mostly waiting on SEC's limit. */
export async function measureLive(
  ticker = 'NVDA',
  log: (line: string) => void = () => {},
  options: LiveOptions = {},
): Promise<LiveResult> {
  const derived = DERIVED_COMPANIES.slice(0, 46);
  const tickers = ['NVDA', 'AAPL', 'MSFT', 'TSLA', ...derived.map((d) => d.ticker)];
  const standIns = await startStandIns({
    secLatencyMs: SEC_LATENCY_MS,
    priceLatencyMs: PRICE_LATENCY_MS,
    derived: derived.length,
    aliases: Object.fromEntries(derived.map((d) => [d.ticker, d.from])),
  });
  const { sec, prices } = standIns;
  const homes: string[] = [];
  const runtimes: Runtime[] = [];
  const fresh = async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-bench-live-'));
    homes.push(home);
    const config = configFor(liveEnv(sec, prices), home, options);
    const runtime = await createRuntime(config, {
      logger: rootLogger.child({ component: 'bench' }, { level: config.logLevel }),
    });
    runtimes.push(runtime);
    // As a long-lived instance: the data server spawned and the SEC ticker map fetched (kept a day) before any run.
    await runtime.gateway.call(
      { server: 'tickerdesk', tool: 'get_company_profile', args: { ticker: 'MSFT' } },
      { fresh: true },
    );
    await standIns.settled();
    return { config, runtime };
  };
  try {
    const { config, runtime: single } = await fresh();
    log(`bench: live naive flow (12 calls, a data server each) on ${ticker}…`);
    const naive = await naiveRequests(config, ticker, standIns);

    // One sample is at the mercy of the stand-ins' random latencies and the machine: several cold reports, one
    // ticker each (each cold; the ticker map is warm, as in a long-lived instance), and their median.
    const coldTickers = [ticker, ...tickers.filter((t) => t !== ticker)].slice(0, COLD_RUNS);
    log(`bench: live cold reports on ${coldTickers.join(', ')}…`);
    const coldRuns: ColdRun[] = [];
    let coldRequests = 0;
    for (const t of coldTickers) {
      const log0 = await standIns.quiet();
      const t0 = performance.now();
      const cold = await single.research.start(t).result;
      const coldMs = performance.now() - t0;
      const log1 = await standIns.settled();
      const coldSec = log1.sec.slice(log0.sec.length);
      const coldPrices = log1.prices.slice(log0.prices.length);
      if (t === ticker) coldRequests = coldSec.length + coldPrices.length;
      const afterPrefetch = (cold.stageMs.analysts ?? 0) + (cold.stageMs.sections ?? 0);
      const path_ = liveCriticalPath(coldSec, coldPrices, afterPrefetch);
      coldRuns.push({
        ticker: t,
        ms: round(coldMs),
        critical_path_ms: round(path_.totalMs),
        critical_path_limited_by: path_.limitedBy,
        over_critical_path: round(coldMs / path_.totalMs, 3),
      });
    }

    log(`bench: live burst, 100 concurrent cold runs over ${tickers.length} tickers…`);
    const { runtime: burstRuntime } = await fresh();
    const log2 = await standIns.quiet();
    const t1 = performance.now();
    const burst = await Promise.all(
      Array.from({ length: 100 }, (_, i) => burstRuntime.research.start(tickers[i % tickers.length] as string).result),
    );
    const burstMs = performance.now() - t1;
    const log3 = await standIns.settled();
    const burstSec = log3.sec.slice(log2.sec.length);
    const outcomes: Record<string, number> = {};
    for (const r of burst) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    const boundMs = (burstSec.length / SEC_LIMIT_PER_SECOND) * 1000;

    log('bench: live warm rerun of every ticker…');
    await Promise.all(tickers.map((t) => burstRuntime.research.start(t).result));
    const log4 = await standIns.settled();
    const warmPaths = [...log4.sec.slice(log3.sec.length), ...log4.prices.slice(log3.prices.length)].map((r) => r.path);

    return {
      ticker,
      naive_upstream_requests: naive,
      cold_upstream_requests: coldRequests,
      naive_over_cold: round(naive / coldRequests, 2),
      cold_runs: coldRuns,
      cold_over_critical_path: round(median(coldRuns.map((r) => r.over_critical_path)), 3),
      burst: {
        runs: burst.length,
        tickers: tickers.length,
        ms: round(burstMs),
        sec_requests: burstSec.length,
        upstream_requests: burstSec.length + (log3.prices.length - log2.prices.length),
        rate_limit_bound_ms: round(boundMs),
        over_bound: round(burstMs / boundMs, 3),
        over_own_limit: round(burstMs / ((burstSec.length / config.data.sec.maxRps) * 1000), 3),
        peak_sec_per_second: peakPerWindow(burstSec),
        outcomes,
      },
      throttled_429: log4.throttled,
      warm_upstream_requests: warmPaths.length,
      warm_upstream_paths: warmPaths.slice(0, 8),
      sec_max_rps: config.data.sec.maxRps,
      tool_concurrency: config.tools.concurrency,
    };
  } finally {
    await Promise.allSettled(runtimes.map((r) => r.close()));
    await standIns.close();
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  }
}

const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');

/** The live flow's lines for the bench's table (targets: naive/cold ≥ 3, cold ≤ 1.15 × path, burst ≤ 1.2 × bound, 0 429s, 0 warm requests). */
export function formatLive(l: LiveResult): string[] {
  const b = l.burst;
  return [
    `live providers (stand-ins: SEC ${SEC_LATENCY_MS.join('–')} ms and ≤ ${SEC_LIMIT_PER_SECOND}/s with 429 past it, prices ` +
      `${PRICE_LATENCY_MS.join('–')} ms; our SEC limit ${l.sec_max_rps}/s; ${l.tool_concurrency} tool calls in flight; Form 4s ≤ ${FORM4_FILINGS} a company)`,
    `upstream requests, one cold ${l.ticker} report: naive ${l.naive_upstream_requests}, tickerdesk ${l.cold_upstream_requests}; ` +
      `naive / cold ${l.naive_over_cold} (target ≥ 3: ${mark(l.naive_over_cold >= 3)})`,
    `${l.cold_runs.length} cold reports against their critical paths: ` +
      l.cold_runs
        .map(
          (r) =>
            `${r.ticker} ${r.ms} / ${r.critical_path_ms} ms (${r.critical_path_limited_by}) ${r.over_critical_path}×`,
        )
        .join(', ') +
      `; median ${l.cold_over_critical_path}× (target ≤ 1.15: ${mark(l.cold_over_critical_path <= 1.15)})`,
    `${b.runs} concurrent cold runs over ${b.tickers} tickers: ${b.ms} ms for ${b.sec_requests} SEC requests ` +
      `(${b.upstream_requests} upstream in all; outcomes ${JSON.stringify(b.outcomes)}), rate-limit bound ${b.rate_limit_bound_ms} ms; ` +
      `${b.over_bound}× (target ≤ 1.2: ${mark(b.over_bound <= 1.2)}); ${b.over_own_limit}× the bound at our own ${l.sec_max_rps}/s; ` +
      `peak SEC requests in any second ${b.peak_sec_per_second}`,
    `429s received: ${l.throttled_429} (target 0: ${mark(l.throttled_429 === 0)}); upstream requests of a warm rerun of ` +
      `every ticker: ${l.warm_upstream_requests} (target 0: ${mark(l.warm_upstream_requests === 0)})` +
      (l.warm_upstream_paths.length > 0 ? ` e.g. ${l.warm_upstream_paths.slice(0, 3).join(', ')}` : ''),
    '',
  ];
}
