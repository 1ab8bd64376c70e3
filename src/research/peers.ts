/**
 * A company's peers for a comparison, through the tool gateway's `get_peers` (so they come from the cache when a
 * report or smart prefetch asked already): the same GICS sub-industry first, nearest market cap first; the same
 * sector only when the sub-industry has none with data.
 */
import type { Peer, PeerList } from '../mcp-server/shapes.js';
import { peersRequest } from '../prefetch/next-data.js';
import type { ToolGateway } from '../tools/types.js';

/** Most peers `get_peers` answers. */
export const MAX_PEERS = 10;

/**
 * Up to `limit` (at most {@link MAX_PEERS}) peers of `ticker`: its sub-industry's when it has any, else its sector's.
 * @throws the gateway's error (an unknown ticker, a server that cannot be reached).
 */
export async function comparablePeers(
  gateway: Pick<ToolGateway, 'call'>,
  ticker: string,
  limit = MAX_PEERS,
): Promise<Peer[]> {
  const list = (await gateway.call<PeerList>(peersRequest(ticker, Math.min(limit, MAX_PEERS)))).data;
  const same = list.peers.filter((p) => p.basis === 'sub-industry');
  return same.length > 0 ? same : list.peers;
}
