/**
 * `get_analyst_ratings {ticker}` → {@link AnalystRatings}: the analyst consensus snapshot and its history.
 */
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AnalystRatings } from '../shapes.js';
import { provenanceNote, readOnlyAnnotations } from './annotations.js';
import { analystRatingsSchema } from './output-schemas.js';
import { runTool, type ToolDeps, tickerInput, toolInput } from './tool-kit.js';

const NAME = 'get_analyst_ratings';
const input = toolInput({ ticker: tickerInput });

/** Register `get_analyst_ratings` on `server`. Errors: unknown ticker, no analyst coverage, invalid input. */
export function registerGetAnalystRatingsTool(server: McpServer, deps: ToolDeps): RegisteredTool {
  const title = 'Analyst consensus';
  return server.registerTool(
    NAME,
    {
      title,
      description:
        'Analyst consensus snapshot for Nasdaq-100 companies (nasdaq100-consensus-heliar-k, a development sample): ' +
        'rating, number of analysts, mean/high/low price targets (USD), the price at the snapshot and the implied ' +
        'upside (%), with earlier snapshots in `history`. Other tickers have none, and the error says so.' +
        ` ${provenanceNote('consensus')}`,
      inputSchema: input.published,
      outputSchema: analystRatingsSchema,
      annotations: readOnlyAnnotations(title, deps),
    },
    (args, extra) =>
      runTool(
        { name: NAME, deps, input: input.strict, output: analystRatingsSchema },
        args,
        extra,
        ({ ticker }): Promise<AnalystRatings> => deps.provider.analystRatings(ticker),
      ),
  );
}
