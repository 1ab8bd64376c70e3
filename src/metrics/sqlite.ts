/**
 * A small promise wrapper over one `sqlite3` connection, opened with WAL and a 5 s busy timeout so several
 * processes (the Slack app, CLI runs, the bench) can share one metrics file without `SQLITE_BUSY` failures. Opening
 * writes nothing when the file is already in WAL mode, so a reader is never held up by another process's writes.
 */
import fs from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';

/** Busy timeout for every metrics connection, ms. */
export const BUSY_TIMEOUT_MS = 5000;

/** One open SQLite database. Methods reject with the driver's error (with `code`, e.g. `SQLITE_BUSY`). */
export interface SqliteDb {
  run(sql: string, params?: unknown[]): Promise<void>;
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link openSqlite}. */
export interface OpenSqliteOptions {
  /**
   * `create` (default): create the file and its folder when missing; `existing`: read and write a file that must
   * exist; `read-only`: read only, nothing written and no lock taken (SQLite's `immutable`: for a file on a read-only
   * folder or disk, which no one can be writing).
   */
  mode?: 'create' | 'existing' | 'read-only';
}

/**
 * Open a SQLite database in WAL mode with a {@link BUSY_TIMEOUT_MS} busy timeout (see {@link OpenSqliteOptions}).
 * @throws the driver's error when the file cannot be opened (permissions, not a database, missing in `existing` or
 *   `read-only` mode), or the file system's when its folder cannot be made.
 */
export async function openSqlite(file: string, options: OpenSqliteOptions = {}): Promise<SqliteDb> {
  const mode = options.mode ?? 'create';
  if (file !== ':memory:' && mode === 'create') fs.mkdirSync(path.dirname(file), { recursive: true });
  const flags =
    mode === 'read-only'
      ? sqlite3.OPEN_READONLY
      : mode === 'existing'
        ? sqlite3.OPEN_READWRITE
        : sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE;
  // A WAL file on a read-only folder cannot be read the usual way (SQLite would create its -shm file beside it).
  const name =
    mode === 'read-only' && file !== ':memory:'
      ? `file:${file.split('/').map(encodeURIComponent).join('/')}?immutable=1`
      : file;
  const uri = mode === 'read-only' ? sqlite3.OPEN_URI : 0;
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(name, flags | uri, (err) => (err ? reject(err) : resolve(d)));
  });
  db.configure('busyTimeout', BUSY_TIMEOUT_MS);
  // Statements on this connection run one after another, in the order issued (insert before its updates).
  db.serialize();
  const wrapped: SqliteDb = {
    run: (sql, params = []) =>
      new Promise((resolve, reject) => db.run(sql, params, (err: Error | null) => (err ? reject(err) : resolve()))),
    all: <T>(sql: string, params: unknown[] = []) =>
      new Promise<T[]>((resolve, reject) =>
        db.all(sql, params, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows))),
      ),
    exec: (sql) => new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve()))),
    close: () => new Promise((resolve, reject) => db.close((err) => (err ? reject(err) : resolve()))),
  };
  try {
    // Switching to WAL writes the file header: only when it is not WAL yet (a reader must not wait for a writer).
    const [journal] = await wrapped.all<{ journal_mode: string }>('PRAGMA journal_mode');
    if (journal?.journal_mode !== 'wal' && mode !== 'read-only') await wrapped.exec('PRAGMA journal_mode = WAL');
    await wrapped.exec('PRAGMA synchronous = NORMAL');
  } catch (err) {
    await wrapped.close().catch(() => undefined);
    throw err;
  }
  return wrapped;
}
