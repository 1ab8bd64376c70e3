/**
 * `search_tickers {query?, has?, limit?}` → {@link TickerSearch}: the tickers this server has data for, found by
 * ticker or company name, each with the kinds of data it has and the tools that answer for it. The model's view of
 * coverage (resources are attached by users, not chosen by models). Registered only for a provider that can list its
 * coverage (the bundled data set).
 */
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { searchTickers, type TickerSearch } from '../coverage.js';
import type { TickerCoverage } from '../providers/types.js';
import { readOnlyAnnotations } from './annotations.js';
import { tickerSearchSchema } from './output-schemas.js';
import { runTool, type ToolDeps, toolInput } from './tool-kit.js';

const NAME = 'search_tickers';
const KINDS = ['profile', 'financials', 'prices', 'analyst', 'news', 'insider'] as const;
const input = toolInput({
  query: z
    .string()
    .max(100)
    .optional()
    .describe('A ticker (NVDA, BRK.B) or a company name or part of one (Nvidia, Berkshire). Empty: every ticker.'),
  has: z.enum(KINDS).optional().describe('Only tickers with this kind of data.'),
  limit: z.number().int().min(1).max(50).default(10).describe('Most matches returned (at most 50).'),
});

/** Register `search_tickers` on `server`, over `coverage` (read on each call). Errors: invalid input. */
export function registerSearchTickersTool(
  server: McpServer,
  deps: ToolDeps,
  coverage: () => readonly TickerCoverage[],
): RegisteredTool {
  const title = 'Search tickers and coverage';
  return server.registerTool(
    NAME,
    {
      title,
      description:
        'Find tickers this server has data for, by ticker or company name, and what it has for each: `has` lists ' +
        'the kinds of data (profile, financials, prices, analyst, news, insider) and `tools` the tools that answer ' +
        'with it. `has` as an argument lists only tickers with that kind (e.g. every ticker with financials); ' +
        '`total` counts all matches. From the bundled data set index. Use it before the other tools when unsure ' +
        'of a ticker or of what data exists for it.',
      inputSchema: input.published,
      outputSchema: tickerSearchSchema,
      annotations: readOnlyAnnotations(title, deps),
    },
    (args, extra) =>
      runTool(
        { name: NAME, deps, input: input.strict, output: tickerSearchSchema },
        args,
        extra,
        async ({ query, has, limit }): Promise<TickerSearch> =>
          searchTickers(coverage(), {
            limit,
            ...(query === undefined ? {} : { query }),
            ...(has === undefined ? {} : { has }),
          }),
      ),
  );
}
