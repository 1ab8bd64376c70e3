/**
 * `get_company_profile {ticker}` → {@link CompanyProfile}: identity, classification and a market snapshot,
 * written from codes and figures by the provider.
 */
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CompanyProfile } from '../shapes.js';
import { readOnlyAnnotations } from './annotations.js';
import { companyProfileSchema } from './output-schemas.js';
import { runTool, type ToolDeps, tickerInput, toolInput } from './tool-kit.js';

const NAME = 'get_company_profile';
const input = toolInput({ ticker: tickerInput });

/** Register `get_company_profile` on `server`. Errors: unknown ticker (with close matches), invalid input. */
export function registerGetCompanyProfileTool(server: McpServer, deps: ToolDeps): RegisteredTool {
  const title = 'Company profile';
  return server.registerTool(
    NAME,
    {
      title,
      description:
        'Who a listed company is: name, CIK, exchange, SIC and GICS classification, headquarters, fiscal year end, ' +
        'S&P 500 membership and a market snapshot (price, market cap, P/E; USD). Every figure names its source.',
      inputSchema: input.published,
      outputSchema: companyProfileSchema,
      annotations: readOnlyAnnotations(title, deps),
    },
    (args, extra) =>
      runTool(
        { name: NAME, deps, input: input.strict, output: companyProfileSchema },
        args,
        extra.signal,
        ({ ticker }): Promise<CompanyProfile> => deps.provider.profile(ticker),
      ),
  );
}
