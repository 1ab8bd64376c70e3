/**
 * tickerdesk in the terminal: `npx tickerdesk research NVDA` (or `npm run research -- NVDA`), `tickerdesk perf` and
 * `tickerdesk mcp-server`. The same pipeline as the Slack app, built by the shared runtime. Logs go to stderr at
 * `warn` unless `LOG_LEVEL` says otherwise.
 */

import { processIo } from './cli/io.js';
import { plainLogger } from './cli/plain-log.js';
import { runCli } from './cli/program.js';
import { EXIT, STOP_REASONS, STOP_SIGNALS, signalExitCode } from './cli/signals.js';
import { loadDotEnv } from './dotenv.js';
import { logger } from './log.js';

const argv = process.argv.slice(2);
// The operations commands read .env as `npm start` does, so they work on the app's cache and run log.
if (argv[0] === 'prewarm' || argv[0] === 'perf') loadDotEnv();
// A blank LOG_LEVEL counts as unset, as every blank setting does.
const logLevelSet = Boolean(process.env.LOG_LEVEL?.trim());
if (!logLevelSet) logger.level = 'warn';
// A person at a terminal reads warnings as sentences; whoever sets LOG_LEVEL gets pino's JSON.
const cliLogger = logLevelSet ? logger : plainLogger(process.stderr);

const controller = new AbortController();
// Ctrl-C, `kill`/`timeout`/`docker stop`/systemd (SIGTERM) and a closed terminal (SIGHUP) all stop a run the same
// way: it is cancelled and recorded as such, the data server is stopped, and the exit code is the shell's 128 + n.
let stoppedBy: (typeof STOP_SIGNALS)[number] | undefined;
for (const signal of STOP_SIGNALS) {
  process.once(signal, () => {
    stoppedBy ??= signal;
    controller.abort(STOP_REASONS[signal]);
  });
}
// A reader that goes away (`| head`: EPIPE; a closed terminal: EIO) stops the run cleanly instead of crashing.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', () => controller.abort('the output was closed'));
}

try {
  process.exitCode = await runCli(argv, {
    io: processIo(),
    env: process.env,
    logger: cliLogger,
    signal: controller.signal,
  });
  // A cancelled run exits as the signal that stopped it would (SIGTERM 143, SIGHUP 129, SIGINT 130).
  if (stoppedBy && process.exitCode === EXIT.cancelled) process.exitCode = signalExitCode(stoppedBy);
} catch (err) {
  cliLogger.debug({ err }, 'unexpected failure');
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
// Everything is closed by now; if a stray handle still holds the event loop, do not hang. The MCP server, once
// started, serves until its client closes stdin, and exits by itself then.
if (argv[0] !== 'mcp-server') setTimeout(() => process.exit(), 3000).unref();
