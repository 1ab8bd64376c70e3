/**
 * The prewarm's records, in the run log's SQLite file beside the runs: which tickers are most requested (from the
 * run records), one row per ticker a prewarm fetched, and how many of those a later run then used — "prewarmed,
 * later used: N of M" in `npm run perf` and `/perf`. Its own connection and table (`prewarm_fetches`), so the runs'
 * figures, the ETA and the alerts never see prewarm work.
 */
import { existsSync } from 'node:fs';
import type { Config } from '../config.js';
import { type OpenSqliteOptions, openSqlite, type SqliteDb } from './sqlite.js';
import type { RunRecord } from './types.js';

const TABLE = `
CREATE TABLE IF NOT EXISTS prewarm_fetches (
  id TEXT PRIMARY KEY,
  batch TEXT NOT NULL,
  ticker TEXT NOT NULL,
  at TEXT NOT NULL,
  calls INTEGER NOT NULL,
  made INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  upstream INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS prewarm_fetches_ticker_at ON prewarm_fetches (ticker, at);
`;

/** One ticker refreshed by a prewarm. */
export interface PrewarmFetch {
  /** The prewarm it belongs to (one id per prewarm). */
  batch: string;
  ticker: string;
  /** When its refresh finished, ISO. A run of the ticker started later can use it. */
  at: string;
  /** Tool calls made for it, sent to a server (cache misses), failed (not counting "no data" answers). */
  calls: number;
  made: number;
  failed: number;
  /** Upstream HTTP requests live providers made for it. */
  upstream: number;
}

/** A ticker's demand over the window: runs asked for it, the latest start. */
export interface TickerDemand {
  ticker: string;
  runs: number;
  lastAt: string;
}

/** "prewarmed, later used: N of M" over a window. */
export interface PrewarmUsage {
  /** Tickers fetched by a prewarm (with at least one call answered), counted once per prewarm. */
  prewarmed: number;
  /** Of those, the ones a run started later (before that ticker's next prewarm) served at least one call from the cache. */
  laterUsed: number;
  /** The latest prewarm fetch, ISO; null when none. */
  lastAt: string | null;
}

/** The prewarm's records. Methods reject with the SQLite error. */
export interface PrewarmLog {
  /** The most requested tickers of runs started since `since` (rejected input left out), most runs first. */
  demand(since: string, limit: number): Promise<TickerDemand[]>;
  /** Record one ticker's refresh. */
  record(fetch: PrewarmFetch): Promise<void>;
  /** Prewarm fetches since `since` and how many a later run used. */
  usage(since: string): Promise<PrewarmUsage>;
  close(): Promise<void>;
}

/**
 * Open the prewarm's records in the run log at `file` (`METRICS_PATH`), creating their table unless `readOnly` (perf
 * writes nothing).
 * @throws the SQLite error when the file cannot be opened.
 */
