/**
 * `get_insider_transactions {ticker, limit}` → {@link InsiderTransactions}: SEC Form 4 transactions, newest first,
 * with open-market buy/sell totals over the last 12 months.
 */
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { DataUnavailableError } from '../../errors.js';
import type { InsiderTransactions } from '../shapes.js';
import { provenanceNote, readOnlyAnnotations } from './annotations.js';
import { insiderTransactionsSchema } from './output-schemas.js';
import { runTool, type ToolDeps, tickerInput, toolInput } from './tool-kit.js';

const NAME = 'get_insider_transactions';
const input = toolInput({
  ticker: tickerInput,
  limit: z.number().int().min(1).max(100).default(50).describe('How many transactions, newest first (at most 100).'),
});

/** Register `get_insider_transactions` on `server`. Errors: unknown ticker, no Form 4 data, invalid input. */
export function registerGetInsiderTransactionsTool(server: McpServer, deps: ToolDeps): RegisteredTool {
  const title = 'Insider transactions';
  return server.registerTool(
    NAME,
    {
      title,
      description:
        'Insider transactions from SEC Form 4 filings (sec-form4), newest first: insider, title, transaction ' +
        '`code` (P purchase, S sale, A award, M exercise, F tax withholding, G gift), shares, price (USD/share), ' +
        'value (USD), share class, shares held after, accession, with open-market buy and sell totals and the ' +
        'largest seller over the last 12 months (`last12m`), computed from every row of the company (not only the ' +
        "`limit` returned); rows with a `problem` (another issuer, a price far outside the day's range) are left out " +
        'of the totals and counted in `last12m.excluded`.' +
        ` ${provenanceNote('insiders')}`,
      inputSchema: input.published,
      outputSchema: insiderTransactionsSchema,
      annotations: readOnlyAnnotations(title, deps),
    },
    (args, extra) =>
      runTool(
        { name: NAME, deps, input: input.strict, output: insiderTransactionsSchema },
        args,
        extra,
        async ({ ticker, limit }): Promise<InsiderTransactions> => {
          const result = await deps.provider.insiderTransactions(ticker, limit);
          if (result.transactions.length === 0) {
            throw new DataUnavailableError(
              `No insider transactions for ${ticker} in the ${deps.provider.id} data set.`,
            );
          }
          return { ...result, transactions: result.transactions.slice(0, limit) };
        },
      ),
  );
}
