/**
 * The run log: one row per run in SQLite (`config.metricsPath`), the record as JSON with indexed generated
 * columns. Answers `recent`, the perf report, and the ETA (an {@link EtaSource}). Several processes may share the
 * file (WAL, 5 s busy timeout); the ETA history is loaded at open and brought up to date after each finish here,
 * so it includes runs finished by other processes too.
 */
import { type Logger, logger as rootLogger } from '../log.js';
import type { EtaRequest } from '../research/eta.js';
import type { Eta } from '../research/types.js';
import {
  countRefusals,
  insertRefusal,
  insertReset,
  latestReset,
  MARKS_SCHEMA,
  type PerfReset,
  type StoredRefusal,
} from './marks.js';
import { type OpenSqliteOptions, openSqlite, type SqliteDb } from './sqlite.js';
import { type AlertLimits, computePerfReport } from './stats.js';
import { finishing, PendingWrites, type Rejection, SyncedHistory } from './store-parts.js';
import type { FeedbackEntry, PerfReport, RunRecord } from './types.js';

/** Fields of a record to change; objects are merged key by key (RFC 7396), arrays and scalars replaced. */
export type RunPatch = Partial<Omit<RunRecord, 'id'>>;

/** Terminal outcomes. */
export type FinalOutcome = Exclude<RunRecord['outcome'], 'running'>;

export type { Rejection } from './store-parts.js';

/** Options of {@link MetricsStore.perfReport}. */
export interface PerfOptions {
  /** Most recent runs to consider. @default 500 */
  limit?: number;
  /** The limits runs are flagged against (`config.alerts`). @default ALERT_LIMITS, the alert settings' defaults */
  alertLimits?: AlertLimits;
}

