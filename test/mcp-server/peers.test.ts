/**
 * `get_peers`: a company's nearest peers with statements and prices, by GICS sub-industry then market cap, on the
 * bundled data set; through the provider chain and over MCP (listed, within its byte budget, errors as results).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBundledProvider } from '../../src/mcp-server/providers/bundled.js';
import { buildProviders } from '../../src/mcp-server/providers/registry.js';
import { createServer } from '../../src/mcp-server/server.js';
import type { PeerList } from '../../src/mcp-server/shapes.js';
import { ANSWER_BYTE_BUDGETS } from '../../src/mcp-server/tools/budgets.js';
import { DATA_DIR, hasBundledData } from '../helpers/bundled-data.js';
import { bundledConfig } from '../helpers/test-config.js';

const bundled = createBundledProvider(DATA_DIR);

describe.skipIf(!hasBundledData)('peers on the bundled data set', () => {
  it('NVDA: the semiconductor makers with statements and prices, nearest market cap first', async () => {
    const list = await bundled.peers('NVDA', 3);
    expect(list).toMatchObject({ ticker: 'NVDA', subIndustry: 'Semiconductors', sector: 'Information Technology' });
    expect(list.peers.map((p) => p.ticker)).toEqual(['AVGO', 'AMD', 'INTC']);
    expect(list.peers.every((p) => p.basis === 'sub-industry')).toBe(true);
    expect(list.source.provider).toBe('sp500-datasets');
  });

  it('never lists another share class of the company itself (GOOGL and GOOG share a CIK)', async () => {
    const list = await bundled.peers('GOOGL', 10);
    expect(list.peers.map((p) => p.ticker)).not.toContain('GOOG');
    expect(list.peers.map((p) => p.ticker)).not.toContain('GOOGL');
  });

  it('fills up from the same sector when the sub-industry has too few, and says so', async () => {
    const list = await bundled.peers('MSFT', 3);
    expect(list.subIndustry).toBe('Systems Software');
    expect(list.peers).toHaveLength(3);
    expect(list.peers.every((p) => p.basis === 'sector')).toBe(true);
    const kinds = bundled.load().tickers;
    for (const p of list.peers) expect(kinds[p.ticker]?.has).toEqual(expect.arrayContaining(['financials', 'prices']));
  });

  it('an unknown ticker is an unknown ticker with close matches', async () => {
    await expect(bundled.peers('NVDX', 3)).rejects.toMatchObject({ code: 'tickerdesk_unknown_ticker' });
  });
});

describe.skipIf(!hasBundledData)('get_peers over MCP (bundled chain)', () => {
  let client: Client;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const config = bundledConfig({ LOG_LEVEL: 'silent' });
    const { provider } = buildProviders(config.data, bundled);
    const server = createServer({ provider });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    client = new Client({ name: 'test', version: '1.0.0' });
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
    close = async () => {
      await Promise.all([client.close(), server.close()]);
    };
  });
  afterAll(async () => close());

  const call = async (args: Record<string, unknown>) =>
    (await client.callTool({ name: 'get_peers', arguments: args })) as CallToolResult;
  const bytes = (r: CallToolResult) => Buffer.byteLength((r.content[0] as { text: string }).text, 'utf8');

  it('is listed with a title and read-only annotations, and answers within its byte budget for every ticker', async () => {
    const { tools } = await client.listTools();
    const tool = tools.find((t) => t.name === 'get_peers');
    expect(tool?.annotations?.readOnlyHint).toBe(true);
    expect(tool?.inputSchema.properties?.limit).toMatchObject({ minimum: 1, maximum: 10, default: 3 });
    const budget = ANSWER_BYTE_BUDGETS.get_peers;
    let answered = 0;
    for (const ticker of ['NVDA', 'AAPL', 'KO', 'BRK.B', 'JNJ', 'A']) {
      const one = await call({ ticker });
      expect(one.isError ?? false, ticker).toBe(false);
      expect(bytes(one)).toBeLessThanOrEqual(budget.defaults);
      const most = await call({ ticker, limit: 10 });
      expect(bytes(most)).toBeLessThanOrEqual(budget.largest);
      answered += (most.structuredContent as unknown as PeerList).peers.length > 0 ? 1 : 0;
    }
    expect(answered).toBe(6);
  });

  it('answers an unknown ticker and bad arguments as error results', async () => {
    const unknown = await call({ ticker: 'NVDX' });
    expect(unknown.isError).toBe(true);
    expect(unknown._meta?.code).toBe('tickerdesk_unknown_ticker');
    const bad = await call({ ticker: 'NVDA', limit: 50 });
    expect(bad.isError).toBe(true);
    expect(bad._meta?.code).toBe('tickerdesk_invalid_input');
  });
});
