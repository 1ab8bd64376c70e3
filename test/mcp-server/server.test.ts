import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_PRICE_BARS } from '../../src/mcp-server/compact.js';
import type { DataProvider } from '../../src/mcp-server/providers/types.js';
import { createServer } from '../../src/mcp-server/server.js';
import {
  type AnalystRatings,
  type CompanyFinancialsResult,
  type CompanyNews,
  type CompanyProfile,
  type InsiderTransactions,
  PRIORITY_META_KEY,
  type PriceHistoryResult,
  type TechnicalAnalysis,
  TOOL_NAMES,
} from '../../src/mcp-server/shapes.js';
import { TICKER_DIRECTORY_URI } from '../../src/mcp-server/ticker-directory.js';
import { runTool } from '../../src/mcp-server/tools/tool-kit.js';
import { upstreamPriority } from '../../src/mcp-server/upstream/usage.js';
import { createFixtureProvider, FIXTURE_LAST_DATE } from '../helpers/fixture-provider.js';

let client: Client;
let close: () => Promise<void>;

async function connect(latencyMs?: number) {
  const server = createServer({ provider: createFixtureProvider(), ...(latencyMs === undefined ? {} : { latencyMs }) });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const c = new Client({ name: 'test', version: '1.0.0' });
  await Promise.all([server.connect(serverSide), c.connect(clientSide)]);
  return { client: c, close: async () => Promise.all([c.close(), server.close()]).then(() => undefined) };
}

beforeAll(async () => {
  ({ client, close } = await connect());
});
afterAll(async () => close());

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The structured payload of a success, checked to equal its JSON text twin. */
function payload<T>(result: CallToolResult): T {
  expect(result.isError ?? false).toBe(false);
  const first = result.content[0];
  expect(first?.type).toBe('text');
  expect(JSON.parse((first as { text: string }).text)).toEqual(result.structuredContent);
  return result.structuredContent as T;
}

function errorOf(result: CallToolResult): { text: string; code: unknown; suggestions: unknown; ticker: unknown } {
  expect(result.isError).toBe(true);
  const first = result.content[0] as { type: string; text: string };
  expect(first.type).toBe('text');
  return {
    text: first.text,
    code: result._meta?.code,
    suggestions: result._meta?.suggestions,
    ticker: result._meta?.ticker,
  };
}

