/**
 * `get_price_history {ticker, start?, end?}` → {@link PriceHistory}: daily bars, oldest first, split-adjusted USD.
 */
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { DataUnavailableError, InvalidInputError } from '../../errors.js';
import type { PriceHistory } from '../shapes.js';
import { readOnlyAnnotations } from './annotations.js';
import { priceHistorySchema } from './output-schemas.js';
import { runTool, type ToolDeps, tickerInput, toolInput } from './tool-kit.js';

const NAME = 'get_price_history';
const input = toolInput({
  ticker: tickerInput,
  start: z.iso.date().optional().describe('First day, YYYY-MM-DD (inclusive). Default: one year before the end.'),
  end: z.iso.date().optional().describe('Last day, YYYY-MM-DD (inclusive). Default: the newest bar available.'),
});

/** Register `get_price_history` on `server`. Errors: unknown ticker, no bars in range, invalid dates. */
export function registerGetPriceHistoryTool(server: McpServer, deps: ToolDeps): RegisteredTool {
  const title = 'Daily price history';
  return server.registerTool(
    NAME,
    {
      title,
      description:
        'Daily open/high/low/close (USD, split-adjusted) and volume (shares) between two dates, oldest first. ' +
        'Without dates: the last year of available data.',
      inputSchema: input.published,
      outputSchema: priceHistorySchema,
      annotations: readOnlyAnnotations(title, deps),
    },
    (args, extra) =>
      runTool(
        { name: NAME, deps, input: input.strict, output: priceHistorySchema },
        args,
        extra.signal,
        async ({ ticker, start, end }): Promise<PriceHistory> => {
          if (start !== undefined && end !== undefined && start > end) {
            throw new InvalidInputError(`The start date ${start} is after the end date ${end}.`);
          }
          const range: { start?: string; end?: string } = {};
          if (start !== undefined) range.start = start;
          if (end !== undefined) range.end = end;
          const result = await deps.provider.prices(ticker, range);
          if (result.bars.length === 0) {
            const span = start || end ? ` between ${start ?? 'the first bar'} and ${end ?? 'the last bar'}` : '';
            throw new DataUnavailableError(`No daily prices for ${ticker}${span} in the ${deps.provider.id} data set.`);
          }
          return result;
        },
      ),
  );
}
