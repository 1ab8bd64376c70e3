/**
 * Emptying the tool cache (`/perf flush-cache`, `npm run perf -- --flush-cache`): every entry under the cache's
 * namespace — tool answers and the writer's findings and sections — is removed from the SQLite file at `CACHE_PATH`,
 * or from Redis with `CACHE_URL` (locks and claims are left alone). What was removed is measured as `/perf` measures
 * the cache ({@link tallyValues}): live entries and their stored bytes; expired rows are removed too, counted apart.
 * The next run of each ticker calls its tools again.
 */
import fs from 'node:fs';
import type { Config } from '../config.js';
import { REDIS_NAMESPACE, redisValues, SQLITE_KEY_PATTERN, sqliteDiskBytes, tallyValues } from './cache-footprint.js';

/** What a flush removed. */
export interface CacheFlush {
  backend: 'sqlite' | 'redis';
  /** Live entries removed (as `/perf` counted them). */
  entries: number;
  /** Their stored bytes (compressed where compressed). */
  bytes: number;
  /** Rows or keys removed in all, expired ones included. */
  removed: number;
  /** SQLite only: the file's size on disk with its WAL before and after, bytes (SQLite reuses the freed pages). */
  diskBytes?: { before: number; after: number };
}

/**
 * Remove every tool-cache entry of the cache `config` names.
 * @throws the SQLite or Redis error when the cache cannot be written (nothing, or not everything, was removed).
 */
export async function flushToolCache(config: Config, options: { namespace?: string } = {}): Promise<CacheFlush> {
  if (config.cacheUrl) {
    const values = await redisValues(config.cacheUrl, options.namespace ?? REDIS_NAMESPACE, true);
    const tally = await tallyValues(values, config, { json: false });
    return { backend: 'redis', entries: tally.entries, bytes: tally.storedBytes, removed: values.length };
  }
  const file = config.cachePath;
  if (!fs.existsSync(file)) return { backend: 'sqlite', entries: 0, bytes: 0, removed: 0 };
  const before = sqliteDiskBytes(file);
  const values = await flushSqlite(file);
  const tally = await tallyValues(values, config, { json: false });
  return {
    backend: 'sqlite',
    entries: tally.entries,
    bytes: tally.storedBytes,
    removed: values.length,
    diskBytes: { before, after: sqliteDiskBytes(file) },
  };
}

/** Read then delete the cache's rows in one transaction (no write slips in between). @returns the values removed. */
async function flushSqlite(file: string): Promise<string[]> {
  const { default: sqlite3 } = await import('sqlite3');
  const db = await new Promise<import('sqlite3').Database>((resolve, reject) => {
    const d = new sqlite3.Database(file, sqlite3.OPEN_READWRITE, (err) => (err ? reject(err) : resolve(d)));
  });
  const exec = (sql: string) =>
    new Promise<void>((resolve, reject) => db.exec(sql, (e) => (e ? reject(e) : resolve())));
  const all = (sql: string) =>
    new Promise<{ value: string }[]>((resolve, reject) =>
      db.all(sql, [SQLITE_KEY_PATTERN], (e: Error | null, rows: { value: string }[]) =>
        e ? reject(e) : resolve(rows),
      ),
    );
  const run = (sql: string) =>
    new Promise<void>((resolve, reject) =>
      db.run(sql, [SQLITE_KEY_PATTERN], (e: Error | null) => (e ? reject(e) : resolve())),
    );
  try {
    db.configure('busyTimeout', 5000);
    const [table] = await new Promise<unknown[]>((resolve, reject) =>
      db.all("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'keyv'", (e, rows) =>
        e ? reject(e) : resolve(rows),
      ),
    );
    if (!table) return [];
    await exec('BEGIN IMMEDIATE');
    try {
      const rows = await all('SELECT value FROM keyv WHERE key LIKE ?');
      await run('DELETE FROM keyv WHERE key LIKE ?');
      await exec('COMMIT');
      // Give the WAL's pages back to the file, so the size on disk says what is left.
      await exec('PRAGMA wal_checkpoint(TRUNCATE)').catch(() => undefined);
      return rows.map((r) => r.value);
    } catch (err) {
      await exec('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}
