/**
 * `.env` in the working directory, read into `process.env` the way `npm start` reads it: Node ≥ 20.12's
 * `process.loadEnvFile`, variables already set in the environment win. The app reads it at start; so do the CLI's
 * operations commands (`prewarm`, `perf`), so that they work on the tool cache and run log the app uses
 * (`CACHE_URL`, `TICKERDESK_HOME`, `METRICS_PATH`, `PREWARM_TICKERS` …) without exporting them in the shell.
 */
import { existsSync } from 'node:fs';

/**
 * Read `file` (default `.env`) into `process.env` when it exists; on Node 20.11, which cannot, say so on `stderr`.
 * @returns true when a file was read.
 * @throws the parse error of a file Node cannot read (as `npm start` does).
 */
export function loadDotEnv(file = '.env', stderr: Pick<NodeJS.WriteStream, 'write'> = process.stderr): boolean {
  if (!existsSync(file)) return false;
  if (typeof process.loadEnvFile === 'function') {
    process.loadEnvFile(file);
    return true;
  }
  stderr.write(
    `tickerdesk: found ${file}, but Node ${process.version} cannot read it (Node 20.12 or later can). ` +
      'Upgrade Node, or export its variables in the shell.\n',
  );
  return false;
}
