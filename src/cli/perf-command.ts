/**
 * `perf`: the performance report of recorded runs (`formatPerfReport`), or `--json` for the raw figures;
 * `--chart FILE` also draws the durations of the last runs (cold and warm) as a PNG.
 */
import { existsSync } from 'node:fs';
import { type Config, loadConfig } from '../config.js';
import { asTickerdeskError } from '../errors.js';
import { formatBytes, formatPerfReport } from '../metrics/format.js';
import { readPrewarmUsageFor } from '../metrics/prewarm-log.js';
import { openRedisRunLog } from '../metrics/run-log.js';
import { type MetricsStore, openMetricsStore } from '../metrics/store.js';
import { writeFileAtomic } from '../report/atomic-write.js';
import { pathProblem } from '../sqlite-files.js';
import type { CacheFootprint } from '../tools/cache-footprint.js';
import { redactRedisUrl } from '../tools/redis-url.js';
import type { CliIo } from './io.js';

/** Options of the `perf` command. */
export interface PerfFlags {
  json?: boolean;
  /** Most recent runs to include. @default 500 */
  limit?: number;
  /** Also save a PNG of the last runs' durations here. */
  chart?: string;
  /** First mark a reset point: the report counts runs from now on (the records are kept), as `/perf reset`. */
  reset?: boolean;
  /** First empty the tool cache and say what was removed, as `/perf flush-cache`. */
  flushCache?: boolean;
}

/** Runs the `--chart` picture shows at most. */
const CHART_RUNS = 40;

/**
 * Open the run log at `file` for reading: nothing is created (a missing file reads as no runs), nothing is written
 * when its schema is current (so another process's writes never hold it up), and a file this process cannot write
 * (a read-only folder, a full disk) is read read-only.
 * @throws the SQLite error when the file cannot be read (not a database, not a file).
 */
async function openForReading(file: string): Promise<MetricsStore> {
  if (!existsSync(file)) return openMetricsStore(':memory:', { history: false });
  try {
    return await openMetricsStore(file, { mode: 'existing', history: false });
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (code !== 'SQLITE_CANTOPEN' && code !== 'SQLITE_READONLY' && code !== 'SQLITE_FULL') throw err;
    return openMetricsStore(file, { mode: 'read-only', history: false });
  }
}

/** The tool cache's footprint, or undefined (said on stderr) when the cache cannot be read. */
async function footprint(config: Config, io: CliIo): Promise<CacheFootprint | undefined> {
  try {
    const { cacheFootprint } = await import('../tools/cache-footprint.js');
    return await cacheFootprint(config);
  } catch (err) {
    io.stderr.write(`warning: could not read the tool cache for its size: ${asTickerdeskError(err).message}\n`);
    return undefined;
  }
}

/**
 * Empty the tool cache and say what was removed (on stderr with `--json`, whose stdout is the report). @returns false
 * when it could not be emptied (said on stderr).
 */
async function flushCache(config: Config, io: CliIo, json: boolean): Promise<boolean> {
  try {
    const { flushToolCache } = await import('../tools/cache-flush.js');
    const flush = await flushToolCache(config);
    const expired = flush.removed - flush.entries;
    (json ? io.stderr : io.stdout).write(
      `Tool cache flushed (${flush.backend === 'sqlite' ? 'SQLite' : 'Redis'}): ${flush.entries} ${flush.entries === 1 ? 'entry' : 'entries'}, ${formatBytes(flush.bytes)} removed${expired > 0 ? ` (and ${expired} expired)` : ''}.\n\n`,
    );
    return true;
  } catch (err) {
    io.stderr.write(`error: could not flush the tool cache: ${asTickerdeskError(err).message}\n`);
    return false;
  }
}

/**
 * Print the perf report of the run log at `METRICS_PATH`, with what the tool cache holds; `--reset` and
 * `--flush-cache` first do what `/perf reset` and `/perf flush-cache` do.
 * @returns the exit code: 0, or 1 when the run log cannot be read or the `--chart` file cannot be written.
 */
export async function perfCommand(flags: PerfFlags, deps: { io: CliIo; env: NodeJS.ProcessEnv }): Promise<number> {
  let file = '';
  try {
    const config = loadConfig(deps.env);
    file = config.metricsPath;
    if (flags.flushCache && !(await flushCache(config, deps.io, flags.json === true))) return 1;
    // With CACHE_URL the run log is the one every instance shares, on Redis.
    if (config.cacheUrl) file = redactRedisUrl(config.cacheUrl);
    const store = config.cacheUrl
      ? await openRedisRunLog(config)
      : flags.reset
        ? await openMetricsStore(file, { history: false })
        : await openForReading(file);
    try {
      if (flags.reset) {
        const reset = await store.resetPerf('cli');
        const out = flags.json ? deps.io.stderr : deps.io.stdout;
        out.write(`Performance figures reset at ${reset.at}: counting runs from now on; the run records are kept.\n\n`);
      }
      const report = await store.perfReport({
        alertLimits: config.alerts,
        ...(flags.limit === undefined ? {} : { limit: flags.limit }),
      });
      const cache = await footprint(config, deps.io);
      if (cache) report.cache = cache;
      // A run log this process cannot open read-write was read read-only for the runs; the prewarm line is left out.
      const prewarm = await readPrewarmUsageFor(config).catch(() => undefined);
      if (prewarm) report.prewarm = prewarm;
      deps.io.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatPerfReport(report));
      if (flags.chart === undefined) return 0;
      // Loaded here: the chart stack only when a picture is asked for.
      const { renderPerfChart } = await import('../charts/perf-chart.js');
      const runs = await store.recent(Math.min(flags.limit ?? CHART_RUNS, CHART_RUNS));
      const out = flags.json ? deps.io.stderr : deps.io.stdout;
      let png: Uint8Array;
      try {
        png = (await renderPerfChart(runs)).png;
      } catch (err) {
        out.write(`No chart: ${asTickerdeskError(err).message}\n`);
        return 0;
      }
      try {
        await writeFileAtomic(flags.chart, png);
      } catch (err) {
        // Asked for a file and did not get one: a failure, as with `research --out`.
        const reason = err instanceof Error ? err.message : String(err);
        deps.io.stderr.write(`error: the chart could not be saved as ${flags.chart}: ${reason}\n`);
        return 1;
      }
      out.write(`Chart saved: ${flags.chart}\n`);
      return 0;
    } finally {
      await store.close();
    }
  } catch (err) {
    const where = file ? ` ${file}` : '';
    const why = (file && !file.startsWith('redis') && pathProblem(file)) || asTickerdeskError(err).message;
    deps.io.stderr.write(`error: could not read the run log${where}: ${why}\n`);
    return 1;
  }
}
