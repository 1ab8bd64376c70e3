/**
 * What the server has for each ticker, as a model can use it: which tools answer with data for a ticker, and a
 * search over tickers and company names. Built on a provider's {@link TickerCoverage}; tickers with no data at all
 * (known to the data set, nothing usable, e.g. SAMSUNG with statements in KRW) are left out.
 */
import { normalizeTicker } from '../tickers.js';
import { closeMatches } from './providers/ticker-match.js';
import type { DataKind, TickerCoverage } from './providers/types.js';
import type { ToolName } from './shapes.js';

/** The tools that answer with each kind of data. */
export const TOOLS_FOR_KIND: Readonly<Record<DataKind, readonly ToolName[]>> = {
  profile: ['get_company_profile'],
  financials: ['get_company_financials'],
  prices: ['get_price_history', 'analyze_stock'],
  analyst: ['get_analyst_ratings'],
  news: ['get_company_news'],
  insider: ['get_insider_transactions'],
};

/** The tools that answer with data for a ticker that has `has`, in tool order. */
export function toolsWith(has: readonly DataKind[]): ToolName[] {
  return has.flatMap((kind) => TOOLS_FOR_KIND[kind]);
}

/** One `search_tickers` match. */
export interface TickerMatch {
  ticker: string;
  name: string;
  sector?: string;
  /** Kinds of data the server has for it. */
  has: DataKind[];
  /** The tools that answer with data for it. */
  tools: ToolName[];
}

/** What `search_tickers` returns. */
export interface TickerSearch {
  /** The query as given (absent when only `has` filtered). */
  query?: string;
  has?: DataKind;
  /** Matches in all, before `limit`. */
  total: number;
  /** Best first: the exact ticker, tickers starting with the query, names, then close ticker spellings. */
  matches: TickerMatch[];
}

function asTicker(query: string): string | undefined {
  try {
    return normalizeTicker(query);
  } catch {
    return undefined;
  }
}

/** Rank of `entry` for `query` (lower is better), or undefined when it does not match. */
function rank(entry: TickerCoverage, query: string, ticker: string | undefined, close: ReadonlySet<string>) {
  const name = entry.name.toLowerCase();
  const q = query.toLowerCase();
  if (ticker !== undefined && entry.ticker === ticker) return 0;
  if (name === q) return 1;
  if (ticker !== undefined && entry.ticker.startsWith(ticker)) return 2;
  if (name.startsWith(q)) return 3;
  if (name.split(/[\s.,&()-]+/).some((word) => word.startsWith(q))) return 4;
  if (q.length >= 3 && name.includes(q)) return 5;
  if (close.has(entry.ticker)) return 6;
  return undefined;
}

/**
 * Search the tickers that have data: by ticker (exact, prefix, close spelling) and by company name (whole, start,
 * a word's start, or — for three letters or more — anywhere), optionally only those with a kind of data.
 * @param query ticker or name; empty or absent lists every ticker (with `has`, every ticker with that kind).
 * @param limit most matches returned (`total` counts them all).
 */
export function searchTickers(
  coverage: readonly TickerCoverage[],
  options: { query?: string; has?: DataKind; limit: number },
): TickerSearch {
  const query = options.query?.trim() ?? '';
  const usable = coverage.filter((c) => c.has.length > 0 && (!options.has || c.has.includes(options.has)));
  const ticker = query ? asTicker(query) : undefined;
  const close = new Set(
    ticker
      ? closeMatches(
          ticker,
          usable.map((c) => c.ticker),
        )
      : [],
  );
  const ranked = usable
    .map((entry) => ({ entry, r: query ? rank(entry, query, ticker, close) : 0 }))
    .filter((x): x is { entry: TickerCoverage; r: number } => x.r !== undefined)
    .sort((a, b) => a.r - b.r || a.entry.ticker.localeCompare(b.entry.ticker));
  const matches = ranked.slice(0, options.limit).map(({ entry }) => ({
    ticker: entry.ticker,
    name: entry.name,
    ...(entry.sector === undefined ? {} : { sector: entry.sector }),
    has: [...entry.has],
    tools: toolsWith(entry.has),
  }));
  return {
    ...(query ? { query } : {}),
    ...(options.has ? { has: options.has } : {}),
    total: ranked.length,
    matches,
  };
}
