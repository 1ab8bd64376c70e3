/**
 * Stdio entry point of our MCP data server (`npm run mcp-server`). Reads configuration, opens the bundled data
 * set (`DATA_DIR`, default `data/`), and serves the `tickerdesk` tools over stdin/stdout. Only protocol goes to
 * stdout; logs go to stderr. Exits 0 when stdin closes or on SIGINT/SIGTERM, 1 when it cannot start
 * (configuration or data set problems, told in plain words on stderr).
 *
 * Spawn it from another process with `serverCommand()` from `./entry.ts`.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadConfig } from '../config.js';
import { asTickerdeskError } from '../errors.js';
import { logger } from '../log.js';
import { createBundledProvider } from './providers/bundled.js';
import { createServer } from './server.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const provider = createBundledProvider(config.dataDir);
  // Reads the data set's index now, so a missing or unreadable data set is told at start, not on the first call.
  const tickerCount = provider.tickers().length;
  const server = createServer({ provider, latencyMs: config.tools.latencyMs });
  const transport = new StdioServerTransport();

  let closing = false;
  const shutdown = (reason: string) => {
    if (closing) return;
    closing = true;
    logger.info({ reason }, 'mcp server stopping');
    // Anything still open (a provider's file handles) must not keep the process alive once the client is gone.
    setTimeout(() => process.exit(0), 2000).unref();
    server.close().catch((err: unknown) => logger.warn({ err }, 'error while closing the mcp server'));
  };
  process.stdin.once('end', () => shutdown('stdin closed'));
  process.stdin.once('close', () => shutdown('stdin closed'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  transport.onclose = () => shutdown('transport closed');

  await server.connect(transport);
  // analyze_stock loads the indicator library on first use; load it now, while the client is still connecting.
  import('./analysis/technicals.js').catch((err: unknown) => logger.warn({ err }, 'could not preload technicals'));
  logger.info(
    { dataDir: config.dataDir, provider: provider.id, tickers: tickerCount, latencyMs: config.tools.latencyMs },
    'mcp server ready',
  );
}

main().catch((err: unknown) => {
  const error = asTickerdeskError(err);
  logger.fatal({ err, code: error.code }, 'mcp server could not start');
  process.stderr.write(`tickerdesk MCP server could not start: ${error.message}\n`);
  process.exit(1);
});
