/**
 * `analyze_stock {ticker}` → {@link TechnicalAnalysis}: indicators computed from the provider's daily prices
 * (about 660 calendar days: one year plus a 200-day warm-up), see `../analysis/technicals.ts`.
 */
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { DataUnavailableError } from '../../errors.js';
import type { PriceHistory, Provenance, TechnicalAnalysis } from '../shapes.js';
import { emptyUsage, mergeUsage } from '../upstream/usage.js';
import { provenanceNote, readOnlyAnnotations } from './annotations.js';
import { technicalAnalysisSchema } from './output-schemas.js';
import { runTool, type ToolDeps, tickerInput, toolInput } from './tool-kit.js';

const NAME = 'analyze_stock';
const input = toolInput({ ticker: tickerInput });

/** The second call's provenance, counting the upstream requests of both calls. */
function bothCalls(first: PriceHistory, second: PriceHistory): Provenance | undefined {
  const p = second.provenance;
  if (!p) return undefined;
  const upstream = mergeUsage(
    mergeUsage(emptyUsage(), first.provenance?.upstream ?? emptyUsage()),
    p.upstream ?? emptyUsage(),
  );
  return upstream.requests > 0 ? { ...p, upstream } : p;
}

/** Register `analyze_stock` on `server`. Errors: unknown ticker, no price history, invalid input. */
export function registerAnalyzeStockTool(server: McpServer, deps: ToolDeps): RegisteredTool {
  const title = 'Technical analysis';
  return server.registerTool(
    NAME,
    {
      title,
      description:
        'Technical indicators this server computes from about 660 calendar days of daily closes (the prices of ' +
        'get_price_history: ibkr-heliar-k or stooq-tessera): SMA 20/50/200, RSI 14, MACD (12, 26, 9), 52-week high ' +
        'and low, drawdown from the high, max drawdown over one year, 30- and 90-day annualised volatility (%), and ' +
        '1-month, 3-month and 1-year returns (%), as of the last bar (`asOf`). Prices in USD.' +
        ` ${provenanceNote('prices')}`,
      inputSchema: input.published,
      outputSchema: technicalAnalysisSchema,
      annotations: readOnlyAnnotations(title, deps),
    },
    (args, extra) =>
      runTool(
        { name: NAME, deps, input: input.strict, output: technicalAnalysisSchema },
        args,
        extra,
        async ({ ticker }): Promise<TechnicalAnalysis> => {
          // Loaded on first use: keeps the indicator library off the server's start-up path.
          const { ANALYSIS_LOOKBACK_DAYS, computeTechnicals, shiftIsoDate } = await import('../analysis/technicals.js');
          const recent = await deps.provider.prices(ticker);
          if (recent.bars.length === 0) {
            throw new DataUnavailableError(`No daily prices for ${ticker} in the ${deps.provider.id} data set.`);
          }
          const end = recent.end;
          const history = await deps.provider.prices(ticker, {
            start: shiftIsoDate(end, { days: -ANALYSIS_LOOKBACK_DAYS }),
            end,
          });
          const analysis = computeTechnicals({
            ticker,
            bars: history.bars,
            source: history.source,
            ...(history.security === undefined ? {} : { security: history.security }),
          });
          const provenance = bothCalls(recent, history);
          return provenance ? { ...analysis, provenance } : analysis;
        },
      ),
  );
}
