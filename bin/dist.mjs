/**
 * Compiled JavaScript in `dist/`, never stale: `dist/` mirrors `src/` file for file (each `.ts` compiled by esbuild
 * to `.js` with a source map, imports unchanged), and `dist/.fingerprint` holds a hash of the sources it was built
 * from. It is *current* when that hash equals the hash of `src/` now; a launcher runs `dist/` only then, and runs the
 * TypeScript sources through tsx otherwise. Plain JavaScript, so that it runs before anything is compiled.
 *
 * Built by `npm run build` (`scripts/build.mjs`), by `npm ci` / `npm install` (`prepare`), and by `npm start` when
 * stale.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleServer, mirroredDirname, SERVER_BUNDLE_DIR, SERVER_BUNDLE_ENTRY } from './bundle-server.mjs';

/** The repository root this file belongs to (`bin/..`). */
export const PACKAGE_ROOT = path.resolve(import.meta.dirname, '..');

/** Bumped when the build's options change, so that a `dist/` built the old way counts as stale. */
const BUILD_FORMAT = 'esbuild-esm-node20-sourcemap-server-bundle-2';

/** The data server's one-file build in `dist/` (see `bundle-server.mjs`), relative to the repository root. */
export const SERVER_BUNDLE = path.join('dist', SERVER_BUNDLE_DIR, SERVER_BUNDLE_ENTRY);

const FINGERPRINT_FILE = '.fingerprint';

/** Every `.ts` file under `dir`, as paths relative to it (`/`-separated), sorted. */
function sourceFiles(dir, prefix = '') {
  const files = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...sourceFiles(dir, rel));
    else if (entry.name.endsWith('.ts')) files.push(rel);
  }
  return files.sort();
}

const fingerprints = new Map();

/**
 * Hash of the sources under `root/src` (each file's path and content), of `package-lock.json` (the data server's
 * bundle carries its packages' code, so a dependency change makes `dist/` stale) and of the build format; computed
 * once per root and process (a few ms for ~320 files).
 * @param {string} root repository root
 * @returns {string} hex digest
 */
export function sourceFingerprint(root = PACKAGE_ROOT) {
  const known = fingerprints.get(root);
  if (known) return known;
  const src = path.join(root, 'src');
  const hash = createHash('sha256').update(`${BUILD_FORMAT}\n`);
  for (const rel of sourceFiles(src))
    hash
      .update(`${rel}\0`)
      .update(readFileSync(path.join(src, rel)))
      .update('\0');
  const lock = path.join(root, 'package-lock.json');
  if (existsSync(lock)) hash.update('package-lock.json\0').update(readFileSync(lock));
  const digest = hash.digest('hex');
  fingerprints.set(root, digest);
  return digest;
}

/**
 * Whether `root/dist` was built from the sources now in `root/src`. A `dist/` without a `src/` beside it (an
 * installed copy without sources) is current; a missing `dist/` is not.
 * @param {string} root repository root
 * @returns {boolean}
 */
export function distIsCurrent(root = PACKAGE_ROOT) {
  const stamp = path.join(root, 'dist', FINGERPRINT_FILE);
  if (!existsSync(stamp)) return false;
  if (!existsSync(path.join(root, 'src'))) return true;
  try {
    return readFileSync(stamp, 'utf8').trim() === sourceFingerprint(root);
  } catch {
    return false;
  }
}

/**
 * Compile `root/src` to `root/dist` (esbuild, one `.js` and `.js.map` per `.ts`) and bundle the data server into
 * `dist/mcp-server/bundle/` (`bundle-server.mjs`), writing it beside and then swapping it in, so a process never
 * reads a half-written `dist/`. With `ifStale`, does nothing when `dist/` is current.
 * @param {{ root?: string, ifStale?: boolean }} [options]
 * @returns {Promise<{ built: boolean, files: number, ms: number }>}
 * @throws the esbuild error (with its messages) when a source does not compile.
 */
export async function buildDist({ root = PACKAGE_ROOT, ifStale = false } = {}) {
  const started = performance.now();
  if (ifStale && distIsCurrent(root)) return { built: false, files: 0, ms: Math.round(performance.now() - started) };
  fingerprints.delete(root);
  const src = path.join(root, 'src');
  const dist = path.join(root, 'dist');
  const files = sourceFiles(src);
  const fingerprint = sourceFingerprint(root);
  const esbuild = await import('esbuild');
  const tmp = `${dist}.${process.pid}.${Date.now()}.tmp`;
  try {
    await esbuild.build({
      entryPoints: files.map((rel) => path.join(src, rel)),
      outdir: tmp,
      outbase: src,
      bundle: false,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: true,
      logLevel: 'silent',
    });
    await bundleServer({
      root,
      outdir: path.join(tmp, SERVER_BUNDLE_DIR),
      dirnameOf: mirroredDirname(path.join(src, SERVER_BUNDLE_DIR)),
      splitting: true,
      esbuild,
    });
    writeFileSync(path.join(tmp, FINGERPRINT_FILE), `${fingerprint}\n`);
    const old = `${dist}.${process.pid}.${Date.now()}.old`;
    if (existsSync(dist)) renameSync(dist, old);
    renameSync(tmp, dist);
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { built: true, files: files.length, ms: Math.round(performance.now() - started) };
}

/**
 * Load entry point `name` (`cli`, `main`, `mcp-server/main`): `dist/<name>.js` (or `dist/<distFile>`) when `dist/` is
 * current (source maps on for its stack traces), else `src/<name>.ts` through tsx, registered in this process.
 * @param {string} name entry point without extension, relative to `src/`
 * @param {string} [root] repository root
 * @param {string} [distFile] the compiled file to load instead of `<name>.js`, relative to `dist/` (the data
 *   server's bundle)
 * @returns {Promise<'dist' | 'src'>} which one was loaded
 */
export async function runEntry(name, root = PACKAGE_ROOT, distFile = `${name}.js`) {
  if (distIsCurrent(root)) {
    process.setSourceMapsEnabled(true);
    await import(pathToFileURL(path.join(root, 'dist', distFile)).href);
    return 'dist';
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(root, 'src', `${name}.ts`)).href);
  return 'src';
}
