/**
 * `get_company_financials {ticker, period, limit}` → {@link CompanyFinancials}: income, cash-flow and balance-sheet
 * line items per fiscal period, newest first, each value with its filing.
 */
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { DataUnavailableError } from '../../errors.js';
import { compactFinancials } from '../compact.js';
import type { CompanyFinancialsResult } from '../shapes.js';
import { provenanceNote, readOnlyAnnotations } from './annotations.js';
import { companyFinancialsSchema } from './output-schemas.js';
import { runTool, type ToolDeps, tickerInput, toolInput } from './tool-kit.js';

const NAME = 'get_company_financials';
const input = toolInput({
  ticker: tickerInput,
  period: z.enum(['annual', 'quarterly']).default('annual').describe('Fiscal years or fiscal quarters.'),
  limit: z.number().int().min(1).max(12).default(4).describe('How many periods, newest first.'),
});

/** Register `get_company_financials` on `server`. Errors: unknown ticker, no statements of that kind, invalid input. */
export function registerGetCompanyFinancialsTool(server: McpServer, deps: ToolDeps): RegisteredTool {
  const title = 'Company financial statements';
  return server.registerTool(
    NAME,
    {
      title,
      description:
        'Financial statements by fiscal period, newest first (`period` annual or quarterly, `limit` periods): ' +
        'revenue, gross profit, operating and net income, EPS, operating cash flow, capital expenditure, free cash ' +
        'flow, cash, debt, assets, liabilities, equity. Each period has `values` (USD; EPS in USD/share; shares as a ' +
        'count) and its `sources`, each once, with the line `items` it backs. Sources differ by company and period: ' +
        'SEC XBRL filings (sec-companyfacts; form and accession), SEC 10-K tables (sec-10k), or a yfinance-derived ' +
        'CSV (yfinance-heliar-k, a development sample whose quarters end on calendar month ends, which can differ ' +
        "from the company's fiscal calendar). Cite the provider a value comes from." +
        ` ${provenanceNote('statements')}`,
      inputSchema: input.published,
      outputSchema: companyFinancialsSchema,
      annotations: readOnlyAnnotations(title, deps),
    },
    (args, extra) =>
      runTool(
        { name: NAME, deps, input: input.strict, output: companyFinancialsSchema },
        args,
        extra,
        async ({ ticker, period, limit }): Promise<CompanyFinancialsResult> => {
          const result = await deps.provider.financials(ticker, period, limit);
          if (result.periods.length === 0) {
            throw new DataUnavailableError(
              `No ${period} statements for ${ticker} in the ${deps.provider.id} data set.`,
            );
          }
          return compactFinancials({ ...result, periods: result.periods.slice(0, limit) });
        },
      ),
  );
}
