/**
 * `get_company_profile {ticker}` → {@link CompanyProfile}: identity, classification and a market snapshot,
 * written from codes and figures by the provider.
 */
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CompanyProfile } from '../shapes.js';
import { provenanceNote, readOnlyAnnotations } from './annotations.js';
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
        'date added to the S&P 500, a one-line summary and a dated market snapshot (price, market cap, P/E, dividend ' +
        'yield; USD). From the S&P 500 constituents data set (sp500-datasets), SEC company submissions ' +
        '(sec-submissions) and, for some Nasdaq-100 names, the consensus data set (nasdaq100-consensus-heliar-k); ' +
        '`sources` names each. For statements or prices use get_company_financials or get_price_history.' +
        ` ${provenanceNote('profile')}`,
      inputSchema: input.published,
      outputSchema: companyProfileSchema,
      annotations: readOnlyAnnotations(title, deps),
    },
    (args, extra) =>
      runTool(
        { name: NAME, deps, input: input.strict, output: companyProfileSchema },
        args,
        extra,
        ({ ticker }): Promise<CompanyProfile> => deps.provider.profile(ticker),
      ),
  );
}
