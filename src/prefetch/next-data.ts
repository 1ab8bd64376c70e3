/**
 * What a person is likely to ask for after a report (smart prefetch): the two or three nearest peers' data — the
 * run's own plan for each peer, so "compare with AMD" (and a report on AMD) reads every part from the cache — and the
 * ticker's older quarters (the statements tool's most quarters, where the run asks for eight), for "how does the
 * latest quarter compare with a year ago".
 */
import { PEERS_TOOL } from '../mcp-server/shapes.js';
import { planRequests, TICKERDESK_SERVER } from '../research/plan.js';
import type { ToolRequest } from '../tools/types.js';

/** Quarters asked for by the older-quarters request: the most `get_company_financials` answers. */
export const OLDER_QUARTERS = 12;

/** The `get_peers` call for `ticker`'s nearest `limit` peers. */
export function peersRequest(ticker: string, limit: number): ToolRequest {
  return { server: TICKERDESK_SERVER, tool: PEERS_TOOL, args: { ticker, limit } };
}

/**
 * The calls smart prefetch makes once `peers` are known: every call of a run for each peer (same arguments as a run
 * started `today`, so they share its cache keys), then `ticker`'s older quarters.
 * @param today the run date, ISO `YYYY-MM-DD`, as `planRequests` takes it.
 */
export function nextDataRequests(ticker: string, peers: readonly string[], today?: string): ToolRequest[] {
  return [
    ...peers.flatMap((peer) => planRequests(peer, today).map((p) => p.request)),
    {
      server: TICKERDESK_SERVER,
      tool: 'get_company_financials',
      args: { ticker, period: 'quarterly', limit: OLDER_QUARTERS },
    },
  ];
}
