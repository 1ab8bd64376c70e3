/**
 * tickerdesk in the terminal: `npx tickerdesk research NVDA` (or `npm run research -- NVDA`), `tickerdesk perf` and
 * `tickerdesk mcp-server`. The same pipeline as the Slack app, built by the shared runtime. Logs go to stderr at
 * `warn` unless `LOG_LEVEL` says otherwise.
 */

import { processIo } from './cli/io.js';
import { plainLogger } from './cli/plain-log.js';
import { runCli } from './cli/program.js';
import { logger } from './log.js';

if (!process.env.LOG_LEVEL) logger.level = 'warn';
// A person at a terminal reads warnings as sentences; whoever sets LOG_LEVEL gets pino's JSON.
const cliLogger = process.env.LOG_LEVEL ? logger : plainLogger(process.stderr);

const argv = process.argv.slice(2);
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
// A reader that goes away (`| head`) stops the run cleanly instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    controller.abort();
  });
}

try {
  process.exitCode = await runCli(argv, {
    io: processIo(),
    env: process.env,
    logger: cliLogger,
    signal: controller.signal,
  });
} catch (err) {
  cliLogger.debug({ err }, 'unexpected failure');
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
// Everything is closed by now; if a stray handle still holds the event loop, do not hang. The MCP server, once
// started, serves until its client closes stdin, and exits by itself then.
if (argv[0] !== 'mcp-server') setTimeout(() => process.exit(), 3000).unref();
