/**
 * A prebuilt bundle of our MCP data server, so that spawning it costs plain Node instead of tsx transpiling and
 * resolving every module through loader hooks (measured here: ~450 ms → ~230 ms to the first answer on a quiet
 * 2-core machine, 0.6–1.4 s → well under that when loaded; `npm run bench` prints it). The bundle is built with
 * esbuild from `src/mcp-server/main.ts` into `node_modules/.cache/tickerdesk/` (packages stay external, so it uses
 * the installed ones), named by a fingerprint of the sources, and rebuilt whenever a source file changes. Any
 * problem (esbuild missing, a build error, a read-only folder) means "no bundle": the server then runs under tsx.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from '../config.js';
import { type Logger, logger as rootLogger } from '../log.js';

/** Folder of built bundles. */
export const BUNDLE_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'tickerdesk');

const SRC = path.join(REPO_ROOT, 'src');
const ENTRY = path.join(SRC, 'mcp-server', 'main.ts');

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

interface EsbuildPlugin {
  name: string;
  setup(build: {
    onLoad(
      options: { filter: RegExp },
      callback: (args: { path: string }) => { contents: string; loader: 'ts' } | undefined,
    ): void;
  }): void;
}

/**
 * Keep each module's own `import.meta.dirname` in the bundle (the server reads `package.json` relative to it), by
 * writing it into the source as a string before esbuild sees it.
 */
const keepDirname: EsbuildPlugin = {
  name: 'keep-import-meta-dirname',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.dirname')) return undefined;
      return {
        contents: source.replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path))),
        loader: 'ts',
      };
    });
  },
};

/** Remove bundles other than `keep` that are over an hour old (a process started from one has long loaded it). */
function removeStale(keep: string): void {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of readdirSync(BUNDLE_DIR)) {
    const full = path.join(BUNDLE_DIR, name);
    if (full === keep || !name.startsWith('mcp-server-')) continue;
    try {
      if (statSync(full).mtimeMs < hourAgo) rmSync(full, { force: true });
    } catch {
      // Another process removed it first.
    }
  }
}

/**
 * Path of an up-to-date bundle of the MCP server, building it first when the sources changed; `undefined` when it
 * cannot be had (the caller then spawns the server under tsx). Building takes a few hundred ms, once per change.
 */
export async function serverBundle(logger: Logger = rootLogger): Promise<string | undefined> {
  try {
    const file = path.join(BUNDLE_DIR, `mcp-server-${sourceFingerprint()}.mjs`);
    if (existsSync(file)) return file;
    const esbuild = (await import(createRequire(import.meta.url).resolve('esbuild'))) as {
      build(options: Record<string, unknown>): Promise<{ outputFiles?: { text: string }[] }>;
    };
    const out = await esbuild.build({
      entryPoints: [ENTRY],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      write: false,
      logLevel: 'silent',
      plugins: [keepDirname],
    });
    const text = out.outputFiles?.[0]?.text;
    if (!text) return undefined;
    mkdirSync(BUNDLE_DIR, { recursive: true });
    // Several processes may build at once: each writes its own temp file and renames it into place.
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
    removeStale(file);
    return file;
  } catch (err) {
    logger.debug({ err }, 'no prebuilt MCP server bundle; the server runs under tsx');
    return undefined;
  }
}
