/**
 * The prefetch plan: every tool call the analysts need for one ticker, known up front so that all of them can be
 * issued at once. Each request names the {@link BundleKey} its result fills.
 */
import type { ToolName } from '../mcp-server/shapes.js';
import type { ToolRequest } from '../tools/types.js';
import type { BundleKey } from './types.js';

/** Name of our own MCP data server, as mounted by the tool gateway. */
export const TICKERDESK_SERVER = 'tickerdesk';

/** One planned call and the bundle part it fills. */
export interface PlannedRequest {
  part: BundleKey;
  request: ToolRequest;
}

/** Plain-words names of the bundle parts, for progress lines and problem notes. */
export const PART_LABELS: Readonly<Record<BundleKey, string>> = {
  profile: 'company profile',
  financialsAnnual: 'annual financial statements',
  financialsQuarterly: 'quarterly financial statements',
  prices: 'price history',
  technicals: 'technical indicators',
  analyst: 'analyst ratings',
  news: 'company news and filings',
  insider: 'insider transactions',
};

/**
 * Every bundle part, in the bundle's order (profile, statements, prices, …). Taken from {@link PART_LABELS}' keys,
 * which the compiler holds to {@link BundleKey}, so a part added to the bundle cannot be left out of this list.
 */
export const BUNDLE_KEYS: readonly BundleKey[] = Object.keys(PART_LABELS) as BundleKey[];

/**
 * Calendar days of daily prices a run asks for, counted back from the run date: the price chart shows the last
 * 12 months with a 200-day average across all of them (about 290 calendar days of warm-up), with room for a data
 * set whose newest bar lags the run date by months (the bundled one does). The server answers at most its
 * `MAX_PRICE_BARS` (500) newest daily bars, which hold those 12 months and the warm-up (about 452 bars).
 */
export const PRICE_HISTORY_DAYS = 1000;

/** `today` (ISO date) minus `days` calendar days. */
function daysBeforeIso(today: string, days: number): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) - days * 864e5).toISOString().slice(0, 10);
}

function tool(name: ToolName, args: Record<string, unknown>): ToolRequest {
  return { server: TICKERDESK_SERVER, tool: name, args };
}

/**
 * Every request a run makes, one per bundle part, in bundle order (profile first).
 * Limits: 5 annual and 8 quarterly periods, 20 news items, 50 insider transactions; prices from
 * {@link PRICE_HISTORY_DAYS} before `today` to the newest bar.
 * @param ticker an already normalised ticker (see `normalizeTicker`).
 * @param today the run date, ISO `YYYY-MM-DD` (default: today in UTC); it fixes the first day of prices asked for.
 * @example planRequests('NVDA')[0] // { part: 'profile', request: { server: 'tickerdesk', tool: 'get_company_profile', args: { ticker: 'NVDA' } } }
 */
export function planRequests(ticker: string, today = new Date().toISOString().slice(0, 10)): PlannedRequest[] {
  return [
    { part: 'profile', request: tool('get_company_profile', { ticker }) },
    { part: 'financialsAnnual', request: tool('get_company_financials', { ticker, period: 'annual', limit: 5 }) },
    {
      part: 'financialsQuarterly',
      request: tool('get_company_financials', { ticker, period: 'quarterly', limit: 8 }),
    },
    {
      part: 'prices',
      request: tool('get_price_history', { ticker, start: daysBeforeIso(today, PRICE_HISTORY_DAYS) }),
    },
    { part: 'technicals', request: tool('analyze_stock', { ticker }) },
    { part: 'analyst', request: tool('get_analyst_ratings', { ticker }) },
    { part: 'news', request: tool('get_company_news', { ticker, limit: 20 }) },
    { part: 'insider', request: tool('get_insider_transactions', { ticker, limit: 50 }) },
  ];
}
