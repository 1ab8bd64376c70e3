/**
 * The on-disk format of the bundled data set in `data/` (written by `scripts/build-data.ts`, read by
 * `bundled.ts`). Layout:
 *
 * - `data/index.json` — every known ticker with name, CIK, sector and which data kinds it has ({@link BundleIndex}).
 * - `data/profiles.json.gz` — gzipped JSON: ticker → `CompanyProfile` for every ticker with a profile.
 * - `data/tickers/<TICKER>.json.gz` — gzipped {@link TickerBundle} for tickers with more than a profile.
 *
 * Units follow `../shapes.ts`: money in whole USD, percentages in %, ISO dates.
 */
import type { FiscalConvention } from '../../definitions/fiscal.js';
import type { AnalystRatings, CompanyEvent, InsiderTransaction, Source, StatementPeriod } from '../shapes.js';

/** Data kinds a ticker may have in the bundle. */
export type DataKind = 'profile' | 'financials' | 'prices' | 'analyst' | 'news' | 'insider';

/** One ticker's entry in `index.json`. */
export interface IndexEntry {
  name: string;
  cik?: string;
  sector?: string;
  /** Data kinds present for this ticker. */
  has: DataKind[];
  /** Why a kind is missing when the source exists but cannot be used (e.g. statements reported in KRW). */
  notes?: Partial<Record<DataKind, string>>;
}

/** `data/index.json`. */
export interface BundleIndex {
  /** Format version of the bundle. */
  version: 1;
  /** Date the newest source data is from (ISO); the build is deterministic, so no build timestamp. */
  dataAsOf: string;
  tickers: Record<string, IndexEntry>;
}

/** Compact daily bar: [date, open, high, low, close, volume]. Prices in USD, volume in shares. */
export type CompactBar = [string, number, number, number, number, number];

/** Per-ticker file `data/tickers/<TICKER>.json.gz`. Absent members mean the kind is unavailable. */
export interface TickerBundle {
  ticker: string;
  financials?: {
    /** The company's fiscal-year naming and where it was read (`src/definitions/fiscal.ts`). */
    fiscalYear?: FiscalConvention;
    annual: StatementPeriod[];
    quarterly: StatementPeriod[];
    sources: Source[];
  };
  prices?: {
    adjusted: 'split' | 'split+dividend';
    /** The other share class the bars are of (`GOOG (Class C)` for GOOGL); absent when they are the ticker's own. */
    security?: string;
    source: Source;
    bars: CompactBar[];
  };
  /** Latest consensus snapshot with its history (oldest first). */
  analyst?: Omit<AnalystRatings, 'ticker'>;
  news?: { source: Source; events: CompanyEvent[] };
  insider?: { source: Source; transactions: InsiderTransaction[] };
}
