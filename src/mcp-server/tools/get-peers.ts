/**
 * `get_peers {ticker, limit?}` → {@link PeerList}: a company's nearest peers that have statements and prices, by
 * GICS sub-industry then market cap (`../peers.ts`). What "compare with its peers", a peer picker and smart prefetch
 * read. Registered only for a provider that can list peers (the bundled data set).
 */
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { PEERS_TOOL, type PeerList } from '../shapes.js';
import { readOnlyAnnotations } from './annotations.js';
import { peerListSchema } from './output-schemas.js';
import { runTool, type ToolDeps, tickerInput, toolInput } from './tool-kit.js';

const input = toolInput({
  ticker: tickerInput,
  limit: z.number().int().min(1).max(10).default(3).describe('Most peers returned (at most 10).'),
});

/** Register `get_peers` on `server`. Errors: unknown ticker (with close matches), no classification, invalid input. */
export function registerGetPeersTool(server: McpServer, deps: ToolDeps): RegisteredTool {
  const title = 'Nearest peers';
  return server.registerTool(
    PEERS_TOOL,
    {
      title,
      description:
        "A company's nearest peers for a comparison: companies this server has statements and prices for, in the " +
        'same GICS sub-industry, nearest market cap first (then the same sector when the sub-industry has too few; ' +
        '`basis` says which), with each market cap (USD) and the snapshot date. From the S&P 500 constituents data ' +
        'set (sp500-datasets) in the bundled data set. Use it to pick tickers to compare; then call the data tools ' +
        'for each peer.',
      inputSchema: input.published,
      outputSchema: peerListSchema,
      annotations: readOnlyAnnotations(title, deps),
    },
    (args, extra) =>
      runTool(
        { name: PEERS_TOOL, deps, input: input.strict, output: peerListSchema },
        args,
        extra,
        async ({ ticker, limit }): Promise<PeerList> => {
          const peers = deps.provider.peers;
          if (!peers) throw new Error('this provider lists no peers');
          return peers.call(deps.provider, ticker, limit);
        },
      ),
  );
}
