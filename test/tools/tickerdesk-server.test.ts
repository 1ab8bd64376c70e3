import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataUnavailableError, UnknownTickerError } from '../../src/errors.js';
import { type CompanyProfile, TOOL_NAMES } from '../../src/mcp-server/shapes.js';
import { createToolGateway, type ToolGateway } from '../../src/tools/index.js';
import { removeDir, tempDir, testConfig } from './helpers.js';

describe('the default gateway mounts our own MCP data server (tickerdesk)', () => {
  let dir: string;
  let gw: ToolGateway;

  beforeAll(async () => {
    dir = tempDir();
    gw = await createToolGateway(testConfig(dir));
  });
  afterAll(async () => {
    await gw.close();
    removeDir(dir);
  });

  it('serves a real profile, then the same call from the cache', async () => {
    const req = { server: 'tickerdesk', tool: 'get_company_profile', args: { ticker: 'nvda' } };
    const first = await gw.call<CompanyProfile>(req);
    expect(first).toMatchObject({ cache: 'miss', source: 'tickerdesk/get_company_profile' });
    expect(first.data.ticker).toBe('NVDA');
    expect(first.data.name).toMatch(/nvidia/i);
    await new Promise((r) => setTimeout(r, 50));
    const second = await gw.call<CompanyProfile>({ ...req, args: { ticker: 'NVDA' } });
    expect(second).toMatchObject({ cache: 'hit', fetchedAt: first.fetchedAt });
    expect(second.data).toEqual(first.data);
    expect(gw.stats().serverCalls).toBe(1);
  });

  it('turns an unknown ticker into UnknownTickerError with close matches', async () => {
    const call = gw.call({ server: 'tickerdesk', tool: 'get_company_profile', args: { ticker: 'NVDX' } });
    await expect(call).rejects.toBeInstanceOf(UnknownTickerError);
    await expect(call).rejects.toMatchObject({ ticker: 'NVDX' });
    const err = (await call.catch((e: unknown) => e)) as UnknownTickerError;
    expect(err.suggestions).toContain('NVDA');
  });

  it("reads the server's ticker directory once: every bundled ticker, no tool call", async () => {
    const calls = gw.stats().serverCalls;
    const known = await gw.knownTickers?.('tickerdesk');
    expect(known?.has('NVDA')).toBe(true);
    expect(known?.has('BRK.B')).toBe(true);
    expect(known?.has('NVDX')).toBe(false);
    expect(await gw.knownTickers?.('tickerdesk')).toBe(known);
    expect(await gw.knownTickers?.('no-such-server')).toBeUndefined();
    expect(gw.stats().serverCalls).toBe(calls);
  });

  it('answers every data tool for NVDA with data or a definitive "unavailable"', async () => {
    const tools = TOOL_NAMES.filter((tool) => tool !== 'get_company_profile');
    const settled = await Promise.allSettled(
      tools.map((tool) => gw.call({ server: 'tickerdesk', tool, args: { ticker: 'NVDA' } })),
    );
    for (const s of settled) {
      if (s.status === 'rejected') expect(s.reason).toBeInstanceOf(DataUnavailableError);
    }
    expect(settled.filter((s) => s.status === 'fulfilled').length).toBeGreaterThanOrEqual(4);
  });
});
