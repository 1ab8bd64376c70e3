/**
 * The run log: one row per run in SQLite (`config.metricsPath`), the record as JSON with indexed generated
 * columns. Answers `recent`, the perf report, and the ETA (an {@link EtaSource}). Several processes may share the
 * file (WAL, 5 s busy timeout); the ETA history is loaded at open and brought up to date after each finish here,
 * so it includes runs finished by other processes too.
 */
import { randomUUID } from 'node:crypto';
import { type Eta, emptyUsage } from '../research/types.js';
import { EtaHistory, sampleOf } from './eta.js';
import { openSqlite, type SqliteDb } from './sqlite.js';
import { computePerfReport } from './stats.js';
import type { PerfReport, RunRecord } from './types.js';

/** Fields of a record to change; objects are merged key by key (RFC 7396), arrays and scalars replaced. */
export type RunPatch = Partial<Omit<RunRecord, 'id'>>;

/** Terminal outcomes. */
export type FinalOutcome = Exclude<RunRecord['outcome'], 'running'>;

/** A rejected input, as recorded (nothing else is written for it). */
export interface Rejection {
  /** The raw input, trimmed and cut to 40 characters for the record. */
  input: string;
  /** The plain-words reason shown to the person. */
  reason: string;
  via: string;
  requester?: string;
  channel?: string;
}

/** Options of {@link MetricsStore.perfReport}. */
export interface PerfOptions {
  /** Most recent runs to consider. @default 500 */
  limit?: number;
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
  get(id: string): Promise<RunRecord | undefined>;
  /** The `n` most recent records, newest first. */
  recent(n: number): Promise<RunRecord[]>;
  /** Figures for `npm run perf` and `/perf`. */
  perfReport(options?: PerfOptions): Promise<PerfReport>;
  /** ETA for a run of `ticker` starting now (see `EtaHistory`); null without history. Synchronous. */
  estimate(ticker: string): Eta | null;
  /** Wait for pending writes and close the file. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link openMetricsStore}. */
export interface MetricsStoreOptions {
  /** A same-ticker run that finished within this window is expected warm, ms. @default 15 min */
  warmWindowMs?: number;
}

const SCHEMA = `
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
PRAGMA user_version = 1;
`;

/** How old the in-memory ETA history may get before `estimate` refreshes it in the background, ms. */
const HISTORY_REFRESH_MS = 30_000;

const parse = (rows: { record: string }[]): RunRecord[] => rows.map((r) => JSON.parse(r.record) as RunRecord);

/**
 * Open (creating file, folder and schema) the run log at `file`.
 * @throws the SQLite error when the file cannot be opened or is not a database.
 */
export async function openMetricsStore(file: string, options: MetricsStoreOptions = {}): Promise<MetricsStore> {
  const db: SqliteDb = await openSqlite(file);
  try {
    await db.exec(SCHEMA);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  const history = new EtaHistory(options.warmWindowMs);
  // Runs finished by any process sharing the file: loaded at open, then again after each finish here.
  const seen = new Set<string>();
  let syncedTo = '';
  const syncHistory = async () => {
    const rows = parse(
      await db.all<{ record: string }>(
        `SELECT record FROM (
           SELECT record, finished_at FROM runs WHERE outcome IN ('ok', 'degraded') AND finished_at >= ?
           ORDER BY finished_at DESC LIMIT 500
         ) ORDER BY finished_at ASC`,
        [syncedTo],
      ),
    );
    for (const record of rows) {
      if (seen.has(record.id)) continue;
      seen.add(record.id);
      if (record.finishedAt && record.finishedAt > syncedTo) syncedTo = record.finishedAt;
      const sample = sampleOf(record);
      if (sample) history.add(sample);
    }
  };
  await syncHistory();
  let lastSync = Date.now();
  let syncing: Promise<void> | undefined;
  let closed: Promise<void> | undefined;
  /** Refresh the history in the background when it is older than {@link HISTORY_REFRESH_MS}. */
  const refreshSoon = () => {
    if (closed || syncing || Date.now() - lastSync < HISTORY_REFRESH_MS) return;
    lastSync = Date.now();
    syncing = track(syncHistory())
      .catch(() => undefined)
      .finally(() => {
        syncing = undefined;
      });
  };

  const pending = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    pending.add(p);
    p.finally(() => pending.delete(p)).catch(() => undefined);
    return p;
  };
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
    async finish(id, patch) {
      await update(id, { finishedAt: new Date().toISOString(), ...patch });
      lastSync = Date.now();
      await track(syncHistory());
    },
    async recordRejection(rejection) {
      const at = new Date().toISOString();
      const input = rejection.input.trim();
      const record: RunRecord = {
        id: `rejected-${randomUUID()}`,
        ticker: input.length > 40 ? `${input.slice(0, 40)}…` : input,
        via: rejection.via,
        startedAt: at,
        finishedAt: at,
        stageMs: {},
        tools: { total: 0, made: 0, hits: 0, coalesced: 0, errors: 0 },
        toolMs: {},
        usage: emptyUsage(),
        errors: [rejection.reason],
        outcome: 'rejected',
        ...(rejection.requester === undefined ? {} : { requester: rejection.requester }),
        ...(rejection.channel === undefined ? {} : { channel: rejection.channel }),
      };
      await insert(record);
      return record;
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
      const rows = await db.all<{ record: string }>(
        'SELECT record FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?',
        [limit],
      );
      return computePerfReport(parse(rows));
    },
    estimate(ticker) {
      refreshSoon();
      return history.estimate(ticker);
    },
    close() {
      closed ??= (async () => {
        await Promise.allSettled([...pending]);
        await db.close();
      })();
      return closed;
    },
  };
}
