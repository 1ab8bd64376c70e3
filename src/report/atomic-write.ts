/**
 * Writing a file so that it is either whole or absent: the bytes go to a temporary file beside it, which is renamed
 * over the target once written and flushed, and removed when anything fails (a full disk leaves no 0-byte report and
 * no truncated PNG that still calls itself a PNG).
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Write `data` to `file` atomically (temporary file + rename in the same folder).
 * @throws NotAFileError when `file` exists and is not a regular file (a folder, a device); the file system's error
 *   (ENOSPC, EACCES, …) after removing the temporary file. Either way `file` is left as it was.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  // Never rename over a device or a folder (`--chart /dev/full` must not replace the device).
  const existing = await stat(file).catch(() => undefined);
  if (existing && !existing.isFile()) throw new NotAFileError(file);
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** `file` exists and is not a regular file (a folder, `/dev/full`). */
export class NotAFileError extends Error {
  constructor(file: string) {
    super(`${file} is not a regular file`);
    this.name = 'NotAFileError';
  }
}

/** `dir` is a path that exists and is not a folder (a file, `/dev/full`). */
export class NotAFolderError extends Error {
  constructor(dir: string) {
    super(`${dir} is not a folder`);
    this.name = 'NotAFolderError';
  }
}

/**
 * Make sure `dir` is a folder, creating it (and its parents) when missing.
 * @throws NotAFolderError when `dir`, or a folder on its path, is something else; the file system's error otherwise.
 */
export async function ensureFolder(dir: string): Promise<void> {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const found = await stat(d).catch(() => undefined);
    if (found && !found.isDirectory()) throw new NotAFolderError(d);
    if (found || d === path.dirname(d)) break;
  }
  await mkdir(dir, { recursive: true });
}

/**
 * Check, without creating or writing anything, that files can be saved in `dir`: it is a folder (or will be one,
 * created inside the nearest folder that exists) and that folder is writable. Meant for a front end to refuse a bad
 * output folder before doing any work.
 * @returns `undefined` when it can be written, else why not in plain words (`/tmp/x is not a folder`,
 *   `/mnt/ro is on a read-only file system`, `/root/r is not writable (permission denied)`).
 */
export async function folderProblem(dir: string): Promise<string | undefined> {
  let d = path.resolve(dir);
  for (;;) {
    // ENOTDIR: a file stands somewhere above `d`; walking up finds it.
    const found = await stat(d).catch((err: NodeJS.ErrnoException) =>
      err.code === 'ENOENT' || err.code === 'ENOTDIR' ? undefined : err,
    );
    if (found instanceof Error) return `${d} cannot be read (${found.code ?? found.message})`;
    if (found && !found.isDirectory()) return new NotAFolderError(d).message;
    if (found || d === path.dirname(d)) break;
    d = path.dirname(d);
  }
  try {
    await access(d, constants.W_OK | constants.X_OK);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EROFS') return `${d} is on a read-only file system`;
    if (code === 'EACCES' || code === 'EPERM') return `${d} is not writable (permission denied)`;
    return `${d} cannot be written (${code ?? String(err)})`;
  }
}
