/**
 * A tool gateway that answers every tool from a fixture bundle (no network, real shapes: statements and prices in
 * the compact forms our data server answers), for pipeline tests.
 */
import { compactFinancials, compactPrices } from '../../src/mcp-server/compact.js';
import type { CompanyFinancials, PriceHistory } from '../../src/mcp-server/shapes.js';
import type { DataBundle } from '../../src/research/types.js';
import type { ToolGateway, ToolRequest, ToolResult } from '../../src/tools/types.js';

/** Answers each tool call with the matching part of `bundle`; a part that is not `ok` fails the call. */
export function bundleGateway(bundle: DataBundle): ToolGateway {
  const part = (req: ToolRequest): unknown => {
    const pick = {
      get_company_profile: bundle.profile,
      get_company_financials: req.args.period === 'quarterly' ? bundle.financialsQuarterly : bundle.financialsAnnual,
      get_price_history: bundle.prices,
      analyze_stock: bundle.technicals,
      get_analyst_ratings: bundle.analyst,
      get_company_news: bundle.news,
      get_insider_transactions: bundle.insider,
    }[req.tool];
    if (pick?.status !== 'ok') throw new Error(`no fixture for ${req.tool}`);
    if (req.tool === 'get_company_financials') return compactFinancials(pick.data as CompanyFinancials);
    if (req.tool === 'get_price_history') return compactPrices(pick.data as PriceHistory, 'daily');
    return pick.data;
  };
  let calls = 0;
  return {
    async call<T>(request: ToolRequest): Promise<ToolResult<T>> {
      calls += 1;
      return {
        data: part(request) as T,
        source: `${request.server}/${request.tool}`,
        fetchedAt: '2026-08-22T09:00:00.000Z',
        cache: 'miss',
        ms: 1,
      };
    },
    onMetric: () => () => {},
    stats: () => ({ calls, hits: 0, misses: calls, coalesced: 0, errors: 0, cacheErrors: 0, serverCalls: calls }),
    close: async () => {},
  };
}
