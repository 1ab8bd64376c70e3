/**
 * The shared source files `npm run data:build` reads (`../shared/data`, see its PROVENANCE.txt), loaded once: the
 * S&P 500 reference tables, the Nasdaq-100 consensus tables, the per-ticker file lists and the SEC submissions; plus
 * the upstream commits and dates every source reference names, and small CSV and number helpers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

/** Commits of the upstream repositories the shared files came from (see data/PROVENANCE.md). */
export const HELIAR = 'heliar-k/market-base@ea74518';
/** Licence note of the development samples. */
export const SAMPLE = 'development sample, no licence';
/** The heliar-k snapshot's data run to this date (its last daily bar). */
export const HELIAR_AS_OF = '2026-08-21';
/** Date of the S&P 500 market snapshot (price, market cap, P/E…), and the data set's `dataAsOf`. */
export const SNAPSHOT_DATE = '2026-08-22';
/** Statements or prices not reported in USD: left out (our shapes are USD-only). Ticker → currency. */
export const NON_USD_STATEMENTS: Record<string, string> = { SAMSUNG: 'KRW', SKHYNIX: 'KRW', TSM: 'TWD' };
export const NON_USD_PRICES: Record<string, string> = { SAMSUNG: 'KRW', SKHYNIX: 'KRW' };
/** Share classes of one issuer that share statements, filings and insider data. */
export const SAME_ISSUER: Record<string, string> = { GOOGL: 'GOOG', GOOG: 'GOOGL' };

/** One CSV row by column name. */
export type Row = Record<string, string>;

/** A finite number from a CSV cell, or `undefined` for an empty or non-numeric one. */
export function num(s: string | undefined): number | undefined {
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** `n` rounded to `dp` decimal places. */
export function round(n: number, dp = 4): number {
  return Number(n.toFixed(dp));
}

const sortTickers = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/** The shared data directory, read. */
export interface SharedSources {
  /** A path inside the shared directory. */
  path(...parts: string[]): string;
  /** A CSV file of the shared directory (relative path parts), parsed with a header row. */
  csv(...parts: string[]): Row[];
  /** The sorted file names of a shared folder (empty when it is missing). */
  list(dir: string): string[];
  /** S&P 500 constituents by symbol. */
  constituents: Map<string, Row>;
  /** S&P 500 market snapshot of {@link SNAPSHOT_DATE} by symbol. */
  snapshot: Map<string, Row>;
  /** Nasdaq-100 components by ticker. */
  ndxComponents: Map<string, Row>;
  /** Nasdaq-100 consensus snapshots, one row per ticker and date. */
  targets: Row[];
  /** Tickers with files in each per-ticker source. */
  yfTickers: string[];
  ibkr: string[];
  stooq: string[];
  insiderTickers: string[];
  companyfactsTickers: string[];
  /** SEC submissions JSON by ticker. */
  submissions: Map<string, Record<string, unknown>>;
  /** Every ticker any source names, sorted. */
  universe: string[];
}

/**
 * Read the shared directory `dir`.
 * @throws Error when a reference table is missing or unreadable.
 */
export function loadSharedSources(dir: string): SharedSources {
  const path = (...parts: string[]): string => join(dir, ...parts);
  const csv = (...parts: string[]): Row[] =>
    parse(readFileSync(path(...parts)), { columns: true, skip_empty_lines: true, bom: true });
  const list = (sub: string): string[] => (existsSync(path(sub)) ? readdirSync(path(sub)).sort() : []);
  const files = (sub: string, ext: RegExp) => list(sub).map((f) => f.replace(ext, ''));

  const constituents = new Map(csv('reference/sp500_constituents.csv').map((r) => [r.Symbol ?? '', r]));
  const snapshot = new Map(
    csv(`reference/sp500_constituents_financials_${SNAPSHOT_DATE}.csv`).map((r) => [r.Symbol ?? '', r]),
  );
  const ndxComponents = new Map(csv('analyst/heliar-k_ndx_components.csv').map((r) => [r.ticker ?? '', r]));
  const targets = csv('analyst/heliar-k_ndx_targets.csv');
  const yfTickers = list('fundamentals/heliar-k_yfinance');
  const ibkr = files('prices/heliar-k_ibkr_daily', /\.csv$/);
  const stooq = files('prices/tessera_stooq_adjusted', /\.csv$/);
  const insiderTickers = files('insider/heliar-k_form4', /\.csv$/);
  const companyfactsTickers = files('sec/companyfacts', /\.json\.gz$/);
  const submissions = new Map<string, Record<string, unknown>>();
  for (const f of list('sec/submissions')) {
    if (/^[A-Z.]+\.json$/.test(f))
      submissions.set(f.replace(/\.json$/, ''), JSON.parse(readFileSync(path('sec/submissions', f), 'utf8')));
  }
  const universe = sortTickers([
    ...constituents.keys(),
    ...snapshot.keys(),
    ...ndxComponents.keys(),
    ...targets.map((r) => r.ticker ?? ''),
    ...yfTickers,
    ...ibkr,
    ...stooq,
    ...insiderTickers,
    ...companyfactsTickers,
    ...submissions.keys(),
  ]).filter(Boolean);
  return {
    path,
    csv,
    list,
    constituents,
    snapshot,
    ndxComponents,
    targets,
    yfTickers,
    ibkr,
    stooq,
    insiderTickers,
    companyfactsTickers,
    submissions,
    universe,
  };
}

/** The SEC submissions of `ticker`, or of its other share class. */
export function submissionsFor(src: SharedSources, ticker: string): Record<string, unknown> | undefined {
  const other = SAME_ISSUER[ticker];
  return src.submissions.get(ticker) ?? (other ? src.submissions.get(other) : undefined);
}
