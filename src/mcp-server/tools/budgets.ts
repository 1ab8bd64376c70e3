/**
 * How much text each tool's answer may take, in bytes of its JSON text content (UTF-8), so that what a model reads
 * fits its context: with default arguments, and with the largest arguments the tool's input schema allows (most
 * periods, the price cap, most events). `test/mcp-server/answers.e2e.test.ts` measures every tool over every
 * bundled ticker that has its data, over stdio, against these numbers. Measured 2026-12-07 (largest answer, ticker):
 * profiles 1.7 KB (AAPL); statements 9.7 KB with defaults and 30.7 KB for 12 quarters (GOOGL); prices 13.6 KB for
 * a year of daily bars (XOM) and 26.7 KB at the 500-bar cap (NVDA); technicals 0.8 KB; consensus 1.3 KB (ASML);
 * events 10.5 KB and 25.7 KB for 50 (TSLA); insider transactions 16.7 KB for 50 and 32.6 KB for 100 (TSM).
 */
import type { LATEST_FILINGS_TOOL, PEERS_TOOL, SEARCH_TICKERS_TOOL, ToolName } from '../shapes.js';

/** A tool's budget, bytes. */
export interface ByteBudget {
  /** With default arguments. */
  defaults: number;
  /** With the largest arguments its schema allows. */
  largest: number;
}

const KB = 1024;

/** Byte budget per tool (see the module comment for what was measured). */
export const ANSWER_BYTE_BUDGETS: Readonly<
  Record<ToolName | typeof SEARCH_TICKERS_TOOL | typeof PEERS_TOOL | typeof LATEST_FILINGS_TOOL, ByteBudget>
> = {
  search_tickers: { defaults: 4 * KB, largest: 16 * KB },
  get_peers: { defaults: 2 * KB, largest: 4 * KB },
  get_latest_filings: { defaults: 1 * KB, largest: 1 * KB },
  get_company_profile: { defaults: 4 * KB, largest: 4 * KB },
  get_company_financials: { defaults: 16 * KB, largest: 40 * KB },
  get_price_history: { defaults: 16 * KB, largest: 32 * KB },
  analyze_stock: { defaults: 2 * KB, largest: 2 * KB },
  get_analyst_ratings: { defaults: 4 * KB, largest: 4 * KB },
  get_company_news: { defaults: 16 * KB, largest: 32 * KB },
  get_insider_transactions: { defaults: 20 * KB, largest: 40 * KB },
};
