/**
 * Stdio entry point of our MCP data server (`npm run mcp-server`). Reads only the configuration it uses
 * (`DATA_DIR`, `MCP_TOOL_LATENCY_MS`, `LOG_LEVEL`, the live data settings and `CACHE_URL` for the shared SEC limit), opens the bundled data set (default `data/`), and serves the
 * `tickerdesk` tools over stdin/stdout. Only protocol goes to stdout; logs go to stderr. Exits 0 when stdin closes,
 * when the client closes our stdout (EPIPE), or on SIGINT/SIGTERM; 1 when it cannot start (configuration or data
 * set problems, told in plain words on stderr).
 *
 * Spawn it from another process with `serverCommand()` from `./entry.ts`.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadDataServerConfig } from '../config.js';
import { asTickerdeskError } from '../errors.js';
import { logger } from '../log.js';
import { guardProtocol } from './protocol-guard.js';
import { createBundledProvider } from './providers/bundled.js';
import { DATA_KINDS } from './providers/kinds.js';
import { buildProviders } from './providers/registry.js';
import { createServer } from './server.js';

/**
 * Most JSON-RPC answers in flight at once that may wait for stdout to drain: the SDK's stdio transport adds one
 * `once('drain')` listener per answer written while the pipe is full (each removed when it drains), so 50
 * concurrent large answers are 50 listeners, not a leak; Node's default of 10 would warn
 * (MaxListenersExceededWarning).
 */
const STDOUT_DRAIN_LISTENERS = 1000;

async function main(): Promise<void> {
  const config = loadDataServerConfig();
  for (const warning of config.warnings) logger.warn(warning);
  const bundled = createBundledProvider(config.dataDir);
  // Reads the data set's index now, so a missing or unreadable data set is told at start, not on the first call.
  const tickerCount = bundled.tickers().length;
  const { provider, notices, close: closeProviders } = buildProviders(config.data, bundled);
  for (const notice of notices) process.stderr.write(`note: ${notice}\n`);
  const server = createServer({ provider, latencyMs: config.latencyMs });
  process.stdout.setMaxListeners(STDOUT_DRAIN_LISTENERS);
  const transport = new StdioServerTransport();

  let closing = false;
  const shutdown = (reason: string) => {
    if (closing) return;
    closing = true;
    logger.info({ reason }, `mcp server stopping (${reason})`);
    // Anything still open (a provider's file handles) must not keep the process alive once the client is gone.
    setTimeout(() => process.exit(0), 2000).unref();
    server.close().catch((err: unknown) => logger.warn({ err }, 'error while closing the mcp server'));
    closeProviders().catch((err: unknown) => logger.debug({ err }, 'error while closing the providers'));
  };
  process.stdin.once('end', () => shutdown('stdin closed'));
  process.stdin.once('close', () => shutdown('stdin closed'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  transport.onclose = () => shutdown('transport closed');
  // A client that closes our stdout mid-call leaves nobody to answer: stop quietly (exit 0), not with an
  // unhandled `write EPIPE`.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    logger.debug({ err }, 'stdout closed by the client');
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(0);
    shutdown(`stdout failed: ${err.message}`);
  });
  server.server.onerror = (err) => logger.debug({ err }, 'mcp protocol error');

  await server.connect(transport);
  guardProtocol(transport, logger);
  // analyze_stock loads the indicator library on first use; load it now, while the client is still connecting.
  import('./analysis/technicals.js').catch((err: unknown) => logger.warn({ err }, 'could not preload technicals'));
  const chains = Object.fromEntries(DATA_KINDS.map((k) => [k, provider.chain(k).map((m) => m.id)]));
  // The message carries the facts too: a person at a terminal reads only it (see log.ts).
  logger.info(
    {
      dataDir: config.dataDir,
      dataSource: config.data.source,
      chains,
      tickers: tickerCount,
      latencyMs: config.latencyMs,
    },
    `mcp server ready on stdin/stdout: ${tickerCount} bundled tickers in ${config.dataDir}, DATA_SOURCE=${config.data.source}; ` +
      Object.entries(chains)
        .map(([kind, ids]) => `${kind} from ${ids.join(' → ')}`)
        .join(', '),
  );
}

main().catch((err: unknown) => {
  const error = asTickerdeskError(err);
  logger.fatal({ err, code: error.code }, 'mcp server could not start');
  process.stderr.write(`tickerdesk MCP server could not start: ${error.message}\n`);
  process.exit(1);
});
