import { describe, expect, it } from 'vitest';
import {
  DataUnavailableError,
  NoDataError,
  ToolFailedError,
  ToolTimeoutError,
  UnknownTickerError,
} from '../../src/errors.js';
import { planRequests } from '../../src/research/plan.js';
import { prefetch } from '../../src/research/prefetch.js';
import type { RunEvents } from '../../src/research/types.js';
import { unavailableFrom } from '../../src/tools/answered-from.js';
import { FakeGateway } from '../helpers/fake-gateway.js';

type ToolEvent = RunEvents['toolCallFinished'];

describe('prefetch', () => {
  it('issues every request at once and counts n of m as each lands', async () => {
    const gateway = new FakeGateway({ hold: true });
    const plan = planRequests('NVDA');
    const events: ToolEvent[] = [];
    const names: string[] = [];
    const pending = prefetch(gateway, 'NVDA', plan, {
      signal: new AbortController().signal,
      onToolCallFinished: (e) => events.push(e),
      onCompanyIdentified: (e) => names.push(e.name),
    });
    await gateway.waitForCalls(plan.length);
    // All eight are in flight before any has been answered.
    expect(gateway.inFlight).toBe(8);
    expect(events).toHaveLength(0);

    gateway.releaseTool('get_company_news');
    gateway.release();
    const { bundle, tools, problems } = await pending;

    expect(gateway.maxInFlight).toBe(8);
    expect(events.map((e) => e.done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(events.every((e) => e.total === 8 && e.cache === 'miss')).toBe(true);
    expect(events[0]?.part).toBe('news');
    expect(names).toEqual(['NVDA Corp']);
    expect(tools).toEqual({ total: 8, hits: 0, misses: 8, coalesced: 0, errors: 0, unavailable: 0 });
    expect(problems).toEqual([]);
    expect(bundle.ticker).toBe('NVDA');
    expect(bundle.financialsAnnual.status).toBe('ok');
    if (bundle.financialsAnnual.status === 'ok') {
      expect(bundle.financialsAnnual.data.periods[0]?.items.revenue?.value).toBe(60_922_000_000);
      expect(bundle.financialsAnnual.source).toBe('tickerdesk/get_company_financials');
    }
  });

  it('marks missing data unavailable and failed calls failed, in plain words, without failing', async () => {
    const gateway = new FakeGateway({
      failures: {
        get_analyst_ratings: new DataUnavailableError('No analyst coverage for NVDA in the bundled data.'),
        get_insider_transactions: new ToolTimeoutError('get_insider_transactions', 15_000),
      },
      cache: 'hit',
    });
    const events: ToolEvent[] = [];
    const { bundle, tools, problems } = await prefetch(gateway, 'NVDA', planRequests('NVDA'), {
      signal: new AbortController().signal,
      fresh: true,
      onToolCallFinished: (e) => events.push(e),
    });
    expect(bundle.analyst).toEqual({
      status: 'unavailable',
      reason: 'No analyst coverage for NVDA in the bundled data.',
      source: 'tickerdesk/get_analyst_ratings',
    });
    expect(bundle.insider.status).toBe('failed');
    expect(tools).toEqual({ total: 8, hits: 6, misses: 0, coalesced: 0, errors: 1, unavailable: 1 });
    expect(problems).toEqual([
      {
        text: 'The insider transactions could not be fetched: The data tool get_insider_transactions did not answer within 15000 ms.',
        cause: 'The data tool did not answer within 15000 ms.',
        kind: 'fetch',
        part: 'insider transactions',
        fetch: { key: 'insider', tool: 'get_insider_transactions' },
      },
    ]);
    const failed = events.find((e) => e.part === 'insider');
    expect(failed).toMatchObject({ cache: 'error', error: expect.stringMatching(/did not answer/) });
    expect(gateway.callOptions.every((o) => o?.fresh === true && o.signal !== undefined)).toBe(true);
  });

  it('counts a "no data" answer served from the cache as cached, not as a call made', async () => {
    const none = (tool: string) => new DataUnavailableError(`No ${tool} for NVDA in the bundled data set.`);
    const gateway = new FakeGateway({
      cache: 'hit',
      failures: {
        get_analyst_ratings: unavailableFrom(none('consensus'), 'hit'),
        get_company_news: unavailableFrom(none('8-K filings'), 'coalesced'),
        get_insider_transactions: unavailableFrom(none('Form 4'), 'miss'),
      },
    });
    const events: ToolEvent[] = [];
    const { bundle, tools, problems } = await prefetch(gateway, 'NVDA', planRequests('NVDA'), {
      signal: new AbortController().signal,
      onToolCallFinished: (e) => events.push(e),
    });
    expect(tools).toEqual({ total: 8, hits: 6, misses: 0, coalesced: 1, errors: 0, unavailable: 1 });
    expect(bundle.analyst.status).toBe('unavailable');
    expect(problems).toEqual([]);
    expect(events.find((e) => e.part === 'analyst')).toMatchObject({ cache: 'error', unavailable: 'hit' });
    expect(events.find((e) => e.part === 'insider')).toMatchObject({ cache: 'error', unavailable: 'miss' });
    expect(events.find((e) => e.part === 'profile')?.unavailable).toBeUndefined();
  });

  it("carries a stale answer's marker into its bundle part, counted as cached", async () => {
    const stale = {
      fetchedAt: '2026-12-04T14:02:00.000Z',
      validUntil: '2026-12-04T21:20:00.000Z',
      refreshing: true as const,
    };
    const gateway = new FakeGateway({ cache: 'hit', stale: { get_price_history: stale } });
    const { bundle, tools } = await prefetch(gateway, 'NVDA', planRequests('NVDA'), {
      signal: new AbortController().signal,
    });
    expect(tools.hits).toBe(8);
    expect(bundle.prices).toMatchObject({ status: 'ok', cache: 'hit', stale });
    expect(bundle.technicals.status === 'ok' && bundle.technicals.stale).toBe(undefined);
  });

  it('rejects with UnknownTickerError as soon as the profile says the ticker is unknown', async () => {
    const gateway = new FakeGateway({ tickers: ['NVDA'] });
    await expect(
      prefetch(gateway, 'NVDAX', planRequests('NVDAX'), { signal: new AbortController().signal }),
    ).rejects.toBeInstanceOf(UnknownTickerError);
  });

  it('sends only the profile call for a ticker the ticker directory does not list', async () => {
    const gateway = new FakeGateway({ tickers: ['NVDA'], directory: ['NVDA'] });
    const events: ToolEvent[] = [];
    await expect(
      prefetch(gateway, 'NVDAX', planRequests('NVDAX'), {
        signal: new AbortController().signal,
        onToolCallFinished: (e) => events.push(e),
      }),
    ).rejects.toBeInstanceOf(UnknownTickerError);
    expect(gateway.calls.map((c) => c.tool)).toEqual(['get_company_profile']);
    expect(events).toHaveLength(1);
  });

  it('sends every call at once for a listed ticker; the rest after the profile if the list was stale', async () => {
    const listed = new FakeGateway({ tickers: ['NVDA'], directory: ['NVDA'], hold: true });
    const pending = prefetch(listed, 'NVDA', planRequests('NVDA'), { signal: new AbortController().signal });
    await listed.waitForCalls(8);
    listed.release();
    expect((await pending).tools.total).toBe(8);

    const stale = new FakeGateway({ tickers: ['NVDA'], directory: ['AAPL'] });
    const { bundle, tools } = await prefetch(stale, 'NVDA', planRequests('NVDA'), {
      signal: new AbortController().signal,
    });
    expect(stale.calls).toHaveLength(8);
    expect(tools).toMatchObject({ total: 8, misses: 8, errors: 0 });
    expect(Object.values(bundle).filter((p) => typeof p === 'object' && p.status === 'ok')).toHaveLength(8);
  });

  it('fails with one plain message when every call failed (no data at all is not a report)', async () => {
    const down = new Error(`Could not start the MCP server tickerdesk: the data set is missing. ${'x'.repeat(600)}`);
    const failures = Object.fromEntries(planRequests('NVDA').map((p) => [p.request.tool, down]));
    const gateway = new FakeGateway({ failures });
    const events: ToolEvent[] = [];
    const pending = prefetch(gateway, 'NVDA', planRequests('NVDA'), {
      signal: new AbortController().signal,
      onToolCallFinished: (e) => events.push(e),
    });
    await expect(pending).rejects.toBeInstanceOf(ToolFailedError);
    const err = (await pending.catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(
      /^No data could be fetched for NVDA: all 8 data tool calls failed, so there is nothing to report on\. The first failure: Could not start the MCP server tickerdesk: the data set is missing\./,
    );
    expect(err.message.length).toBeLessThan(600);
    expect(events).toHaveLength(8);
  });

  it('answers a ticker with no data part at all as an unknown ticker, with the known reasons (SAMSUNG)', async () => {
    // What the data server says for SAMSUNG, whose index entry has `has: []` and notes for statements and prices.
    const none = (what: string, note?: string) =>
      new DataUnavailableError(`No ${what} in the bundled data set for SAMSUNG${note ? ` (${note})` : ''}.`);
    const failures: Record<string, Error> = {
      get_company_profile: none('company profile'),
      get_company_financials: none('financial statements', 'statements are reported in KRW, not USD'),
      get_price_history: none('price history', 'prices are quoted in KRW, not USD'),
      // A failed fetch (a fault) gives no known reason, though its message ends in parentheses too.
      analyze_stock: new Error('No source answered for SAMSUNG. stooq: stooq.com could not be reached (ENOTFOUND).'),
      get_analyst_ratings: none('analyst consensus'),
      get_company_news: none('company events (SEC 8-K filings)'),
      get_insider_transactions: none('insider transactions (SEC Form 4)'),
    };
    const error = await prefetch(
      new FakeGateway({ failures, tickers: ['SAMSUNG'] }),
      'SAMSUNG',
      planRequests('SAMSUNG'),
      { signal: new AbortController().signal },
    ).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(NoDataError);
    expect(error).toBeInstanceOf(UnknownTickerError);
    expect(error).toMatchObject({
      code: 'tickerdesk_unknown_ticker',
      reasons: ['statements are reported in KRW, not USD', 'prices are quoted in KRW, not USD'],
      message:
        'No data for SAMSUNG: statements are reported in KRW, not USD; prices are quoted in KRW, not USD. There is nothing to report on.',
    });
  });

  it("names the reasons in the bundle's part order whatever order the calls answer in (a flaky Slack test saw prices first)", async () => {
    const none = (what: string, note: string) =>
      new DataUnavailableError(`No ${what} in the bundled data set for SAMSUNG (${note}).`);
    const failures: Record<string, Error> = Object.fromEntries(
      planRequests('SAMSUNG').map((p) => [p.request.tool, new DataUnavailableError('No data for SAMSUNG.')]),
    );
    failures.get_company_financials = none('financial statements', 'statements are reported in KRW, not USD');
    failures.get_price_history = none('price history', 'prices are quoted in KRW, not USD');
    const gateway = new FakeGateway({ failures, tickers: ['SAMSUNG'], hold: true });
    const pending = prefetch(gateway, 'SAMSUNG', planRequests('SAMSUNG'), {
      signal: new AbortController().signal,
    }).catch((err: unknown) => err);
    await gateway.waitForCalls(planRequests('SAMSUNG').length);
    // Prices answer first, the statements last.
    gateway.releaseTool('get_price_history');
    for (const p of planRequests('SAMSUNG')) {
      if (p.request.tool !== 'get_company_financials') gateway.releaseTool(p.request.tool);
    }
    gateway.releaseTool('get_company_financials');
    const error = await pending;
    expect(error).toBeInstanceOf(NoDataError);
    expect((error as NoDataError).reasons).toEqual([
      'statements are reported in KRW, not USD',
      'prices are quoted in KRW, not USD',
    ]);
  });

  it('says no data in plain words when the data server gives no reason', async () => {
    const none = new DataUnavailableError('No data for XYZ in the bundled data set.');
    const failures = Object.fromEntries(planRequests('XYZ').map((p) => [p.request.tool, none]));
    const error = await prefetch(new FakeGateway({ failures, tickers: ['XYZ'] }), 'XYZ', planRequests('XYZ'), {
      signal: new AbortController().signal,
    }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(NoDataError);
    expect((error as Error).message).toMatch(/^No data for XYZ: no data source has a profile, statements, prices/);
  });

  it('fails to fetch, rather than saying no source has data, when calls failed and none knew a reason', async () => {
    // Regression: with DATA_SOURCE=live offline, 7 calls failed (SEC, Yahoo, Stooq unreachable) and the consensus
    // answered "no configured source" (Finnhub off): the CLI said "No data for NVDA: no data source has a profile,
    // statements, prices … for it" and exited 2 (bad input), as for a ticker nobody covers.
    const unreachable = new ToolFailedError(
      'tickerdesk/x',
      'No source answered for NVDA. sec-edgar: data.sec.gov could not be reached (ENOTFOUND).',
    );
    const failures: Record<string, Error> = Object.fromEntries(
      planRequests('NVDA').map((p) => [p.request.tool, unreachable]),
    );
    failures.get_analyst_ratings = new DataUnavailableError('No configured data source provides consensus data.');
    const error = await prefetch(new FakeGateway({ failures }), 'NVDA', planRequests('NVDA'), {
      signal: new AbortController().signal,
    }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ToolFailedError);
    expect(error).not.toBeInstanceOf(NoDataError);
    expect((error as Error).message).toMatch(
      /^No data could be fetched for NVDA: 7 of 8 data tool calls failed and the rest had no data, so there is nothing to report on\. The first failure: .*could not be reached/,
    );
  });

  it('stops waiting when the signal aborts, even if calls never answer', async () => {
    const gateway = new FakeGateway({ hold: true });
    const controller = new AbortController();
    const pending = prefetch(gateway, 'NVDA', planRequests('NVDA'), { signal: controller.signal });
    await gateway.waitForCalls(8);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'tickerdesk_cancelled' });
  });
});
