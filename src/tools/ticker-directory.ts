/**
 * A mounted server's ticker directory: the tickers it covers, read from its `tickerdesk://tickers` resource (our
 * data server publishes it from the bundled data set's index), so that the pipeline can tell an unknown ticker
 * before it fans out a run's tool calls.
 */
import { TICKER_DIRECTORY_URI, type TickerDirectory } from '../mcp-server/ticker-directory.js';
import type { ToolCache } from './cache.js';
import type { McpServerClient } from './mcp-client.js';

/** How long a server's ticker directory is kept in the tool cache, ms: a day (it changes with a data rebuild). */
export const TICKER_DIRECTORY_TTL_MS = 24 * 60 * 60_000;

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

/**
 * The ticker directory of `server`, from the tool cache when it holds one (a warm run then never starts the server
 * just to read it), else read from the server and cached for {@link TICKER_DIRECTORY_TTL_MS}; under `scope`, as the
 * server's tool answers are (the gateway's `keyScopes`: our server's directory comes from its `DATA_DIR`).
 * @throws as {@link readTickerDirectory} on a cache miss.
 */
export async function cachedTickerDirectory(
  server: string,
  client: McpServerClient,
  cache: ToolCache,
  timeoutMs: number,
  scope?: string,
): Promise<ReadonlySet<string> | undefined> {
  const key = `${server}/resource${scope ? `#${scope}` : ''}:${TICKER_DIRECTORY_URI}`;
  const entry = await cache.get(key);
  if (entry?.kind === 'data' && Array.isArray(entry.data)) {
    return new Set(entry.data.filter((t): t is string => typeof t === 'string'));
  }
  let tickers: ReadonlySet<string> | undefined;
  try {
    tickers = await readTickerDirectory(client, timeoutMs);
  } finally {
    // Nothing to cache (no directory, or the read failed): give up the claim a shared cache's miss may have taken.
    if (!tickers) await cache.release?.(key);
  }
  if (tickers)
    await cache.set(
      key,
      { kind: 'data', data: [...tickers], fetchedAt: new Date().toISOString() },
      TICKER_DIRECTORY_TTL_MS,
    );
  return tickers;
}
