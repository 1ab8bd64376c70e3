/**
 * What the run log keeps beside the runs for operations: permission refusals (who was refused what, where and when)
 * and `/perf reset` points (the perf figures count runs from the latest one; the run records themselves are kept).
 * Rows in two tables of the run log's SQLite file; the statements here take the store's connection.
 */
import type { SqliteDb } from './sqlite.js';

/** Tables of this module; idempotent, run inside the run log's schema transaction. */
export const MARKS_SCHEMA = `
CREATE TABLE IF NOT EXISTS refusals (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  user TEXT NOT NULL,
  channel TEXT NOT NULL,
  action TEXT NOT NULL,
  reason TEXT NOT NULL,
  what TEXT
);
CREATE INDEX IF NOT EXISTS refusals_at ON refusals (at);
CREATE TABLE IF NOT EXISTS perf_resets (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  by TEXT
);
`;

/** One refusal by the permission policy (`src/slack/permissions.ts`), as stored. */
export interface StoredRefusal {
  /** ISO 8601. */
  at: string;
  /** Slack user id of the person refused. */
  user: string;
  /** Slack channel id where they asked. */
  channel: string;
  /** `research` or `admin`. */
  action: string;
  /** `user` (not on ALLOWED_USERS), `channel` (not in ALLOWED_CHANNELS) or `admin` (not on ADMIN_USERS). */
  reason: string;
  /** What was asked, in a few words (`/research-stock NVDA`, `/perf flush-cache`, `mention`); unset when unknown. */
  what?: string;
}

/** Refusals since a moment: how many, by reason, and the latest one. */
export interface RefusalCounts {
  count: number;
  byReason: Record<string, number>;
  /** The latest refusal; undefined when none. */
  last?: StoredRefusal;
}

/** A `/perf reset` point. */
export interface PerfReset {
  /** ISO 8601; the perf figures count runs started from then. */
  at: string;
  /** Who reset (a Slack user id, or `cli`). */
  by: string;
}

/** Store one refusal. @throws the SQLite error. */
export async function insertRefusal(db: SqliteDb, r: StoredRefusal): Promise<void> {
  await db.run('INSERT INTO refusals (at, user, channel, action, reason, what) VALUES (?, ?, ?, ?, ?, ?)', [
    r.at,
    r.user,
    r.channel,
    r.action,
    r.reason,
    r.what ?? null,
  ]);
}

/** Refusals stored at or after `since` (ISO; `''` for all). @throws the SQLite error. */
export async function countRefusals(db: SqliteDb, since: string): Promise<RefusalCounts> {
  const rows = await db.all<{ reason: string; n: number }>(
    'SELECT reason, COUNT(*) AS n FROM refusals WHERE at >= ? GROUP BY reason ORDER BY reason',
    [since],
  );
  const byReason = Object.fromEntries(rows.map((r) => [r.reason, r.n]));
  const count = rows.reduce((sum, r) => sum + r.n, 0);
  if (count === 0) return { count, byReason };
  const [last] = await db.all<StoredRefusal & { what: string | null }>(
    'SELECT at, user, channel, action, reason, what FROM refusals WHERE at >= ? ORDER BY at DESC, id DESC LIMIT 1',
    [since],
  );
  if (!last) return { count, byReason };
  const { what, ...rest } = last;
  return { count, byReason, last: { ...rest, ...(what === null ? {} : { what }) } };
}

/** Store a reset point. @throws the SQLite error. */
export async function insertReset(db: SqliteDb, reset: PerfReset): Promise<void> {
  await db.run('INSERT INTO perf_resets (at, by) VALUES (?, ?)', [reset.at, reset.by]);
}

/** The latest reset point, or undefined when the figures were never reset. @throws the SQLite error. */
export async function latestReset(db: SqliteDb): Promise<PerfReset | undefined> {
  const [row] = await db.all<PerfReset>('SELECT at, by FROM perf_resets ORDER BY at DESC, id DESC LIMIT 1');
  return row;
}
