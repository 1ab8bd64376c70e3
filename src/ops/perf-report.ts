/**
 * The `/perf` figures the Slack app shows: the run log's report plus what the tool cache holds (entries, bytes,
 * compression ratio, size on disk). The cache is read on each `/perf`, never for a run.
 */
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { readPrewarmUsageFor } from '../metrics/prewarm-log.js';
import type { MetricsStore } from '../metrics/store.js';
import type { PerfReport, RunRecord } from '../metrics/types.js';
import { cacheFootprint } from '../tools/cache-footprint.js';

/** What `/perf` reads: the report and the recent runs (for `/perf chart`). */
export interface PerfFigures {
  perfReport(): Promise<PerfReport>;
  recent(n: number): Promise<RunRecord[]>;
}

/**
 * `metrics`' perf report with the tool cache's footprint and the alerts `raised` in this process added; a cache that cannot be read leaves it out (logged at
 * warn), never failing `/perf`.
 */
export function perfFigures(
  metrics: MetricsStore,
  config: Config,
  logger: Logger,
  raised?: () => NonNullable<PerfReport['raised']>,
): PerfFigures {
  return {
    async perfReport() {
      const report = await metrics.perfReport({ alertLimits: config.alerts });
      try {
        report.cache = await cacheFootprint(config);
      } catch (err) {
        logger.warn({ err }, 'could not read the tool cache for /perf; showing the runs only');
      }
      try {
        const usage = await readPrewarmUsageFor(config);
        if (usage) report.prewarm = usage;
      } catch (err) {
        logger.debug({ err }, 'could not read the prewarm records for /perf');
      }
      const alerts = raised?.();
      if (alerts && alerts.length > 0) report.raised = alerts;
      return report;
    },
    recent: (n) => metrics.recent(n),
  };
}
