/**
 * Coverage a model can discover (issue 20, item 6), over stdio as a client sees it: `search_tickers`, the `has`
 * lists of the ticker directory (no empty entries), and "no data" errors that name the tools that do have data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TickerSearch } from '../../src/mcp-server/coverage.js';
import { TICKER_DIRECTORY_URI, type TickerDirectory } from '../../src/mcp-server/ticker-directory.js';
import { connectStdio, type StdioSession } from '../helpers/stdio-server.js';

let session: StdioSession;
beforeAll(async () => {
  session = await connectStdio();
});
afterAll(async () => session.close());

async function search(args: Record<string, unknown>): Promise<TickerSearch> {
  const result = await session.call('search_tickers', args);
  expect(result.isError ?? false).toBe(false);
  return result.structuredContent as unknown as TickerSearch;
}

async function directory(): Promise<TickerDirectory> {
  const { contents } = await session.client.readResource({ uri: TICKER_DIRECTORY_URI });
  const first = contents[0];
  return JSON.parse(first && 'text' in first ? first.text : '') as TickerDirectory;
}

describe('search_tickers', () => {
  it('is listed first, with a description that tells a model when to use it', async () => {
    const { tools } = await session.client.listTools();
    expect(tools[0]?.name).toBe('search_tickers');
    expect(tools[0]?.description).toContain('before the other tools');
  });

  it('finds a company by name, ticker or misspelling, with what the server has for it and the tools to ask', async () => {
    const byName = await search({ query: 'Nvidia' });
    expect(byName.matches[0]).toEqual({
      ticker: 'NVDA',
      name: 'Nvidia',
      sector: 'Information Technology',
      has: ['profile', 'financials', 'prices', 'analyst', 'news', 'insider'],
      tools: [
        'get_company_profile',
        'get_company_financials',
        'get_price_history',
        'analyze_stock',
        'get_analyst_ratings',
        'get_company_news',
        'get_insider_transactions',
      ],
    });
    expect((await search({ query: 'nvda' })).matches[0]?.ticker).toBe('NVDA');
    expect((await search({ query: 'NVDAA' })).matches.map((m) => m.ticker)).toContain('NVDA');
    const spy = await search({ query: 'SPY' });
    expect(spy.matches[0]).toMatchObject({
      ticker: 'SPY',
      has: ['prices'],
      tools: ['get_price_history', 'analyze_stock'],
    });
    expect((await search({ query: 'berkshire' })).matches.map((m) => m.ticker)).toContain('BRK.B');
  });

  it('lists every ticker with a kind of data, and never one with none', async () => {
    const dir = await directory();
    const withStatements = Object.entries(dir.has ?? {}).filter(([, has]) => has.includes('financials'));
    const found = await search({ has: 'financials', limit: 50 });
    expect(found.total).toBe(withStatements.length);
    expect(found.matches.map((m) => m.ticker).sort()).toEqual(withStatements.map(([t]) => t).sort());
    expect(found.matches.every((m) => m.tools.includes('get_company_financials'))).toBe(true);
    expect(await search({ query: 'SAMSUNG' })).toEqual({ query: 'SAMSUNG', total: 0, matches: [] });
  });

  it('rejects an unknown kind or argument in plain words', async () => {
    const result = await session.call('search_tickers', { query: 'NVDA', kind: 'prices' });
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toContain('unknown argument "kind"');
  });
});

describe('the ticker directory', () => {
  it('lists only tickers with data, each with the kinds it has', async () => {
    const dir = await directory();
    expect(dir.tickers).toContain('NVDA');
    expect(dir.tickers).not.toContain('SAMSUNG');
    expect(dir.tickers).not.toContain('SKHYNIX');
    expect(Object.keys(dir.has ?? {}).sort()).toEqual([...dir.tickers].sort());
    expect(Object.values(dir.has ?? {}).every((has) => has.length > 0)).toBe(true);
    expect(dir.has?.SPY).toEqual(['prices']);
  });
});

describe('errors for missing data', () => {
  it('name the tools that do have data for the ticker', async () => {
    const result = await session.call('get_company_profile', { ticker: 'SPY' });
    expect(result.isError).toBe(true);
    expect(result._meta).toMatchObject({
      code: 'tickerdesk_data_unavailable',
      ticker: 'SPY',
      tools: ['get_price_history', 'analyze_stock'],
    });
    expect((result.content[0] as { text: string }).text).toMatch(
      /for SPY.*\. Tools with data for SPY: get_price_history, analyze_stock\.$/,
    );
  });

  it('say so when the server has nothing at all for a ticker it knows', async () => {
    const result = await session.call('get_company_financials', { ticker: 'SAMSUNG' });
    expect(result.isError).toBe(true);
    expect(result._meta).toMatchObject({ code: 'tickerdesk_data_unavailable', tools: [] });
    const text = (result.content[0] as { text: string }).text;
    expect(text).toContain('KRW');
    expect(text).toMatch(/This server has no data for SAMSUNG\.$/);
  });
});
