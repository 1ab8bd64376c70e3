/**
 * Live providers on the real MCP server over stdio, against the 127.0.0.1 stand-ins for SEC EDGAR and the price
 * sources: which provider answers, what the answer says about where it came from, and how faults pass to the next
 * provider.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.js';
import { serverEntryPath } from '../../src/mcp-server/entry.js';
import type {
  CompanyFinancialsResult,
  CompanyNews,
  CompanyProfile,
  PriceHistoryResult,
  TechnicalAnalysis,
} from '../../src/mcp-server/shapes.js';
import { bundleWithout, liveEnv, refusedUrl } from '../helpers/live-env.js';
import { type PriceStandIn, startPriceStandIn } from '../helpers/price-stand-in.js';
import { type SecStandIn, startSecStandIn } from '../helpers/sec-stand-in.js';

let sec: SecStandIn;
let prices: PriceStandIn;
let bundle: { dir: string; remove: () => void };
const clients: { client: Client; stderr: () => string }[] = [];

beforeAll(async () => {
  [sec, prices] = await Promise.all([startSecStandIn(), startPriceStandIn()]);
  bundle = bundleWithout(['NVDA']);
});

afterAll(async () => {
  await Promise.all([sec.close(), prices.close()]);
  bundle.remove();
});

afterEach(async () => {
  sec.clearFaults();
  prices.clearFaults();
  await Promise.all(clients.splice(0).map((c) => c.client.close()));
});

/** Our MCP server on stdio with `env` (plus PATH/HOME, the trimmed bundle and quiet logs). */
async function connect(env: Record<string, string>): Promise<{
  call: <T>(tool: string, args: object) => Promise<T>;
  raw: (tool: string, args: object) => Promise<CallToolResult>;
  stderr: () => string;
}> {
  const full: Record<string, string> = { LOG_LEVEL: 'warn', DATA_DIR: bundle.dir, ...env };
  for (const key of ['PATH', 'HOME', 'TMPDIR']) if (process.env[key]) full[key] = process.env[key] as string;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', serverEntryPath],
    cwd: REPO_ROOT,
    env: full,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: 'live-test', version: '0.0.0' });
  await client.connect(transport);
  clients.push({ client, stderr: () => stderr });
  const raw = (tool: string, args: object) =>
    client.callTool({ name: tool, arguments: args as Record<string, unknown> }) as Promise<CallToolResult>;
  return {
    raw,
    call: async <T>(tool: string, args: object) => {
      const result = await raw(tool, args);
      if (result.isError) throw new Error(JSON.stringify(result.content));
      return result.structuredContent as T;
    },
    stderr: () => stderr,
  };
}

