/**
 * The provider contract behind our MCP tools. Providers are pluggable: the bundled data set first, live sources
 * (SEC, market data) when configured. A provider returns shapes from `../shapes.ts`.
 *
 * Errors: `UnknownTickerError` (with close matches) when the provider knows no such ticker;
 * `DataUnavailableError` when it knows the ticker but lacks this kind of data. Never an empty success.
 */
import type {
  AnalystRatings,
  CompanyFinancials,
  CompanyNews,
  CompanyProfile,
  InsiderTransactions,
  PriceHistory,
} from '../shapes.js';

/** A source of company data. Tickers are already normalised (`normalizeTicker`). */
export interface DataProvider {
  /** Provider id, e.g. `bundled`. */
  readonly id: string;
  /** Every ticker this provider knows (for close-match suggestions). */
  tickers(): readonly string[];
  profile(ticker: string): Promise<CompanyProfile>;
  /** Newest period first, at most `limit` periods. */
  financials(ticker: string, period: 'annual' | 'quarterly', limit: number): Promise<CompanyFinancials>;
  /** Daily bars between `start` and `end` inclusive (ISO dates); defaults: the last year of available data. */
  prices(ticker: string, range?: { start?: string; end?: string }): Promise<PriceHistory>;
  analystRatings(ticker: string): Promise<AnalystRatings>;
  /** Newest first, at most `limit`. */
  news(ticker: string, limit: number): Promise<CompanyNews>;
  /** Newest first, at most `limit`. */
  insiderTransactions(ticker: string, limit: number): Promise<InsiderTransactions>;
}
