/**
 * `get_latest_filings {ticker}` → {@link LatestFilings}: a company's newest periodic report (10-K, 10-Q …) and 8-K,
 * asked of SEC EDGAR now (one small submissions request). The cheap check of answers that rest on filings: the tool
 * gateway keeps statements, profiles and events from SEC while the accession they rest on is still the newest
 * (`Provenance.validator`). Answers "unavailable" when no live SEC source is configured.
 */
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { LATEST_FILINGS_TOOL, type LatestFilings } from '../shapes.js';
import { readOnlyAnnotations } from './annotations.js';
import { latestFilingsSchema } from './output-schemas.js';
import { runTool, type ToolDeps, tickerInput, toolInput } from './tool-kit.js';

const input = toolInput({ ticker: tickerInput });

/** Register `get_latest_filings` on `server`. Errors: unknown ticker (with close matches), no live SEC source. */
export function registerGetLatestFilingsTool(server: McpServer, deps: ToolDeps): RegisteredTool {
  const title = 'Newest SEC filings';
  return server.registerTool(
    LATEST_FILINGS_TOOL,
    {
      title,
      description:
        "A company's newest periodic report (10-K, 10-Q, 20-F, 40-F or an amendment) and newest 8-K: form, " +
        'accession, filing date and period, asked of SEC EDGAR (sec-edgar) now. Use it to tell whether statements or ' +
        'events read earlier are still current; for the statements themselves use get_company_financials, for the ' +
        '8-K events get_company_news. Unavailable without a live SEC source (SEC_USER_AGENT).',
      inputSchema: input.published,
      outputSchema: latestFilingsSchema,
      annotations: readOnlyAnnotations(title, deps),
    },
    (args, extra) =>
      runTool(
        { name: LATEST_FILINGS_TOOL, deps, input: input.strict, output: latestFilingsSchema },
        args,
        extra,
        async ({ ticker }): Promise<LatestFilings> => {
          const latest = deps.provider.latestFilings;
          if (!latest) throw new Error('this provider lists no filings');
          return latest.call(deps.provider, ticker);
        },
      ),
  );
}
