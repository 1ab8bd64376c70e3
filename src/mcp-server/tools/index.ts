/**
 * Registers every tool of our MCP data server. One tool per file; add a tool by writing
 * `tools/<kebab-name>.ts` with a `register…Tool(server, deps)` export and listing it here.
 */
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerAnalyzeStockTool } from './analyze-stock.js';
import { registerGetAnalystRatingsTool } from './get-analyst-ratings.js';
import { registerGetCompanyFinancialsTool } from './get-company-financials.js';
import { registerGetCompanyNewsTool } from './get-company-news.js';
import { registerGetCompanyProfileTool } from './get-company-profile.js';
import { registerGetInsiderTransactionsTool } from './get-insider-transactions.js';
import { registerGetLatestFilingsTool } from './get-latest-filings.js';
import { registerGetPeersTool } from './get-peers.js';
import { registerGetPriceHistoryTool } from './get-price-history.js';
import { registerSearchTickersTool } from './search-tickers.js';
import type { ToolDeps } from './tool-kit.js';

export type { ToolDeps } from './tool-kit.js';

/**
 * Register all tools on `server`: the data tools (names in `TOOL_NAMES` of `../shapes.ts`), `search_tickers`
 * when the provider can list its coverage, `get_peers` when it can list peers, and `get_latest_filings` when it can
 * ask a source for a company's newest filings (the provider chain can; it answers "unavailable" without live SEC). Returns them by name.
 */
export function registerTools(server: McpServer, deps: ToolDeps): Record<string, RegisteredTool> {
  const { provider } = deps;
  const search =
    provider.coverage?.() !== undefined
      ? { search_tickers: registerSearchTickersTool(server, deps, () => provider.coverage?.() ?? []) }
      : {};
  const peers = provider.peers ? { get_peers: registerGetPeersTool(server, deps) } : {};
  const filings = provider.latestFilings ? { get_latest_filings: registerGetLatestFilingsTool(server, deps) } : {};
  return {
    ...search,
    get_company_profile: registerGetCompanyProfileTool(server, deps),
    get_company_financials: registerGetCompanyFinancialsTool(server, deps),
    get_price_history: registerGetPriceHistoryTool(server, deps),
    analyze_stock: registerAnalyzeStockTool(server, deps),
    get_analyst_ratings: registerGetAnalystRatingsTool(server, deps),
    get_company_news: registerGetCompanyNewsTool(server, deps),
    get_insider_transactions: registerGetInsiderTransactionsTool(server, deps),
    ...peers,
    ...filings,
  };
}
