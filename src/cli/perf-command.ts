/**
 * `perf`: the performance report of recorded runs (`formatPerfReport`), or `--json` for the raw figures;
 * `--chart FILE` also draws the durations of the last runs (cold and warm) as a PNG.
 */
import { writeFile } from 'node:fs/promises';
import { loadConfig } from '../config.js';
import { asTickerdeskError } from '../errors.js';
import { formatPerfReport } from '../metrics/format.js';
import { openMetricsStore } from '../metrics/store.js';
import type { CliIo } from './io.js';

/** Options of the `perf` command. */
export interface PerfFlags {
  json?: boolean;
  /** Most recent runs to include. @default 500 */
  limit?: number;
  /** Also save a PNG of the last runs' durations here. */
  chart?: string;
}

/** Runs the `--chart` picture shows at most. */
const CHART_RUNS = 40;

/**
 * Print the perf report of the run log at `METRICS_PATH`.
 * @returns the exit code: 0, or 1 when the run log cannot be read or the `--chart` file cannot be written.
 */
export async function perfCommand(flags: PerfFlags, deps: { io: CliIo; env: NodeJS.ProcessEnv }): Promise<number> {
  try {
    const config = loadConfig(deps.env);
    const store = await openMetricsStore(config.metricsPath);
    try {
      const report = await store.perfReport(flags.limit === undefined ? {} : { limit: flags.limit });
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
        await writeFile(flags.chart, png);
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
    deps.io.stderr.write(`error: could not read the run log: ${asTickerdeskError(err).message}\n`);
    return 1;
  }
}
