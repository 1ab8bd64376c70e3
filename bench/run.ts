/**
 * `npm run bench`: tickerdesk against the naive flow under the 1:100 latency model, on the real pipeline and the
 * real MCP server over stdio. Prints a table and writes `bench/results.json`.
 *
 * Options: `--runs N` runs per flow (median; default 5, at least 5 for a result worth quoting),
 * `--out FILE` (default `bench/results.json`), `--no-concurrency` to skip the concurrent bursts,
 * `--cache-url redis://HOST:PORT` to measure with the shared Redis cache instead of the SQLite file,
 * `--tool-concurrency N` to override `TOOL_CONCURRENCY` (max tool calls in flight, default 64),
 * `--follow-ups-only` to measure only the follow-up figures (comparison with and without smart prefetch, Claude tool use).
 *
 * Then the live-provider flow (`./live.ts`: SEC and price stand-ins with realistic latencies and SEC's limit),
 * written to `bench/results-live.json` (`--live-out FILE`); `--no-live` skips it, `--live-only` runs only it;
 * `--sec-max-rps N` overrides `SEC_MAX_RPS` (our SEC limit, default 9) for it.
 */
import { setMaxListeners } from 'node:events';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { measureClaimCheck } from './claim-check.js';
import { formatCompression, measureCompression } from './compression.js';
import {
  type ConcurrencyResult,
  measureCold,
  measureConcurrent,
  measureFirstRun,
  measureNaive,
  measureWarm,
} from './flows.js';
import { formatFollowUps, measureFollowUps } from './follow-ups.js';
import { createHarness } from './harness.js';
import { criticalPathBoundMs } from './latency.js';
import { formatLive, type LiveOptions, measureLive } from './live.js';
import { type BenchResults, formatTable } from './report.js';
import { BURST_TICKERS } from './tickers.js';

const TICKER = 'NVDA';

async function main(): Promise<void> {
  // Under the latency model each run's abort signal is legitimately watched by the six section delays as well as
  // the pipeline's own listeners (11 at once): raise Node's leak warning threshold above that for new signals.
  setMaxListeners(32);
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      out: { type: 'string', default: path.join(import.meta.dirname, 'results.json') },
      'no-concurrency': { type: 'boolean', default: false },
      'cache-url': { type: 'string' },
      'tool-concurrency': { type: 'string' },
      'sec-max-rps': { type: 'string' },
      'no-live': { type: 'boolean', default: false },
      'live-only': { type: 'boolean', default: false },
      'live-out': { type: 'string', default: path.join(import.meta.dirname, 'results-live.json') },
      'follow-ups-only': { type: 'boolean', default: false },
    },
  });
  const liveOptions: LiveOptions = {
    ...(values['tool-concurrency'] ? { toolConcurrency: Number.parseInt(values['tool-concurrency'], 10) } : {}),
    ...(values['sec-max-rps'] ? { secMaxRps: Number.parseInt(values['sec-max-rps'], 10) } : {}),
  };
  if (values['live-only']) return writeLive(values['live-out'], liveOptions);
  const runs = Number.parseInt(values.runs, 10);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number ≥ 1, got ${values.runs}`);
  const started = Date.now();
  const concurrencyFlag = values['tool-concurrency'];
  const h = await createHarness({
    ...(values['cache-url'] ? { cacheUrl: values['cache-url'] } : {}),
    ...(concurrencyFlag ? { concurrency: Number.parseInt(concurrencyFlag, 10) } : {}),
  });
  try {
    if (values['follow-ups-only']) {
      process.stderr.write(`bench: follow-ups ×${runs}…\n`);
      const followUps = await measureFollowUps(h, runs);
      writeFileSync(values.out, `${JSON.stringify({ followUps }, null, 2)}\n`);
      process.stdout.write(formatFollowUps(followUps));
      return;
    }
    const bound_ms = criticalPathBoundMs();
    process.stderr.write(`bench: naive ×${runs}…\n`);
    const naive = await measureNaive(h, TICKER, runs);
    process.stderr.write(`bench: cold ×${runs}…\n`);
    const cold = await measureCold(h, TICKER, runs);
    process.stderr.write(`bench: warm ×${runs}…\n`);
    const warm = await measureWarm(h, TICKER, runs);
    process.stderr.write('bench: claim check on a whole report…\n');
    const claimCheck = measureClaimCheck(await h.run(TICKER));
    process.stderr.write(`bench: follow-ups ×${runs} (comparison with and without smart prefetch, Claude tool use)…\n`);
    const followUps = await measureFollowUps(h, runs);
    const concurrency: Record<string, ConcurrencyResult> = {};
    if (!values['no-concurrency']) {
      for (const n of [10, 100]) {
        process.stderr.write(`bench: ${n} concurrent cold runs…\n`);
        concurrency[String(n)] = await measureConcurrent(h, n, BURST_TICKERS);
      }
    }
    process.stderr.write('bench: first run in a fresh process (bundled server, then under tsx)…\n');
    const firstRuns = [await measureFirstRun(TICKER, 'bundle'), await measureFirstRun(TICKER, 'tsx')];
    // The tool cache with and without compression, on the cached answers of the burst tickers (SQLite; Redis too
    // with --cache-url): bytes stored and read time.
    const compression = await measureCompression(BURST_TICKERS, {
      logger: h.logger,
      rounds: 5,
      ...(values['cache-url'] ? { cacheUrl: values['cache-url'] } : {}),
      progress: (line) => process.stderr.write(`bench: tool cache compression: ${line}\n`),
    });
    const results: BenchResults = {
      bound_ms,
      naive,
      cold: cold.flow,
      warm: warm.flow,
      concurrency,
      followUps,
      compression,
    };
    writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
    const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 1024 ** 3)} GB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
    process.stdout.write(
      formatTable(results, {
        machine,
        runs,
        warmUp: h.warmUp,
        stages: { cold: cold.stages, warm: warm.stages },
        firstRuns,
        loader: h.loader,
        cache: h.cacheKind,
        elapsedS: (Date.now() - started) / 1000,
        out: values.out,
        claimCheck,
      }) +
        formatFollowUps(followUps) +
        `\nTool cache with and without compression (${compression[0]?.entries ?? 0} cached answers of ${BURST_TICKERS.length} tickers)\n` +
        formatCompression(compression),
    );
  } finally {
    await h.close();
  }
  if (!values['no-live']) await writeLive(values['live-out'], liveOptions);
}

/** Run the live-provider flow, write its figures to `out` and print its lines. */
async function writeLive(out: string, options: LiveOptions): Promise<void> {
  const started = Date.now();
  const live = await measureLive('NVDA', (line) => process.stderr.write(`${line}\n`), options);
  writeFileSync(out, `${JSON.stringify(live, null, 2)}\n`);
  const load = os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');
  process.stdout.write(
    [
      ...formatLive(live),
      `load average ${load}; wrote ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
