/**
 * Plain-words names of data providers, for chart captions and report source tables.
 */
import type { Source } from '../mcp-server/shapes.js';

const PROVIDERS: Readonly<Record<string, string>> = {
  // SEC's XBRL statements (companyfacts), live or bundled: named as the report's data-source line and the thread's
  // answers name them ("SEC EDGAR"), not by the API's name; the form (10-K, 10-Q) is in the source's ref.
  'sec-companyfacts': 'SEC EDGAR',
  'sec-10k': 'SEC 10-K',
  'sec-submissions': 'SEC EDGAR filings',
  'sec-form4': 'SEC Form 4',
  'yfinance-heliar-k': 'yfinance statements',
  'ibkr-heliar-k': 'IBKR daily prices',
  'stooq-tessera': 'Stooq daily prices',
  'sp500-datasets': 'S&P 500 constituents data',
  'nasdaq100-consensus-heliar-k': 'Nasdaq-100 consensus snapshot',
  'tickerdesk-derived': 'tickerdesk (derived)',
  // Live providers (their answers' source ids).
  yahoo: 'Yahoo Finance daily prices',
  stooq: 'Stooq daily prices',
  finnhub: 'Finnhub',
};

/** A source's provider in plain words, e.g. `ibkr-heliar-k` → `IBKR daily prices`; unknown ids print as given. */
export function sourceLabel(source: Pick<Source, 'provider'>): string {
  return PROVIDERS[source.provider] ?? source.provider;
}

/** Public names of the organisations behind the providers, for what a channel reads (no files, no commits). */
const PUBLIC_NAMES: Readonly<Record<string, string>> = {
  'sec-companyfacts': 'SEC EDGAR',
  'sec-10k': 'SEC EDGAR',
  'sec-submissions': 'SEC EDGAR',
  'sec-form4': 'SEC EDGAR',
  'yfinance-heliar-k': 'Yahoo Finance',
  'ibkr-heliar-k': 'IBKR',
  'stooq-tessera': 'Stooq',
  'sp500-datasets': 'S&P 500 constituents data',
  'nasdaq100-consensus-heliar-k': 'Nasdaq',
  'tickerdesk-derived': 'tickerdesk',
  yahoo: 'Yahoo Finance',
  stooq: 'Stooq',
  finnhub: 'Finnhub',
};

/**
 * The public name of a source's organisation, e.g. `ibkr-heliar-k` → `IBKR`, for text shown in a channel (chart
 * captions); file paths and commits stay in the report file's sources section. Unknown ids print as given.
 */
export function publicSourceName(source: Pick<Source, 'provider'>): string {
  return PUBLIC_NAMES[source.provider] ?? source.provider;
}
