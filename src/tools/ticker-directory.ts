/**
 * A mounted server's ticker directory: the tickers it covers, read from its `tickerdesk://tickers` resource (our
 * data server publishes it from the bundled data set's index), so that the pipeline can tell an unknown ticker
 * before it fans out a run's tool calls.
 */
import { TICKER_DIRECTORY_URI, type TickerDirectory } from '../mcp-server/ticker-directory.js';
import type { McpServerClient } from './mcp-client.js';

/**
 * The tickers `client`'s server lists, or `undefined` when it publishes no ticker directory.
 * @param timeoutMs bound on the read, ms (the spawn and handshake have their own).
 * @throws McpConnectionError or ToolTimeoutError when the server cannot be reached; SyntaxError on a body that is
 *   not JSON.
 */
export async function readTickerDirectory(
  client: McpServerClient,
  timeoutMs: number,
): Promise<ReadonlySet<string> | undefined> {
  const text = await client.readResource(TICKER_DIRECTORY_URI, timeoutMs);
  if (text === undefined) return undefined;
  const tickers = (JSON.parse(text) as Partial<TickerDirectory>).tickers;
  return Array.isArray(tickers) ? new Set(tickers.filter((t): t is string => typeof t === 'string')) : undefined;
}