export async function openPrewarmLog(
  file: string,
  options: OpenSqliteOptions & {
    /** Read only: create nothing (a file without the table reads as no prewarm). @default mode === 'read-only' */
    readOnly?: boolean;
  } = {},
): Promise<PrewarmLog> {
  const { readOnly = options.mode === 'read-only', ...open } = options;
  const db: SqliteDb = await openSqlite(file, open);
  try {
    if (!readOnly) await db.exec(TABLE);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  const has = async (table: string) =>
    (await db.all("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table])).length > 0;
  return {
    async demand(since, limit) {
      if (!(await has('runs'))) return [];
      return db.all<TickerDemand>(
        `SELECT ticker, COUNT(*) AS runs, MAX(started_at) AS lastAt FROM runs
         WHERE started_at >= ? AND outcome <> 'rejected' AND ticker IS NOT NULL
         GROUP BY ticker ORDER BY runs DESC, lastAt DESC, ticker ASC LIMIT ?`,
        [since, Math.max(0, Math.floor(limit))],
      );
    },
    async record(f) {
      await db.run(
        `INSERT OR REPLACE INTO prewarm_fetches (id, batch, ticker, at, calls, made, failed, upstream)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [`${f.batch}:${f.ticker}`, f.batch, f.ticker, f.at, f.calls, f.made, f.failed, f.upstream],
      );
    },
    async usage(since) {
      if (!(await has('prewarm_fetches'))) return { prewarmed: 0, laterUsed: 0, lastAt: null };
      const runs = await has('runs');
      const used = runs
        ? `EXISTS (SELECT 1 FROM runs r WHERE r.ticker = p.ticker AND r.started_at > p.at
             AND r.started_at < COALESCE(
               (SELECT MIN(q.at) FROM prewarm_fetches q WHERE q.ticker = p.ticker AND q.at > p.at), '9999')
             AND json_extract(r.record, '$.tools.hits') > 0)`
        : '0';
      const [row] = await db.all<{ prewarmed: number; laterUsed: number | null; lastAt: string | null }>(
        `SELECT COUNT(*) AS prewarmed, SUM(${used}) AS laterUsed, MAX(p.at) AS lastAt
         FROM prewarm_fetches p WHERE p.at >= ? AND p.failed < p.calls`,
        [since],
      );
      return { prewarmed: row?.prewarmed ?? 0, laterUsed: row?.laterUsed ?? 0, lastAt: row?.lastAt ?? null };
    },
    close: () => db.close(),
  };
}

/**
 * The most requested tickers of `runs` (those started at or after `since`, rejected input left out), most runs first,
 * then the latest start, then the ticker: `PrewarmLog.demand` over records read from a run log.
 */
export function demandOf(runs: readonly RunRecord[], since: string, limit: number): TickerDemand[] {
  const byTicker = new Map<string, TickerDemand>();
  for (const r of runs) {
    if (r.startedAt < since || r.outcome === 'rejected' || !r.ticker) continue;
    const d = byTicker.get(r.ticker) ?? { ticker: r.ticker, runs: 0, lastAt: r.startedAt };
    d.runs += 1;
    if (r.startedAt > d.lastAt) d.lastAt = r.startedAt;
    byTicker.set(r.ticker, d);
  }
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...byTicker.values()]
    .sort((a, b) => b.runs - a.runs || order(b.lastAt, a.lastAt) || order(a.ticker, b.ticker))
    .slice(0, Math.max(0, Math.floor(limit)));
}

/**
 * "prewarmed, later used" from prewarm fetches and run records, as `PrewarmLog.usage` counts it in SQL: the fetches at
 * or after `since` that had a call answered, and of those the ones a run of the ticker started later (before the
 * ticker's next prewarm fetch, among all `fetches`) served at least one call from the cache.
 */
export function usageOf(fetches: readonly PrewarmFetch[], runs: readonly RunRecord[], since: string): PrewarmUsage {
  const counted = fetches.filter((f) => f.at >= since && f.failed < f.calls);
  let laterUsed = 0;
  let lastAt: string | null = null;
  for (const p of counted) {
    if (lastAt === null || p.at > lastAt) lastAt = p.at;
    const later = fetches
      .filter((q) => q.ticker === p.ticker && q.at > p.at)
      .map((q) => q.at)
      .sort();
    const next = later[0] ?? '9999';
    if (runs.some((r) => r.ticker === p.ticker && r.startedAt > p.at && r.startedAt < next && r.tools.hits > 0))
      laterUsed += 1;
  }
  return { prewarmed: counted.length, laterUsed, lastAt };
}

/** Days of prewarm fetches `npm run perf` and `/perf` count. */
export const PREWARM_USAGE_DAYS = 30;

/**
 * "prewarmed, later used" over the last {@link PREWARM_USAGE_DAYS} days from the run log at `file`, read without
 * writing; `undefined` when no prewarm is recorded there.
 * @throws the SQLite error when the file cannot be opened.
 */
export async function readPrewarmUsage(file: string, now = Date.now()): Promise<PrewarmUsage | undefined> {
  return usageOver(await openPrewarmLog(file, { mode: 'existing', readOnly: true }), now);
}

/** The last {@link PREWARM_USAGE_DAYS} days' usage of `log`, which is closed after; undefined when none. */
async function usageOver(log: PrewarmLog, now: number): Promise<PrewarmUsage | undefined> {
  try {
    const usage = await log.usage(new Date(now - PREWARM_USAGE_DAYS * 86_400_000).toISOString());
    return usage.prewarmed > 0 ? usage : undefined;
  } finally {
    await log.close();
  }
}

/** Where the prewarm's records are: the run log's (`METRICS_PATH`), or on Redis with `CACHE_URL`. */
export type PrewarmLogConfig = Pick<Config, 'metricsPath'> &
  Partial<Pick<Config, 'cacheUrl' | 'cacheTimeouts' | 'runLogRetentionDays'>>;

/**
 * Open the prewarm's records where `config` keeps the run log: on Redis with `CACHE_URL` (shared by every instance,
 * `redis-prewarm-log.ts`), else in the SQLite file at `METRICS_PATH`.
 * @throws the SQLite error when the file cannot be opened, the Redis client's when Redis cannot be reached.
 */
export async function openPrewarmLogFor(config: PrewarmLogConfig): Promise<PrewarmLog> {
  if (!config.cacheUrl) return openPrewarmLog(config.metricsPath);
  const { openRedisPrewarmLog } = await import('./redis-prewarm-log.js');
  return openRedisPrewarmLog(config.cacheUrl, {
    ...(config.cacheTimeouts ? { connectTimeoutMs: config.cacheTimeouts.connectMs } : {}),
    ...(config.runLogRetentionDays === undefined ? {} : { retentionDays: config.runLogRetentionDays }),
  });
}

/**
 * {@link readPrewarmUsage} where `config` keeps the run log (see {@link openPrewarmLogFor}); undefined when no prewarm
 * is recorded, or when there is no SQLite run log yet.
 * @throws the SQLite or Redis client's error when the records cannot be read.
 */
export async function readPrewarmUsageFor(
  config: PrewarmLogConfig,
  now = Date.now(),
): Promise<PrewarmUsage | undefined> {
  if (!config.cacheUrl) return existsSync(config.metricsPath) ? readPrewarmUsage(config.metricsPath, now) : undefined;
  return usageOver(await openPrewarmLogFor(config), now);
}
