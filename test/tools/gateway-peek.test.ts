/**
 * `peek`: the answer the tool cache holds for a request, read without calling a server (for the watchlist's "last
 * close if cached"): none before a call, the answer after it, none for a "no data" answer, none once past validity
 * and grace; never a call to the data server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TechnicalAnalysis } from '../../src/mcp-server/shapes.js';
import { type InMemoryGateway, openInMemoryGateway } from '../helpers/in-memory-gateway.js';

const clock = { now: Date.parse('2026-12-05T15:00:00Z') };
let data: InMemoryGateway;

beforeAll(async () => {
  data = await openInMemoryGateway({ now: () => clock.now });
});

afterAll(async () => {
  await data?.close();
});

const technicals = { server: 'tickerdesk', tool: 'analyze_stock', args: { ticker: 'NVDA' } };

describe('McpToolGateway.peek', () => {
  it('answers from the cache only', async () => {
    expect(await data.gateway.peek(technicals)).toBeUndefined();
    expect(data.calls).toHaveLength(0);
    await data.gateway.call(technicals);
    const peeked = await data.gateway.peek<TechnicalAnalysis>({ ...technicals, args: { ticker: 'nvda' } });
    expect(peeked?.data.lastClose).toBe(214.72);
    expect(peeked?.data.asOf).toBe('2026-08-21');
    expect(data.calls).toHaveLength(1);
  });

  it('a cached "no data" answer is no answer', async () => {
    const consensus = { server: 'tickerdesk', tool: 'get_analyst_ratings', args: { ticker: 'KO' } };
    await expect(data.gateway.call(consensus)).rejects.toThrow(/No analyst consensus/);
    expect(await data.gateway.peek(consensus)).toBeUndefined();
  });

  it('past its validity and grace the entry is not offered', async () => {
    clock.now += 3 * 86_400_000;
    expect(await data.gateway.peek(technicals)).toBeUndefined();
    expect(data.calls.filter((c) => c.tool === 'analyze_stock')).toHaveLength(1);
  });
});