describe('tickerdesk MCP server (in memory)', () => {
  it('announces itself and lists every tool with a schema, title and read-only annotations', async () => {
    expect(client.getServerVersion()?.name).toBe('tickerdesk');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());
    for (const tool of tools) {
      expect(tool.title).toBeTruthy();
      expect(tool.description?.length).toBeGreaterThan(40);
      expect(tool.annotations?.readOnlyHint).toBe(true);
      expect(tool.annotations?.openWorldHint).toBe(true); // the fixture provider is not the bundled set
      expect(tool.inputSchema.required).toEqual(['ticker']);
      expect(tool.inputSchema.properties?.ticker).toMatchObject({ type: 'string' });
      expect(tool.outputSchema?.properties?.ticker).toMatchObject({ type: 'string' });
    }
    const financials = tools.find((t) => t.name === 'get_company_financials');
    expect(financials?.inputSchema.properties?.period).toMatchObject({
      enum: ['annual', 'quarterly'],
      default: 'annual',
    });
    expect(financials?.inputSchema.properties?.limit).toMatchObject({ minimum: 1, maximum: 12, default: 4 });
  });

  it('get_company_profile normalises the ticker and returns the profile', async () => {
    const profile = payload<CompanyProfile>(await call('get_company_profile', { ticker: ' $nvda ' }));
    expect(profile.ticker).toBe('NVDA');
    expect(profile.name).toBe('NVIDIA Corporation');
    expect(profile.sources.length).toBeGreaterThan(0);
  });

  it('get_company_financials applies defaults, period and limit', async () => {
    const annual = payload<CompanyFinancialsResult>(await call('get_company_financials', { ticker: 'NVDA' }));
    expect(annual.period).toBe('annual');
    expect(annual.periods[0]?.label).toBe('FY2024');
    expect(annual.periods[0]?.values.revenue).toBe(60_922_000_000);
    // One source per period, naming the line items it backs, without repeating the period's label.
    expect(annual.periods[0]?.sources).toHaveLength(1);
    expect(annual.periods[0]?.sources[0]).toMatchObject({ ref: '10-K accn 0001045810-24-000029' });
    expect(annual.periods[0]?.sources[0]?.items).toContain('revenue');
    expect(annual.periods[0]?.sources[0]).not.toHaveProperty('period');
    const one = payload<CompanyFinancialsResult>(await call('get_company_financials', { ticker: 'NVDA', limit: 1 }));
    expect(one.periods).toHaveLength(1);
    const quarterly = payload<CompanyFinancialsResult>(
      await call('get_company_financials', { ticker: 'NVDA', period: 'quarterly' }),
    );
    expect(quarterly.periods[0]?.fiscalQuarter).toBe(1);
  });

  it('get_price_history returns bars in the requested range, oldest first', async () => {
    const prices = payload<PriceHistoryResult>(
      await call('get_price_history', { ticker: 'NVDA', start: '2026-08-01', end: '2026-08-14' }),
    );
    expect(prices.interval).toBe('daily');
    expect(prices.columns).toEqual(['date', 'open', 'high', 'low', 'close', 'volume']);
    expect(prices.bars.length).toBe(10);
    expect(prices.barsMatched).toBe(10);
    expect(prices.bars[0]?.[0]).toBe('2026-08-03');
    expect(prices.bars.at(-1)?.[0]).toBe('2026-08-14');
    expect(prices.note).toBeUndefined();
    const lastYear = payload<PriceHistoryResult>(await call('get_price_history', { ticker: 'NVDA' }));
    expect(lastYear.bars.at(-1)?.[0]).toBe(FIXTURE_LAST_DATE);
    expect(lastYear.bars.length).toBeGreaterThan(250);
  });

  it('get_price_history aggregates weekly and monthly bars, dated by their last trading day', async () => {
    const daily = payload<PriceHistoryResult>(
      await call('get_price_history', { ticker: 'NVDA', start: '2026-07-01', end: '2026-08-21' }),
    );
    const weekly = payload<PriceHistoryResult>(
      await call('get_price_history', { ticker: 'NVDA', start: '2026-07-01', end: '2026-08-21', interval: 'weekly' }),
    );
    // 2026-08-17 (Mon) to 2026-08-21 (Fri): one weekly bar from five daily ones.
    const week = daily.bars.filter(([d]) => d >= '2026-08-17');
    expect(week).toHaveLength(5);
    expect(weekly.bars.at(-1)).toEqual([
      '2026-08-21',
      week[0]?.[1],
      Math.max(...week.map((b) => b[2])),
      Math.min(...week.map((b) => b[3])),
      week[4]?.[4],
      week.reduce((sum, b) => sum + b[5], 0),
    ]);
    // 2026-07-01 is a Wednesday: its week's bar is dated Friday 2026-07-03.
    expect(weekly.bars[0]?.[0]).toBe('2026-07-03');
    expect(weekly.bars.map(([d]) => d).every((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 5)).toBe(true);
    const monthly = payload<PriceHistoryResult>(
      await call('get_price_history', { ticker: 'NVDA', start: '2026-07-01', end: '2026-08-21', interval: 'monthly' }),
    );
    expect(monthly.bars.map(([d]) => d)).toEqual(['2026-07-31', '2026-08-21']);
    // Without a start, a monthly request reaches back as far as the data goes (up to 20 years).
    const allMonths = payload<PriceHistoryResult>(
      await call('get_price_history', { ticker: 'NVDA', interval: 'monthly' }),
    );
    expect(allMonths.bars.length).toBeGreaterThan(30);
  });

  it('get_price_history returns at most MAX_PRICE_BARS bars, the newest, with a note saying how to get the rest', async () => {
    const all = payload<PriceHistoryResult>(
      await call('get_price_history', { ticker: 'NVDA', start: '2020-01-01', end: FIXTURE_LAST_DATE }),
    );
    expect(all.barsMatched).toBeGreaterThan(MAX_PRICE_BARS);
    expect(all.bars).toHaveLength(MAX_PRICE_BARS);
    expect(all.bars.at(-1)?.[0]).toBe(FIXTURE_LAST_DATE);
    const leftOut = all.barsMatched - MAX_PRICE_BARS;
    expect(all.note).toContain(`Capped at ${MAX_PRICE_BARS} bars: ${all.barsMatched} daily bars matched`);
    expect(all.note).toContain(`the ${leftOut} before them left out`);
    // Following the note's advice returns exactly the bars left out.
    const end = /ask for end (\d{4}-\d{2}-\d{2})/.exec(all.note ?? '')?.[1];
    const rest = payload<PriceHistoryResult>(
      await call('get_price_history', { ticker: 'NVDA', start: '2020-01-01', ...(end ? { end } : {}) }),
    );
    expect(rest.bars).toHaveLength(leftOut);
    expect(rest.note).toBeUndefined();
  });

  it('analyze_stock computes indicators from over a year of prices', async () => {
    const t = payload<TechnicalAnalysis>(await call('analyze_stock', { ticker: 'nvda' }));
    expect(t.ticker).toBe('NVDA');
    expect(t.asOf).toBe(FIXTURE_LAST_DATE);
    expect(t.barsUsed).toBeGreaterThan(400);
    for (const v of [t.sma20, t.sma50, t.sma200, t.rsi14, t.volatility30dPct, t.volatility90dPct, t.return1yPct]) {
      expect(typeof v).toBe('number');
    }
    expect(t.macd).not.toBeNull();
    expect(t.drawdownFromHighPct).toBeLessThanOrEqual(0);
    expect(t.high52w).toBeGreaterThanOrEqual(t.lastClose);
    expect(t.source.ref).toContain('test/fixtures/prices/NVDA.csv');
  });

  it('get_analyst_ratings, get_company_news and get_insider_transactions return their shapes', async () => {
    const ratings = payload<AnalystRatings>(await call('get_analyst_ratings', { ticker: 'NVDA' }));
    expect(ratings.targetMean).toBe(216);
    const news = payload<CompanyNews>(await call('get_company_news', { ticker: 'NVDA', limit: 1 }));
    expect(news.events).toHaveLength(1);
    expect(news.events[0]?.items).toContain('2.02');
    const insiders = payload<InsiderTransactions>(await call('get_insider_transactions', { ticker: 'NVDA' }));
    expect(insiders.transactions[0]?.code).toBe('S');
    expect(insiders.last12m.sellCount).toBe(1);
  });

  it('answers an unknown ticker with isError, a plain message and close matches', async () => {
    const err = errorOf(await call('get_company_profile', { ticker: 'NVDIA' }));
    expect(err.code).toBe('tickerdesk_unknown_ticker');
    expect(err.suggestions).toEqual(['NVDA']);
    expect(err.ticker).toBe('NVDIA');
    expect(err.text).toContain('Unknown ticker "NVDIA"');
    expect(err.text).toContain('Did you mean NVDA?');
    const none = errorOf(await call('analyze_stock', { ticker: 'ZZZZZZ' }));
    expect(none.code).toBe('tickerdesk_unknown_ticker');
    expect(none.suggestions).toEqual([]);
  });

  it('lists every covered ticker in the ticker directory resource', async () => {
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toContain(TICKER_DIRECTORY_URI);
    const { contents } = await client.readResource({ uri: TICKER_DIRECTORY_URI });
    const first = contents[0];
    const body = JSON.parse(first && 'text' in first ? first.text : '') as { tickers: string[] };
    expect(body.tickers).toEqual([...createFixtureProvider().tickers()].sort());
    expect(body.tickers).toContain('NVDA');
  });

  it('says data is unavailable instead of returning an empty success', async () => {
    const ratings = errorOf(await call('get_analyst_ratings', { ticker: 'KO' }));
    expect(ratings).toMatchObject({ code: 'tickerdesk_data_unavailable', suggestions: undefined, ticker: undefined });
    expect(ratings.text).toBe('No analyst consensus for KO in the fixture data set.');
    const quarterly = errorOf(await call('get_company_financials', { ticker: 'KO', period: 'quarterly' }));
    expect(quarterly.code).toBe('tickerdesk_data_unavailable');
    expect(quarterly.text).toBe('No quarterly statements for KO in the fixture data set.');
    const news = errorOf(await call('get_company_news', { ticker: 'KO' }));
    expect(news.text).toBe('No company events for KO in the fixture data set.');
    const insiders = errorOf(await call('get_insider_transactions', { ticker: 'KO' }));
    expect(insiders.code).toBe('tickerdesk_data_unavailable');
    const prices = errorOf(await call('get_price_history', { ticker: 'KO', start: '2001-01-01', end: '2001-02-01' }));
    expect(prices.text).toBe('No daily prices for KO between 2001-01-01 and 2001-02-01 in the fixture data set.');
  });

  it('rejects invalid arguments with tickerdesk_invalid_input and a message naming the problem', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['get_company_profile', {}, 'ticker'],
      ['get_company_profile', { ticker: 42 }, 'ticker'],
      ['get_company_profile', { ticker: 'NVDA AAPL' }, 'One ticker at a time'],
      ['get_company_profile', { ticker: 'not a ticker!' }, 'One ticker at a time'],
      ['get_company_profile', { ticker: '12345' }, 'is not a ticker symbol'],
      ['get_company_financials', { ticker: 'NVDA', period: 'weekly' }, 'period'],
      ['get_company_financials', { ticker: 'NVDA', limit: 13 }, 'limit'],
      ['get_price_history', { ticker: 'NVDA', start: '2026-13-01' }, 'start'],
      ['get_price_history', { ticker: 'NVDA', start: '2026-08-10', end: '2026-08-01' }, 'after the end date'],
      ['get_company_news', { ticker: 'NVDA', limit: 0 }, 'limit'],
    ];
    for (const [tool, args, mentions] of cases) {
      const err = errorOf(await call(tool, args));
      expect(err.code, `${tool} ${JSON.stringify(args)}`).toBe('tickerdesk_invalid_input');
      expect(err.text).toContain(mentions);
    }
  });

  it('awaits the injected latency inside each handler', async () => {
    // Asserted by order, not by a measured time: the same call is sent first to a server with a minute of latency,
    // then to one with none; the second answers while the first still waits, and the first answers once cancelled.
    const slow = await connect(60_000);
    const quick = await connect(0);
    try {
      const controller = new AbortController();
      const args = { name: 'get_company_profile', arguments: { ticker: 'NVDA' } };
      let slowAnswered = false;
      const waiting = slow.client.callTool(args, undefined, { signal: controller.signal }).finally(() => {
        slowAnswered = true;
      });
      const result = (await quick.client.callTool(args)) as CallToolResult;
      expect(result.isError ?? false).toBe(false);
      expect(slowAnswered).toBe(false);
      controller.abort();
      await expect(waiting).rejects.toThrow();
    } finally {
      await Promise.all([slow.close(), quick.close()]);
    }
  });

  it('turns off-contract data and unexpected exceptions into coded tool_failed results', async () => {
    const fixture = createFixtureProvider();
    const broken: DataProvider = {
      ...fixture,
      profile: async (ticker) => ({ ticker, summary: 'no name, no sources' }) as unknown as CompanyProfile,
      analystRatings: async () => {
        throw new Error('the ratings file could not be read');
      },
    };
    const server = createServer({ provider: broken });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const c = new Client({ name: 'test', version: '1.0.0' });
    await Promise.all([server.connect(serverSide), c.connect(clientSide)]);
    try {
      const offContract = (await c.callTool({
        name: 'get_company_profile',
        arguments: { ticker: 'NVDA' },
      })) as CallToolResult;
      const a = errorOf(offContract);
      expect(a.code).toBe('tickerdesk_tool_failed');
      expect(a.text).toContain('does not match its published shape');
      expect(a.text).toContain('name');
      const thrown = (await c.callTool({
        name: 'get_analyst_ratings',
        arguments: { ticker: 'NVDA' },
      })) as CallToolResult;
      const b = errorOf(thrown);
      expect(b.code).toBe('tickerdesk_tool_failed');
      expect(b.text).toBe('get_analyst_ratings failed: the ratings file could not be read.');
    } finally {
      await c.close();
      await server.close();
    }
  });

  it("runs a call marked background in its request _meta at background upstream priority, others at user's", async () => {
    const seen: string[] = [];
    const spec = {
      name: 'get_company_profile',
      deps: { provider: createFixtureProvider(), latencyMs: 0 },
      input: z.object({ ticker: z.string() }),
      output: z.object({}),
    };
    const work = async () => {
      seen.push(upstreamPriority());
      return {};
    };
    await runTool(spec, { ticker: 'NVDA' }, { _meta: { [PRIORITY_META_KEY]: 'background' } }, work);
    await runTool(spec, { ticker: 'NVDA' }, {}, work);
    await runTool(spec, { ticker: 'NVDA' }, { _meta: { [PRIORITY_META_KEY]: 'urgent' } }, work);
    expect(seen).toEqual(['background', 'user', 'user']);
  });

  it('reads the priority from the _meta of a request over MCP', async () => {
    const fixture = createFixtureProvider();
    const seen: string[] = [];
    const provider = new Proxy(fixture, {
      get(target, prop) {
        if (prop === 'profile') {
          return (ticker: string) => {
            seen.push(upstreamPriority());
            return target.profile(ticker);
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as DataProvider;
    const server = createServer({ provider });
    const [a, b] = InMemoryTransport.createLinkedPair();
    const c = new Client({ name: 'priority-test', version: '0' });
    await Promise.all([server.connect(a), c.connect(b)]);
    try {
      const args = { name: 'get_company_profile', arguments: { ticker: 'NVDA' } };
      await c.callTool({ ...args, _meta: { [PRIORITY_META_KEY]: 'background' } });
      await c.callTool(args);
      expect(seen).toEqual(['background', 'user']);
    } finally {
      await c.close();
      await server.close();
    }
  });

  it('answers a call cancelled during the injected latency with tickerdesk_cancelled', async () => {
    let worked = false;
    const result = await runTool(
      {
        name: 'get_company_profile',
        deps: { provider: createFixtureProvider(), latencyMs: 10_000 },
        input: z.object({ ticker: z.string() }),
        output: z.object({}),
      },
      { ticker: 'NVDA' },
      { signal: AbortSignal.abort() },
      async () => {
        worked = true;
        return {};
      },
    );
    expect(worked).toBe(false);
    expect(result.isError).toBe(true);
    expect(result._meta?.code).toBe('tickerdesk_cancelled');
  });
});
