/**
 * SQLite files that tickerdesk keeps (the tool cache, the run log): telling a damaged file, and moving one aside so
 * a fresh file can take its place without losing what was there.
 */
import { existsSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';

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

/**
 * Why `file` can never be a SQLite file, in plain words: `"/x is a folder, not a file"`, or `"/x/README.md is a
 * file, not a folder"` when a folder on its path is a file. `undefined` when its path looks usable.
 */
export function pathProblem(file: string): string | undefined {
  if (isDir(file)) return `${file} is a folder, not a file`;
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(dir) && !isDir(dir)) return `${dir} is a file, not a folder`;
  }
  return undefined;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
