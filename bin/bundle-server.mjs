/**
 * Our MCP data server as one ES module (`main.mjs`) and the chunks it imports on first use, built with esbuild from
 * `src/mcp-server/main.ts` with the packages it uses inside it. Node then reads and compiles a few files instead of
 * resolving and reading about 550 (zod, the MCP SDK, ajv, pino, our own modules): measured on a 2-core machine, spawn
 * to the first `tools/list` answer took 0.47× the CPU of `dist/mcp-server/main.js` before this build existed (0.69× of
 * it once the Redis client and the readers were imported on first use), whole process with the client, median of 10.
 *
 * With `splitting`, what a source reaches with `import()` stays out of `main.mjs` (the Redis client,
 * rate-limiter-flexible, the Form 4 and Stooq readers, the indicator library): each is a chunk beside it, read when
 * first used (measured: 0.88× the CPU of one file holding them all, and 23 MiB less memory with source maps). Without
 * it they are in `main.mjs`, compiled only when first called, and nothing is read later (a process whose folder is
 * removed meanwhile keeps working). CommonJS packages
 * inside the bundle `require` Node's built-in modules through a `require` made with `createRequire`. Each module's
 * `import.meta.dirname` (the server reads `package.json` and the repository root from it) is written as the caller
 * says (`dirnameOf`), since in the bundle it would be the bundle's folder.
 *
 * Used by `buildDist` (`dist/mcp-server/bundle/`, split) and by `src/tools/server-bundle.ts` (one file of the
 * current sources when `dist/` is stale, in a cache folder that is cleaned up). Plain JavaScript, so that it runs
 * before anything is compiled.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Where `buildDist` puts the bundle, relative to `dist/`. */
export const SERVER_BUNDLE_DIR = 'mcp-server/bundle';

/** The bundle's entry file name (in the output folder). */
export const SERVER_BUNDLE_ENTRY = 'main.mjs';

/** Top of every output file: `require` for CommonJS packages, and `path.resolve` for rewritten `import.meta.dirname`. */
const BANNER = [
  "import { createRequire as __tdCreateRequire } from 'node:module';",
  "import { resolve as __tdResolve } from 'node:path';",
  'const require = __tdCreateRequire(import.meta.url);',
].join(' ');

/**
 * `import.meta.dirname` as the folder that mirrors the source's own in a tree laid out as `src/` is (`dist/`),
 * computed at run time from the bundle's own place: `__tdResolve(import.meta.dirname, '..')` for a source in
 * `src/mcp-server` when the bundle is in `dist/mcp-server/bundle`. So the built tree can be moved or copied.
 * @param {string} bundleDir the bundle's folder, as a path in `src/` (`<root>/src/mcp-server/bundle`)
 * @returns {(sourceDir: string) => string}
 */
export function mirroredDirname(bundleDir) {
  return (sourceDir) =>
    `__tdResolve(import.meta.dirname, ${JSON.stringify(path.relative(bundleDir, sourceDir) || '.')})`;
}

/**
 * `import.meta.dirname` as the source's own absolute folder (a bundle built for this checkout only).
 * @returns {(sourceDir: string) => string}
 */
export function absoluteDirname() {
  return (sourceDir) => JSON.stringify(sourceDir);
}

/**
 * Bundle the data server from `root/src/mcp-server/main.ts` into `outdir` (`main.mjs`, its chunks and source maps).
 * @param {{ root: string, outdir: string, dirnameOf: (sourceDir: string) => string, splitting: boolean,
 *   esbuild?: unknown }} options `dirnameOf` gives the JavaScript expression that replaces `import.meta.dirname` in a
 *   source of that folder; `splitting` puts what is imported with `import()` in chunks of its own (see the module
 *   comment); `esbuild` the loaded esbuild module (default: imported here).
 * @returns {Promise<{ files: string[] }>} the files written, relative to `outdir`
 * @throws the esbuild error (with its messages) when a source does not compile.
 */
export async function bundleServer({ root, outdir, dirnameOf, splitting, esbuild }) {
  const builder = esbuild ?? (await import('esbuild'));
  const result = await builder.build({
    entryPoints: { main: path.join(root, 'src', 'mcp-server', 'main.ts') },
    outdir,
    bundle: true,
    splitting,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    chunkNames: '[name]-[hash]',
    sourcemap: true,
    banner: { js: BANNER },
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'rewrite-import-meta-dirname',
        setup(build) {
          build.onLoad({ filter: /\.ts$/ }, (args) => {
            const source = readFileSync(args.path, 'utf8');
            if (!source.includes('import.meta.dirname')) return undefined;
            return {
              contents: source.replaceAll('import.meta.dirname', dirnameOf(path.dirname(args.path))),
              loader: 'ts',
            };
          });
        },
      },
    ],
  });
  return { files: Object.keys(result.metafile.outputs).map((file) => path.relative(outdir, path.resolve(file))) };
}
