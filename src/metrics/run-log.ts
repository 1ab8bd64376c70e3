/**
 * Opening the run log for a front end that runs research (CLI, Slack): the report needs no disk, so a run log that
 * cannot be used never stops a run. A damaged file is moved aside and a fresh one started; a file that cannot be
 * opened, read or written (full disk, read-only folder, a path that is a folder, another program's lock) gives an
 * in-memory run log for this process, said once with the file and what to do.
 */

import type { Config } from '../config.js';
import { type Degradations, processDegradations, STORAGE_CAUSES, storageCause, storageHint } from '../degradations.js';
import { type Logger, logger as rootLogger } from '../log.js';
import { isDamagedDatabase, moveAside, pathProblem } from '../sqlite-files.js';
import { redactRedisUrl } from '../tools/redis-url.js';
import { type MetricsStore, type MetricsStoreOptions, openMetricsStore } from './store.js';

/** Options of {@link openRunLog}. */
export interface RunLogOptions extends Omit<MetricsStoreOptions, 'mode' | 'logger'> {
  logger?: Logger;
  /** Where the problem is counted and warned once. @default the process's */
  degradations?: Degradations;
  /**
   * `CACHE_URL`: keep the run log on this Redis server, shared by every instance using it (`redis-store.ts`), instead
   * of the SQLite file. Unset: the file.
   */
  redisUrl?: string | undefined;
  /** Bound on connecting to `redisUrl`, ms. @default 1000 */
  connectTimeoutMs?: number;
  /** Key prefix on Redis (tests). @default `tickerdesk:runlog:` */
  redisPrefix?: string;
}

/** The name under which run-log problems are warned and counted (`run log is full`, …). */
export const RUN_LOG_PART = 'run log';

/**
 * Open the run log at `file`, or the best stand-in for it; on Redis with `options.redisUrl`, the SQLite file copied
 * into it first (see `openShared`). Never throws.
 * - Redis that cannot be reached (or fails) at open: the run log of this process is the file, warned once; a later
 *   start on Redis copies what it recorded there;
 * - a damaged file (not a SQLite database): moved to `<file>.damaged-<ms>`, a fresh file started (warned once);
 * - a file that cannot be opened, read or written: an in-memory run log (`path` is still `file`), warned once; the
 *   records of this process are lost when it ends.
 */
export async function openRunLog(file: string, options: RunLogOptions = {}): Promise<MetricsStore> {
  const { degradations = processDegradations, logger = rootLogger, redisUrl, ...rest } = options;
  if (redisUrl) {
    const shared = await openShared(file, redisUrl, { ...rest, logger }).catch((err: unknown) => err);
    if (!(shared instanceof Error)) return shared as MetricsStore;
    const label = redactRedisUrl(redisUrl);
    const cause = storageCause(shared);
    degradations.note(logger, {
      part: RUN_LOG_PART,
      cause,
      message: `The run log on Redis at ${label} ${cause} (${shared.message}); this process records its runs in ${file} instead, copied to Redis at a start that finds it: ${storageHint(cause, label)}.`,
      fields: { runLog: label, detail: shared.message },
    });
  }
  const { connectTimeoutMs: _connect, redisPrefix: _prefix, ...storeOptions } = rest;
  const open = (at: string) => openMetricsStore(at, { ...storeOptions, logger });
  let failure: unknown;
  try {
    return await open(file);
  } catch (err) {
    failure = err;
  }
  if (isDamagedDatabase(failure)) {
    try {
      const aside = moveAside(file);
      const fresh = await open(file);
      degradations.note(logger, {
        part: RUN_LOG_PART,
        cause: STORAGE_CAUSES.damaged,
        message: `The run log ${file} was damaged or not a SQLite database; moved it to ${aside} and started a fresh one.`,
        fields: { runLog: file, movedTo: aside },
      });
      return fresh;
    } catch (err) {
      failure = err;
    }
  }
  const problem = pathProblem(file);
  const cause = problem ? STORAGE_CAUSES.cannotOpen : storageCause(failure);
  const detail = failure instanceof Error ? failure.message : String(failure);
  const reason = problem ?? detail;
  degradations.note(logger, {
    part: RUN_LOG_PART,
    cause,
    message: `The run log ${file} ${cause} (${reason}); the records of runs in this process are kept in memory and lost when it ends: ${storageHint(cause, file)}.`,
    fields: { runLog: file, detail },
  });
  const memory = await openMetricsStore(':memory:', { ...storeOptions, logger });
  return { ...memory, path: file };
}

/**
 * The run log on Redis at `url`, with the SQLite run log at `file` copied into it when this host has not copied it as
 * it is now (`redis-import.ts`); a copy that fails is warned and tried again at the next start.
 * @throws the Redis client's error when Redis cannot be used at open.
 */
async function openShared(
  file: string,
  url: string,
  options: Omit<RunLogOptions, 'redisUrl' | 'logger' | 'degradations'> & { logger: Logger },
): Promise<MetricsStore> {
  const { connectTimeoutMs, redisPrefix, ...storeOptions } = options;
  const [{ openRedisMetricsStore }, { openRedisPrewarmLog }, { copySqliteRunLog }] = await Promise.all([
    import('./redis-store.js'),
    import('./redis-prewarm-log.js'),
    import('./redis-import.js'),
  ]);
  const redis = {
    ...(connectTimeoutMs === undefined ? {} : { connectTimeoutMs }),
    ...(redisPrefix === undefined ? {} : { prefix: redisPrefix }),
  };
  const store = await openRedisMetricsStore(url, { ...storeOptions, ...redis });
  if (file === ':memory:') return store;
  const prewarm = await openRedisPrewarmLog(url, {
    ...redis,
    logger: options.logger,
    ...(options.retentionDays === undefined ? {} : { retentionDays: options.retentionDays }),
  });
  try {
    await copySqliteRunLog(file, store, prewarm, {
      logger: options.logger,
      ...(options.retentionDays === undefined ? {} : { retentionDays: options.retentionDays }),
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    options.logger.warn(
      { err: reason, from: file },
      `Could not copy the run log ${file} to the shared run log on Redis (${reason}); trying again at the next start.`,
    );
  } finally {
    await prewarm.close();
  }
  return store;
}

/**
 * The run log shared on Redis (`CACHE_URL`, which must be set), for a command that reads or writes a few records and
 * ends (`npm run perf`, a rejected input on the command line): no ETA history loaded, the retention applied to what
 * it writes (`RUN_LOG_RETENTION_DAYS`).
 * @throws the Redis client's error when Redis cannot be reached.
 */
export async function openRedisRunLog(
  config: Pick<Config, 'cacheUrl' | 'runLogRetentionDays' | 'cacheTimeouts'>,
): Promise<MetricsStore> {
  if (!config.cacheUrl) throw new Error('CACHE_URL is not set: the run log is the SQLite file');
  const { openRedisMetricsStore } = await import('./redis-store.js');
  return openRedisMetricsStore(config.cacheUrl, {
    history: false,
    retentionDays: config.runLogRetentionDays,
    connectTimeoutMs: config.cacheTimeouts.connectMs,
  });
}
