/**
 * The prewarm's records, in the run log's SQLite file beside the runs: which tickers are most requested (from the
 * run records), one row per ticker a prewarm fetched, and how many of those a later run then used — "prewarmed,
 * later used: N of M" in `npm run perf` and `/perf`. Its own connection and table (`prewarm_fetches`), so the runs'
 * figures, the ETA and the alerts never see prewarm work.
 */
import { type OpenSqliteOptions, openSqlite, type SqliteDb } from './sqlite.js';

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

/** Days of prewarm fetches `npm run perf` and `/perf` count. */
export const PREWARM_USAGE_DAYS = 30;

/**
 * "prewarmed, later used" over the last {@link PREWARM_USAGE_DAYS} days from the run log at `file`, read without
 * writing; `undefined` when no prewarm is recorded there.
 * @throws the SQLite error when the file cannot be opened.
 */
export async function readPrewarmUsage(file: string, now = Date.now()): Promise<PrewarmUsage | undefined> {
  const log = await openPrewarmLog(file, { mode: 'existing', readOnly: true });
  try {
    const usage = await log.usage(new Date(now - PREWARM_USAGE_DAYS * 86_400_000).toISOString());
    return usage.prewarmed > 0 ? usage : undefined;
  } finally {
    await log.close();
  }
}
