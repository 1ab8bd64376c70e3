/**
 * `npm run build`: compile `src/` to `dist/` (see `bin/dist.mjs`). `--if-stale` builds only when `dist/` was not
 * built from the sources now in `src/` (what `npm start` runs first). Prints one line on stderr; exit 1 with
 * esbuild's messages when a source does not compile.
 */
import { buildDist } from '../bin/dist.mjs';

try {
  const { built, files, ms } = await buildDist({ ifStale: process.argv.includes('--if-stale') });
  process.stderr.write(built ? `dist/: ${files} files compiled in ${ms} ms\n` : 'dist/ is current\n');
} catch (err) {
  process.stderr.write(`build failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
