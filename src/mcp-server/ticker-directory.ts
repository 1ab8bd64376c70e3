/**
 * The ticker directory: an MCP resource listing every ticker our data server covers, so that a client can tell an
 * unknown ticker before it fans out a run's tool calls (the research pipeline sends one call for it instead of
 * eight). Read once per connection; the list comes from the provider (the bundled data set's index).
 */
import type { McpServer, RegisteredResource } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { DataProvider } from './providers/types.js';

/** URI of the ticker directory resource. */
export const TICKER_DIRECTORY_URI = 'tickerdesk://tickers';

/** The directory's JSON body: every covered ticker, normalised (`BRK.B`), sorted. */
export interface TickerDirectory {
  tickers: string[];
}

/**
 * Register the ticker directory on `server`. Register it only for a provider whose `tickers()` is complete (the
 * bundled data set): a client treats a ticker missing from the list as unknown.
 */
export function registerTickerDirectory(server: McpServer, provider: DataProvider): RegisteredResource {
  return server.registerResource(
    'tickers',
    TICKER_DIRECTORY_URI,
    {
      title: 'Covered tickers',
      description: 'Every ticker this server has data for, as JSON {"tickers": [...]}.',
      mimeType: 'application/json',
    },
    (uri) => {
      const body: TickerDirectory = { tickers: [...provider.tickers()].sort() };
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(body) }] };
    },
  );
}
