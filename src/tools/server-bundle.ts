/**
 * A bundle of our MCP data server built from the current sources, for when `dist/` is stale (development, tests):
 * spawning it costs plain Node reading a few files instead of tsx transpiling and resolving some 550 modules through
 * loader hooks. Built by `bin/bundle-server.mjs` (as `dist/`'s, packages inside, but one file) into a folder of
 * `node_modules/.cache/tickerdesk/` named by a fingerprint of the sources, and rebuilt whenever a source file
 * changes. Any problem (esbuild missing, a build error, a read-only folder) means "no bundle": the server then runs
 * under tsx.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { absoluteDirname, bundleServer, SERVER_BUNDLE_ENTRY } from '../../bin/bundle-server.mjs';
import { REPO_ROOT } from '../config.js';
import { type Logger, logger as rootLogger } from '../log.js';

/** Folder of built bundles. */
export const BUNDLE_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'tickerdesk');

const SRC = path.join(REPO_ROOT, 'src');

/** Fingerprint of every `.ts` file under `src/` (path, size, mtime) and of the lock file. */
export function sourceFingerprint(root: string = SRC): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) {
        const s = statSync(full);
        hash.update(`${full}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  walk(root);
  const lock = path.join(REPO_ROOT, 'package-lock.json');
  if (existsSync(lock)) hash.update(`lock\0${statSync(lock).mtimeMs}`);
  return hash.digest('hex').slice(0, 16);
}

/** Remove bundles other than `keep` that are over an hour old (a process started from one has long read it). */
function removeStale(keep: string): void {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of readdirSync(BUNDLE_DIR)) {
    const full = path.join(BUNDLE_DIR, name);
    if (full === keep || !name.startsWith('mcp-server-')) continue;
    try {
      if (statSync(full).mtimeMs < hourAgo) rmSync(full, { recursive: true, force: true });
    } catch {
      // Another process removed it first.
    }
  }
}

/**
 * Path of an up-to-date bundle of the MCP server (its `main.mjs`), building it first when the sources changed;
 * `undefined` when it cannot be had (the caller then spawns the server under tsx). Building takes about a second,
 * once per change.
 */
export async function serverBundle(logger: Logger = rootLogger): Promise<string | undefined> {
  try {
    const dir = path.join(BUNDLE_DIR, `mcp-server-${sourceFingerprint()}`);
    const file = path.join(dir, SERVER_BUNDLE_ENTRY);
    if (existsSync(file)) return file;
    mkdirSync(BUNDLE_DIR, { recursive: true });
    // Several processes may build at once: each writes its own folder and renames it into place; the first wins.
    const tmp = `${dir}.${process.pid}.${Date.now()}.tmp`;
    try {
      // One file, no chunks: a server started from an older bundle keeps working after removeStale deletes its folder.
      await bundleServer({ root: REPO_ROOT, outdir: tmp, dirnameOf: absoluteDirname(), splitting: false });
      renameSync(tmp, dir);
    } catch (err) {
      if (!existsSync(file)) throw err;
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    removeStale(dir);
    return file;
  } catch (err) {
    logger.debug({ err }, 'no prebuilt MCP server bundle; the server runs under tsx');
    return undefined;
  }
}
