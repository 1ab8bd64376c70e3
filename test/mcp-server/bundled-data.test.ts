import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBundledProvider } from '../../src/mcp-server/providers/bundled.js';
import { createServer } from '../../src/mcp-server/server.js';
import { type CompanyFinancialsResult, type TechnicalAnalysis, TOOL_NAMES } from '../../src/mcp-server/shapes.js';
import { normalizeTicker } from '../../src/tickers.js';
import { bundledConfig } from '../helpers/test-config.js';

// The tools over the real bundled data set (data/), in process: every answer either satisfies the tool's
// published output schema (the SDK checks structuredContent against it) or is a coded, plain-worded error.
const provider = createBundledProvider(bundledConfig({}).dataDir);
let client: Client;
let close: () => Promise<void>;

beforeAll(async () => {
  const server = createServer({ provider });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  client = new Client({ name: 'bundled-test', version: '1.0.0' });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  close = async () => {
    await client.close();
    await server.close();
  };
});
afterAll(async () => close());

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

function isTicker(symbol: string): boolean {
  try {
    return normalizeTicker(symbol) === symbol;
  } catch {
    return false;
  }
}

describe('tools on the bundled data set', () => {
  it('serves NVIDIA statements with their filings (FY2024 revenue 60,922 M USD)', async () => {
    const result = await call('get_company_financials', { ticker: 'NVDA', limit: 4 });
    expect(result.isError ?? false).toBe(false);
    const financials = result.structuredContent as unknown as CompanyFinancialsResult;
    const fy2024 = financials.periods.find((p) => p.label === 'FY2024');
    expect(fy2024?.values.revenue).toBe(60_922_000_000);
    expect(fy2024?.sources.find((s) => s.items.includes('revenue'))?.provider).toBe('sec-companyfacts');
  });

  it('computes technicals for NVDA from more than a year of bundled prices', async () => {
    const result = await call('analyze_stock', { ticker: 'NVDA' });
    expect(result.isError ?? false).toBe(false);
    const t = result.structuredContent as unknown as TechnicalAnalysis;
    expect(t.barsUsed).toBeGreaterThan(252 + 150);
    expect(t.sma200).not.toBeNull();
    expect(t.return1yPct).not.toBeNull();
    expect(t.low52w).toBeLessThanOrEqual(t.lastClose);
    expect(t.high52w).toBeGreaterThanOrEqual(t.lastClose);
  });

  it('answers every tool for every bundled ticker with valid output or a coded unavailable error', async () => {
    const tickers = provider.tickers().filter(isTicker);
    expect(tickers.length).toBeGreaterThan(400);
    const outcomes = new Map<string, number>();
    const unexpected: string[] = [];
    for (const ticker of tickers) {
      for (const tool of TOOL_NAMES) {
        const result = await call(tool, { ticker });
        const code = result.isError ? String(result._meta?.code) : 'ok';
        outcomes.set(`${tool} ${code}`, (outcomes.get(`${tool} ${code}`) ?? 0) + 1);
        if (code !== 'ok' && code !== 'tickerdesk_data_unavailable') {
          unexpected.push(`${tool} ${ticker}: ${code} ${JSON.stringify(result.content[0])}`);
        }
      }
    }
    expect(unexpected).toEqual([]);
    for (const tool of TOOL_NAMES) expect(outcomes.get(`${tool} ok`), tool).toBeGreaterThan(0);
  });
});
