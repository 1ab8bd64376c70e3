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

function tool(name: ToolName, args: Record<string, unknown>): ToolRequest {
  return { server: TICKERDESK_SERVER, tool: name, args };
}

/**
 * Every request a run makes, one per bundle part, in bundle order (profile first).
 * Limits: 5 annual and 8 quarterly periods, 20 news items, 50 insider transactions; prices use the server's
 * default range (the last year of data).
 * @param ticker an already normalised ticker (see `normalizeTicker`).
 * @example planRequests('NVDA')[0] // { part: 'profile', request: { server: 'tickerdesk', tool: 'get_company_profile', args: { ticker: 'NVDA' } } }
 */
export function planRequests(ticker: string): PlannedRequest[] {
  return [
    { part: 'profile', request: tool('get_company_profile', { ticker }) },
    { part: 'financialsAnnual', request: tool('get_company_financials', { ticker, period: 'annual', limit: 5 }) },
    {
      part: 'financialsQuarterly',
      request: tool('get_company_financials', { ticker, period: 'quarterly', limit: 8 }),
    },
    { part: 'prices', request: tool('get_price_history', { ticker }) },
    { part: 'technicals', request: tool('analyze_stock', { ticker }) },
    { part: 'analyst', request: tool('get_analyst_ratings', { ticker }) },
    { part: 'news', request: tool('get_company_news', { ticker, limit: 20 }) },
    { part: 'insider', request: tool('get_insider_transactions', { ticker, limit: 50 }) },
  ];
}