describe('live providers behind the MCP tools', () => {
  it('researches a ticker the bundle lacks from SEC EDGAR and Yahoo, and says so in each answer', async () => {
    const server = await connect(liveEnv(sec, prices));
    const profile = await server.call<CompanyProfile>('get_company_profile', { ticker: 'NVDA' });
    expect(profile.name).toBe('NVIDIA CORP');
    expect(profile.cik).toBe('0001045810');
    expect(profile.sic?.code).toBe('3674');
    expect(profile.fiscalYearEnd).toBe('01-31');
    expect(profile.provenance).toMatchObject({ provider: 'sec-edgar', live: true, asOf: '2026-02-25' });

    const annual = await server.call<CompanyFinancialsResult>('get_company_financials', {
      ticker: 'NVDA',
      period: 'annual',
      limit: 3,
    });
    expect(annual.periods[0]?.label).toBe('FY2026');
    expect(annual.periods[0]?.values.revenue).toBe(215_938_000_000);
    expect(annual.provenance).toMatchObject({ provider: 'sec-edgar', live: true });

    const history = await server.call<PriceHistoryResult>('get_price_history', { ticker: 'NVDA' });
    expect(history.bars.at(-1)?.[0]).toBe('2026-08-21');
    expect(history.provenance).toMatchObject({ provider: 'yahoo', live: true, asOf: '2026-08-21', tried: [] });
    expect(history.provenance?.upstream?.requests).toBe(1);

    const technicals = await server.call<TechnicalAnalysis>('analyze_stock', { ticker: 'NVDA' });
    expect(technicals.provenance?.provider).toBe('yahoo');
    // The price series is kept in the server: the technicals made no second request.
    expect(technicals.provenance?.upstream).toBeUndefined();

    const news = await server.call<CompanyNews>('get_company_news', { ticker: 'NVDA', limit: 5 });
    expect(news.events[0]).toMatchObject({ date: '2026-02-25', kind: '8-K' });
    expect(news.provenance?.provider).toBe('sec-edgar');

    // SEC's fair-access rules: every request declared who sends it and accepted gzip.
    const secRequests = sec.requests.filter((r) => r.status === 200);
    expect(secRequests.length).toBeGreaterThanOrEqual(3);
    for (const r of secRequests) {
      expect(r.userAgent).toBe('tickerdesk tests tests@example.com');
      expect(r.acceptsGzip).toBe(true);
    }
    // The ticker map and the submissions were each fetched once for the four SEC answers.
    expect(sec.requests.filter((r) => r.path.startsWith('/files/')).length).toBe(1);
    expect(sec.requests.filter((r) => r.path.includes('/submissions/CIK0001045810')).length).toBe(1);
  });

  it('gives close matches from the SEC ticker map for an unknown ticker', async () => {
    const server = await connect(liveEnv(sec, prices));
    const result = await server.raw('get_company_profile', { ticker: 'NVDX' });
    expect(result.isError).toBe(true);
    expect(result._meta).toMatchObject({ code: 'tickerdesk_unknown_ticker', ticker: 'NVDX' });
    expect((result._meta as { suggestions: string[] }).suggestions).toContain('NVDA');
  });

  it('shows a filing that appeared after the last look', async () => {
    const first = await connect(liveEnv(sec, prices));
    const before = await first.call<CompanyNews>('get_company_news', { ticker: 'MSFT', limit: 3 });
    sec.addFiling('MSFT', {
      form: '8-K',
      filingDate: '2026-12-04',
      accessionNumber: '0000950170-26-123456',
      items: '5.02',
    });
    const second = await connect(liveEnv(sec, prices));
    const after = await second.call<CompanyNews>('get_company_news', { ticker: 'MSFT', limit: 3 });
    expect(before.events[0]?.date).not.toBe('2026-12-04');
    expect(after.events[0]).toMatchObject({ date: '2026-12-04', items: ['5.02'] });
    expect(after.events[0]?.title).toMatch(/Departure or Appointment of Directors/);
    expect(after.provenance?.asOf).toBe('2026-12-04');
  });

  it('passes from Yahoo to Stooq when Yahoo answers 503, and names what failed', async () => {
    prices.fault(/^\/v8\/finance\/chart\//, { kind: 'status', status: 503 });
    const server = await connect(liveEnv(sec, prices, { UPSTREAM_RETRIES: '1' }));
    const history = await server.call<PriceHistoryResult>('get_price_history', { ticker: 'AAPL' });
    expect(history.provenance?.provider).toBe('stooq');
    expect(history.provenance?.tried).toEqual([
      { provider: 'yahoo', outcome: 'failed', reason: expect.stringMatching(/HTTP 503/) },
    ]);
    expect(history.bars.at(-1)?.[0]).toBe('2026-08-21');
    // One try and one retry at Yahoo, then one Stooq request.
    expect(history.provenance?.upstream?.requests).toBe(3);
  });

  it('passes to the next price source on HTML instead of JSON, and on a truncated gzip body', async () => {
    prices.fault(/^\/v8\/finance\/chart\/AAPL/, { kind: 'html' });
    prices.fault(/^\/q\/d\/l\//, { kind: 'truncated-gzip' });
    const server = await connect(liveEnv(sec, prices, { UPSTREAM_RETRIES: '0' }));
    const history = await server.call<PriceHistoryResult>('get_price_history', { ticker: 'AAPL' });
    expect(history.provenance?.provider).toBe('bundled');
    expect(history.provenance?.live).toBe(false);
    expect(history.provenance?.tried.map((t) => [t.provider, t.outcome])).toEqual([
      ['yahoo', 'failed'],
      ['stooq', 'failed'],
    ]);
    expect(history.provenance?.tried[0]?.reason).toMatch(/HTML instead of chart JSON/);
    // Undici may end a cut gzip stream quietly: then the CSV is short of its header, a format error all the same.
    expect(history.provenance?.tried[1]?.reason).toMatch(/broke off|not its daily CSV/);
  });

  it('honours Retry-After on 429 and then answers', async () => {
    sec.fault(/\/submissions\/CIK0000320193/, { kind: 'status', status: 429, retryAfter: '0' }, 1);
    const server = await connect(liveEnv(sec, prices));
    const news = await server.call<CompanyNews>('get_company_news', { ticker: 'AAPL', limit: 2 });
    expect(news.provenance?.provider).toBe('sec-edgar');
    expect(news.provenance?.upstream?.throttled).toBeGreaterThanOrEqual(1);
  });

  it('falls back to the bundle at once when every live host refuses connections', async () => {
    const nobody = await refusedUrl();
    const server = await connect({
      DATA_SOURCE: 'auto',
      SEC_USER_AGENT: 'tickerdesk tests tests@example.com',
      SEC_DATA_URL: nobody,
      SEC_WWW_URL: nobody,
      YAHOO_CHART_URL: nobody,
      STOOQ_URL: nobody,
    });
    const history = await server.call<PriceHistoryResult>('get_price_history', { ticker: 'AAPL' });
    expect(history.provenance?.provider).toBe('bundled');
    expect(history.provenance?.tried.map((t) => t.reason)).toEqual([
      expect.stringMatching(/could not be reached \(ECONNREFUSED\)/),
      expect.stringMatching(/could not be reached \(ECONNREFUSED\)/),
    ]);
    const profile = await server.call<CompanyProfile>('get_company_profile', { ticker: 'AAPL' });
    expect(profile.provenance).toMatchObject({ provider: 'bundled', live: false });
  });

  it('keeps live SEC off without SEC_USER_AGENT, with a one-line notice', async () => {
    const before = sec.requests.length;
    const env = liveEnv(sec, prices);
    const { SEC_USER_AGENT: _unset, ...withoutAgent } = env;
    const server = await connect(withoutAgent);
    const profile = await server.call<CompanyProfile>('get_company_profile', { ticker: 'AAPL' });
    expect(profile.provenance?.provider).toBe('bundled');
    expect(sec.requests.length).toBe(before);
    expect(server.stderr()).toMatch(/note: Live SEC EDGAR data is off: set SEC_USER_AGENT/);
  });

  it('says at start-up that a SEC_USER_AGENT without a contact e-mail is refused, and names why in the 403 note', async () => {
    // Regression: SEC_USER_AGENT=tickerdesk passed without a word; SEC (the stand-in, as SEC does) answered 403 and
    // every report line read only "SEC EDGAR failed (… answered HTTP 403.)".
    const server = await connect(liveEnv(sec, prices, { SEC_USER_AGENT: 'tickerdesk', UPSTREAM_RETRIES: '0' }));
    const profile = await server.call<CompanyProfile>('get_company_profile', { ticker: 'AAPL' });
    expect(profile.provenance?.provider).toBe('bundled');
    expect(profile.provenance?.tried).toEqual([
      {
        provider: 'sec-edgar',
        outcome: 'failed',
        reason: `${sec.host} answered HTTP 403: SEC refuses requests whose User-Agent (SEC_USER_AGENT) names no contact e-mail, and clients over 10 requests a second.`,
      },
    ]);
    expect(server.stderr()).toMatch(
      /note: SEC_USER_AGENT "tickerdesk" names no contact e-mail: SEC refuses such requests/,
    );
  });
});
