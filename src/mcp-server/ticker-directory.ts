/**
 * The ticker directory: an MCP resource listing every ticker our data server covers, so that a client can tell an
 * unknown ticker before it fans out a run's tool calls (the research pipeline sends one call for it instead of
 * eight). Read once per connection; the list comes from the provider (the bundled data set's index).
 */
import type { McpServer, RegisteredResource } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { DataKind, DataProvider } from './providers/types.js';

/** URI of the ticker directory resource. */
export const TICKER_DIRECTORY_URI = 'tickerdesk://tickers';

/**
 * The directory's JSON body: every ticker with data, normalised (`BRK.B`), sorted; and, when the provider can tell,
 * the kinds of data each has (`has`, e.g. `{"SPY": ["prices"]}`). A ticker the data set knows but has nothing usable
 * for (SAMSUNG, whose statements are in KRW) is not listed.
 */
export interface TickerDirectory {
  tickers: string[];
  has?: Record<string, DataKind[]>;
}

/** The directory body for `provider`: see {@link TickerDirectory}. */
export function tickerDirectory(provider: DataProvider): TickerDirectory {
  const coverage = provider.coverage?.();
  if (!coverage) return { tickers: [...provider.tickers()].sort() };
  const usable = coverage.filter((c) => c.has.length > 0).sort((a, b) => a.ticker.localeCompare(b.ticker));
  return {
    tickers: usable.map((c) => c.ticker),
    has: Object.fromEntries(usable.map((c) => [c.ticker, [...c.has]])),
  };
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
      description:
        'Every ticker this server has data for, and the kinds of data each has, as JSON ' +
        '{"tickers": [...], "has": {"NVDA": ["profile", "financials", ...]}}. Kinds: profile, financials, prices ' +
        '(also analyze_stock), analyst, news, insider. The search_tickers tool finds tickers by name.',
      mimeType: 'application/json',
    },
    (uri) => ({
      contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(tickerDirectory(provider)) }],
    }),
  );
}