/** The run log. Every method rejects with the SQLite error when the file cannot be written or read. */
export interface MetricsStore {
  /** Absolute path of the SQLite file. */
  readonly path: string;
  /** Insert a record (an existing id is merged with it). */
  insert(record: RunRecord): Promise<void>;
  /** Merge `patch` into the record `id`; no-op when the id is unknown. */
  update(id: string, patch: RunPatch): Promise<void>;
  /** Merge the final fields and outcome (`finishedAt` defaults to now); feeds the ETA history. */
  finish(id: string, patch: RunPatch & { outcome: FinalOutcome }): Promise<void>;
  /** Record a rejected input as a run with outcome `rejected`. @returns the record written. */
  recordRejection(rejection: Rejection): Promise<RunRecord>;
  /**
   * Append a reader's feedback to the record `id` (in one statement: feedback given at once by several people is
   * all kept). @returns false when no record has that id.
   */
  addFeedback(id: string, entry: FeedbackEntry): Promise<boolean>;
  get(id: string): Promise<RunRecord | undefined>;
  /** The `n` most recent records, newest first. */
  recent(n: number): Promise<RunRecord[]>;
  /**
   * Figures for `npm run perf` and `/perf`: runs started since the latest {@link MetricsStore.resetPerf} (all runs
   * when never reset), and the permission refusals stored since then.
   */
  perfReport(options?: PerfOptions): Promise<PerfReport>;
  /** Store a permission refusal (shown, counted, in `perfReport().refusals`). */
  recordRefusal(refusal: StoredRefusal): Promise<void>;
  /**
   * Mark a reset point (`/perf reset`, `npm run perf -- --reset`): from now on `perfReport` counts only later runs and
   * refusals. The run records are kept (the ETA, the prewarm's demand and the Home tab still read them).
   * @returns the reset point stored.
   */
  resetPerf(by: string): Promise<PerfReset>;
  /**
   * ETA for a run of `ticker` starting now (see `EtaHistory`; a fresh run is estimated from cold runs); null without
   * history. Synchronous.
   */
  estimate(ticker: string, request?: EtaRequest): Eta | null;
  /** Wait for pending writes (at most `closeTimeoutMs`, logged when hit) and close the file. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link openMetricsStore}. */
export interface MetricsStoreOptions {
  /** A same-ticker run that finished within this window is expected warm, ms. @default 15 min */
  warmWindowMs?: number;
  /** How the file is opened (see `openSqlite`). `read-only` needs a file with a current schema. @default `create` */
  mode?: OpenSqliteOptions['mode'];
  /** Load the ETA history at open (`perf` needs none). @default true */
  history?: boolean;
  /** Remove records of runs started more than this many days ago, at open (only when there are any). */
  retentionDays?: number;
  /**
   * Records still `running` that started longer ago than this are marked `abandoned` at open (their process died),
   * ms. Give the longest a run may take. Unset: left as they are.
   */
  abandonAfterMs?: number;
  /** Longest `close()` waits for pending writes, ms; the writes still pending then are lost (logged). @default 10000 */
  closeTimeoutMs?: number;
  /** Where a `close()` that cut writes off says so. @default the root logger */
  logger?: Logger;
}

/** The schema's version, kept in `PRAGMA user_version`; a file at this version is opened without any write. */
export const SCHEMA_VERSION = 3;

/** Every statement is idempotent: a file at any older version is brought to {@link SCHEMA_VERSION} by running it. */
const SCHEMA = `
BEGIN;
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  record TEXT NOT NULL CHECK (json_valid(record)),
  ticker TEXT GENERATED ALWAYS AS (json_extract(record, '$.ticker')) VIRTUAL,
  started_at TEXT GENERATED ALWAYS AS (json_extract(record, '$.startedAt')) VIRTUAL,
  finished_at TEXT GENERATED ALWAYS AS (json_extract(record, '$.finishedAt')) VIRTUAL,
  outcome TEXT GENERATED ALWAYS AS (json_extract(record, '$.outcome')) VIRTUAL
);
CREATE INDEX IF NOT EXISTS runs_started_at ON runs (started_at);
CREATE INDEX IF NOT EXISTS runs_ticker_finished ON runs (ticker, finished_at);
CREATE INDEX IF NOT EXISTS runs_outcome_finished ON runs (outcome, finished_at);
${MARKS_SCHEMA}
PRAGMA user_version = ${SCHEMA_VERSION};
COMMIT;
`;

/** Default of {@link MetricsStoreOptions.closeTimeoutMs}, ms. */
const CLOSE_TIMEOUT_MS = 10_000;

const parse = (rows: { record: string }[]): RunRecord[] => rows.map((r) => JSON.parse(r.record) as RunRecord);

/**
 * Bring the schema to {@link SCHEMA_VERSION} (no write when it is current), mark stale `running` records abandoned,
 * then apply the retention; each writes only when it has something to change.
 */
async function prepare(db: SqliteDb, options: MetricsStoreOptions): Promise<number> {
  const [row] = await db.all<{ user_version: number }>('PRAGMA user_version');
  const version = row?.user_version ?? 0;
  if (version < SCHEMA_VERSION) {
    // A run log of the version before (no refusals, no reset points) reads as having none.
    if (options.mode === 'read-only') {
      if (version >= SCHEMA_VERSION - 1) return version;
      throw new Error('the run log has no current schema and is opened read-only');
    }
    await db.exec(SCHEMA).catch(async (err: unknown) => {
      await db.exec('ROLLBACK').catch(() => undefined);
      throw err;
    });
  }
  if (options.abandonAfterMs !== undefined && options.mode !== 'read-only') {
    const cutoff = new Date(Date.now() - options.abandonAfterMs).toISOString();
    // Looked up first: a run log with no stale record is not written at open.
    const stale = await db.all("SELECT 1 FROM runs WHERE outcome = 'running' AND started_at < ? LIMIT 1", [cutoff]);
    if (stale.length > 0) {
      await db.run(
        `UPDATE runs SET record = json_set(record, '$.outcome', 'abandoned')
         WHERE outcome = 'running' AND started_at < ?`,
        [cutoff],
      );
    }
  }
  if (options.retentionDays !== undefined && options.mode !== 'read-only') {
    const cutoff = new Date(Date.now() - options.retentionDays * 86_400_000).toISOString();
    // Looked up first, on the index: a run log with nothing to remove is not written at open.
    const old = await db.all('SELECT 1 FROM runs WHERE started_at < ? LIMIT 1', [cutoff]);
    if (old.length > 0) await db.run('DELETE FROM runs WHERE started_at < ?', [cutoff]);
  }
  return SCHEMA_VERSION;
}

/**
 * Open the run log at `file` (creating file, folder and schema unless `options.mode` says otherwise).
 * @throws the SQLite error when the file cannot be opened, read or written, or is not a database.
 */
export async function openMetricsStore(file: string, options: MetricsStoreOptions = {}): Promise<MetricsStore> {
  const db: SqliteDb = await openSqlite(file, options.mode ? { mode: options.mode } : {});
  let version: number;
  try {
    version = await prepare(db, options);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  const log = options.logger ?? rootLogger;
  const closeTimeoutMs = options.closeTimeoutMs ?? CLOSE_TIMEOUT_MS;
  // Runs finished by any process sharing the file: loaded at open, then again after each finish here.
  const history = new SyncedHistory(
    async (since) =>
      parse(
        await db.all<{ record: string }>(
          `SELECT record FROM (
             SELECT record, finished_at FROM runs WHERE outcome IN ('ok', 'degraded') AND finished_at >= ?
             ORDER BY finished_at DESC LIMIT 500
           ) ORDER BY finished_at ASC`,
          [since],
        ),
      ),
    options.warmWindowMs,
  );
  if (options.history !== false) {
    try {
      await history.sync();
    } catch (err) {
      await db.close().catch(() => undefined);
      throw err;
    }
  }
  let closed: Promise<void> | undefined;
  const writes = new PendingWrites();
  const track = writes.track;
  const get = async (id: string) =>
    parse(await db.all<{ record: string }>('SELECT record FROM runs WHERE id = ?', [id]))[0];
  const update = (id: string, patch: RunPatch) =>
    track(db.run('UPDATE runs SET record = json_patch(record, ?) WHERE id = ?', [JSON.stringify(patch), id]));
  const insert = (record: RunRecord) =>
    track(
      db.run(
        `INSERT INTO runs (id, record) VALUES (?, json(?))
         ON CONFLICT (id) DO UPDATE SET record = json_patch(runs.record, excluded.record)`,
        [record.id, JSON.stringify(record)],
      ),
    );

  return {
    path: file,
    insert,
    update,
    ...finishing(insert, update, history, track),
    async addFeedback(id, entry) {
      const [row] = await db.all('SELECT 1 FROM runs WHERE id = ?', [id]);
      if (!row) return false;
      await track(
        db.run(
          `UPDATE runs SET record = json_insert(json_insert(record, '$.feedback', json('[]')), '$.feedback[#]', json(?))
           WHERE id = ?`,
          [JSON.stringify(entry), id],
        ),
      );
      return true;
    },
    get,
    async recent(n) {
      const limit = Math.max(0, Math.floor(n));
      return parse(
        await db.all<{ record: string }>('SELECT record FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?', [
          limit,
        ]),
      );
    },
    async perfReport(opts = {}) {
      const limit = Math.max(1, Math.floor(opts.limit ?? 500));
      const marks = version >= SCHEMA_VERSION;
      const reset = marks ? await latestReset(db) : undefined;
      const since = reset?.at ?? '';
      const rows = await db.all<{ record: string }>(
        'SELECT record FROM runs WHERE started_at >= ? ORDER BY started_at DESC, rowid DESC LIMIT ?',
        [since, limit],
      );
      const report = computePerfReport(parse(rows), opts.alertLimits);
      if (reset) report.reset = reset;
      if (marks) report.refusals = await countRefusals(db, since);
      return report;
    },
    async recordRefusal(refusal) {
      await track(insertRefusal(db, refusal));
    },
    async resetPerf(by) {
      const reset = { at: new Date().toISOString(), by };
      await track(insertReset(db, reset));
      return reset;
    },
    estimate(ticker, request) {
      return history.estimate(ticker, request, closed ? undefined : track);
    },
    close() {
      closed ??= (async () => {
        if (await writes.drain(closeTimeoutMs, log, file)) return db.close();
        // sqlite3 closes only once its statements end; do not wait for that.
        db.close().catch(() => undefined);
      })();
      return closed;
    },
  };
}
