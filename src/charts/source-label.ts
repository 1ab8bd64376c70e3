/**
 * Plain-words names of data providers, for chart captions and report source tables.
 */
import type { Source } from '../mcp-server/shapes.js';

const PROVIDERS: Readonly<Record<string, string>> = {
  'sec-companyfacts': 'SEC companyfacts',
  'sec-10k': 'SEC 10-K',
  'sec-submissions': 'SEC EDGAR filings',
  'sec-form4': 'SEC Form 4',
  'yfinance-heliar-k': 'yfinance statements',
  'ibkr-heliar-k': 'IBKR daily prices',
  'stooq-tessera': 'Stooq daily prices',
  'sp500-datasets': 'S&P 500 constituents data',
  'nasdaq100-consensus-heliar-k': 'Nasdaq-100 consensus snapshot',
  'tickerdesk-derived': 'tickerdesk (derived)',
};

/** A source's provider in plain words, e.g. `ibkr-heliar-k` → `IBKR daily prices`; unknown ids print as given. */
export function sourceLabel(source: Pick<Source, 'provider'>): string {
  return PROVIDERS[source.provider] ?? source.provider;
}
