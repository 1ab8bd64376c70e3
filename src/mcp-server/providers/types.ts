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
  LatestFilings,
  PeerList,
  PriceHistory,
} from '../shapes.js';
import type { DataKind } from './bundle-format.js';

export type { DataKind } from './bundle-format.js';

/** What a provider has for one ticker. */
export interface TickerCoverage {
  /** Normalised ticker, e.g. `BRK.B`. */
  ticker: string;
  /** Company or fund name as the data set gives it. */
  name: string;
  sector?: string;
  /** The kinds of data it has (may be empty: known, but nothing usable). */
  has: DataKind[];
}

/** A source of company data. Tickers are already normalised (`normalizeTicker`). */
export interface DataProvider {
  /** Provider id, e.g. `bundled`. */
  readonly id: string;
  /** Every ticker this provider knows (for close-match suggestions). */
  tickers(): readonly string[];
  /**
   * What it has for every ticker it knows, when it can tell without fetching (the bundled data set's index), else
   * `undefined`. With it, the server publishes `has` lists, answers `search_tickers`, and names the tools that do
   * have data when a kind is missing.
   */
  coverage?(): readonly TickerCoverage[] | undefined;
  profile(ticker: string): Promise<CompanyProfile>;
  /**
   * Optional: the company's newest filings, asked of the source now (one small request: SEC submissions), for a
   * provider whose answers rest on filings; the cheap check of those answers (`Provenance.validator`).
   * @throws UnknownTickerError; DataUnavailableError when the source lists no filings for `ticker`.
   */
  latestFilings?(ticker: string): Promise<LatestFilings>;
  /**
   * Optional: the nearest `limit` peers of `ticker` that have statements and prices (`../peers.ts`), for a provider
   * that knows every company's classification and size without fetching (the bundled data set).
   * @throws UnknownTickerError; DataUnavailableError when it has no GICS classification for `ticker`.
   */
  peers?(ticker: string, limit: number): Promise<PeerList>;
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
