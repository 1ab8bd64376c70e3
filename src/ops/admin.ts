/**
 * The work behind the admin commands (`/perf reset`, `/perf flush-cache`, `/perf prewarm`; the first two also
 * `npm run perf -- --reset` / `--flush-cache`), apart from Slack: who may ask is the permission policy's business
 * (`ADMIN_USERS`), how the answer looks is the front end's.
 */
import type { Config } from '../config.js';
import type { PerfReset } from '../metrics/marks.js';
import type { MetricsStore } from '../metrics/store.js';
import type { CacheFlush } from '../tools/cache-flush.js';
import type { PrewarmService, PrewarmStart } from './prewarm/service.js';

/** What an admin may do. */
export interface AdminActions {
  /**
   * Mark a reset point in the run log: `/perf` and `npm run perf` count runs and refusals from now on; the run
   * records are kept. `by` is who asked (a Slack user id, or `cli`).
   * @throws the SQLite error when the run log cannot be written.
   */
  resetPerf(by: string): Promise<PerfReset>;
  /**
   * Remove every entry of the tool cache (SQLite or Redis), the writer's findings and sections with them.
   * @throws the SQLite or Redis error when the cache cannot be written.
   */
  flushCache(): Promise<CacheFlush>;
  /** Start a prewarm now, in the background (see `PrewarmService.prewarmNow`); never rejects. */
  startPrewarm(): Promise<PrewarmStart | { started: false; reason: 'unavailable' }>;
}

/** What {@link createAdminActions} needs. */
export interface AdminDeps {
  config: Config;
  metrics: Pick<MetricsStore, 'resetPerf'>;
  /** The process's prewarm service, once it exists (unset: `/perf prewarm` says it is not available). */
  prewarm?: () => PrewarmService | undefined;
}

/** Build the admin actions over the run log, the tool cache and the prewarm service. */
export function createAdminActions(deps: AdminDeps): AdminActions {
  return {
    resetPerf: (by) => deps.metrics.resetPerf(by),
    async flushCache() {
      // Loaded only when asked for (the SQLite and Redis clients it uses are loaded lazily too).
      const { flushToolCache } = await import('../tools/cache-flush.js');
      return flushToolCache(deps.config);
    },
    async startPrewarm() {
      const service = deps.prewarm?.();
      return service ? service.prewarmNow() : { started: false, reason: 'unavailable' };
    },
  };
}
