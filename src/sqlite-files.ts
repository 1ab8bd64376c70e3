/**
 * SQLite files that tickerdesk keeps (the tool cache, the run log): telling a damaged file, and moving one aside so
 * a fresh file can take its place without losing what was there.
 */
import { existsSync, renameSync } from 'node:fs';

/** SQLite's answers for a file that is not a database or is damaged (`SQLITE_NOTADB`, `SQLITE_CORRUPT`). */
export function isDamagedDatabase(err: unknown): boolean {
  const code = err !== null && typeof err === 'object' ? String((err as { code?: unknown }).code ?? '') : '';
  const text = `${code} ${err instanceof Error ? err.message : String(err)}`;
  return /SQLITE_NOTADB|SQLITE_CORRUPT/.test(text);
}

/**
 * Rename `file` (and its `-wal` / `-shm` companions, when present) to `<file>.damaged-<ms since epoch>`.
 * @returns the new path of the main file.
 * @throws the file system's error when the main file cannot be renamed.
 */
export function moveAside(file: string): string {
  const aside = `${file}.damaged-${Date.now()}`;
  renameSync(file, aside);
  for (const suffix of ['-wal', '-shm']) {
    if (!existsSync(file + suffix)) continue;
    try {
      renameSync(file + suffix, aside + suffix);
    } catch {
      // A companion that cannot be moved is left; SQLite ignores a -wal/-shm that does not match its file.
    }
  }
  return aside;
}
