/**
 * `get_price_history {ticker, start?, end?, interval?}` → {@link PriceHistoryResult}: daily, weekly or monthly bars
 * as rows, oldest first, split-adjusted USD, at most {@link MAX_PRICE_BARS} (the newest) with a note when capped.
 */
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { DataUnavailableError, InvalidInputError } from '../../errors.js';
import { compactPrices, MAX_PRICE_BARS } from '../compact.js';
import type { PriceHistoryResult, PriceInterval } from '../shapes.js';
import { provenanceNote, readOnlyAnnotations } from './annotations.js';
import { priceHistorySchema } from './output-schemas.js';
import { runTool, type ToolDeps, tickerInput, toolInput } from './tool-kit.js';

const NAME = 'get_price_history';
const input = toolInput({
  ticker: tickerInput,
  start: z.iso
    .date()
    .optional()
    .describe(
      'First day, YYYY-MM-DD (inclusive). Default: 1 year before the end (daily), 5 years (weekly), 20 years (monthly).',
    ),
  end: z.iso.date().optional().describe('Last day, YYYY-MM-DD (inclusive). Default: the newest bar available.'),
  interval: z
    .enum(['daily', 'weekly', 'monthly'])
    .default('daily')
    .describe('Bar length. A weekly or monthly bar is dated by its last trading day.'),
});

/** Default span of a request without `start`, in days before its end, per interval. */
const DEFAULT_SPAN_DAYS: Record<PriceInterval, number> = { daily: 365, weekly: 5 * 365, monthly: 20 * 365 };

function daysBefore(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** Register `get_price_history` on `server`. Errors: unknown ticker, no bars in range, invalid dates. */
export function registerGetPriceHistoryTool(server: McpServer, deps: ToolDeps): RegisteredTool {
  const title = 'Daily price history';
  return server.registerTool(
    NAME,
    {
      title,
      description:
        'Split-adjusted open, high, low, close (USD) and volume (shares) as rows [date, open, high, low, close, ' +
        'volume] (`columns`), oldest first, at `interval` daily, weekly or monthly (a weekly or monthly bar is dated ' +
        'by its last trading day). Without `start`: the last 1 year (daily), 5 years (weekly) or 20 years (monthly) ' +
        `of available data. At most ${MAX_PRICE_BARS} bars, the newest; when more matched, \`note\` says so and how ` +
        'to ask for the rest. From daily price files (ibkr-heliar-k or stooq-tessera, development samples). For ' +
        'indicators (moving averages, RSI, volatility, returns) use analyze_stock.' +
        ` ${provenanceNote('prices')}`,
      inputSchema: input.published,
      outputSchema: priceHistorySchema,
      annotations: readOnlyAnnotations(title, deps),
    },
    (args, extra) =>
      runTool(
        { name: NAME, deps, input: input.strict, output: priceHistorySchema },
        args,
        extra,
        async ({ ticker, start, end, interval }): Promise<PriceHistoryResult> => {
          if (start !== undefined && end !== undefined && start > end) {
            throw new InvalidInputError(`The start date ${start} is after the end date ${end}.`);
          }
          const range: { start?: string; end?: string } = {};
          if (start !== undefined) range.start = start;
          if (end !== undefined) range.end = end;
          if (start === undefined && interval !== 'daily') {
            // The default span follows the interval, counted back from the end asked for or the newest bar.
            const last = end ?? (await deps.provider.prices(ticker, range)).end;
            range.start = daysBefore(last, DEFAULT_SPAN_DAYS[interval]);
          }
          const result = await deps.provider.prices(ticker, range);
          if (result.bars.length === 0) {
            const span = start || end ? ` between ${start ?? 'the first bar'} and ${end ?? 'the last bar'}` : '';
            throw new DataUnavailableError(`No daily prices for ${ticker}${span} in the ${deps.provider.id} data set.`);
          }
          return compactPrices(result, interval);
        },
      ),
  );
}
