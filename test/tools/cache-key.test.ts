import { describe, expect, it } from 'vitest';
import { cacheKey, canonicalArgs } from '../../src/tools/cache-key.js';
import { DEFAULT_TTL_MS, FALLBACK_ANSWER_TTL_MS, FALLBACK_TTL_MS, ttlFor } from '../../src/tools/ttl.js';

describe('cacheKey', () => {
  it('is server + tool + canonical JSON of the arguments', () => {
    expect(cacheKey({ server: 'tickerdesk', tool: 'get_company_profile', args: { ticker: 'NVDA' } })).toBe(
      'tickerdesk/get_company_profile:{"ticker":"NVDA"}',
    );
  });

  it('names the answer shape version of tools whose answer changed shape, so an older cached answer is not read', () => {
    expect(cacheKey({ server: 'tickerdesk', tool: 'get_price_history', args: { ticker: 'NVDA' } })).toBe(
      'tickerdesk/get_price_history@v2:{"ticker":"NVDA"}',
    );
    expect(
      cacheKey({ server: 'tickerdesk', tool: 'get_company_financials', args: { ticker: 'NVDA', period: 'annual' } }),
    ).toBe('tickerdesk/get_company_financials@v2:{"period":"annual","ticker":"NVDA"}');
    expect(cacheKey({ server: 'other', tool: 'get_price_history', args: {} })).toBe('other/get_price_history:{}');
  });

  it('ignores argument order, ticker case and undefined fields', () => {
    const a = cacheKey({
      server: 's',
      tool: 't',
      args: { ticker: ' nvda', period: 'annual', limit: 4, extra: undefined },
    });
    const b = cacheKey({ server: 's', tool: 't', args: { limit: 4, period: 'annual', ticker: 'NVDA' } });
    expect(a).toBe(b);
  });

  it('sorts nested keys recursively and keeps array order', () => {
    const a = cacheKey({ server: 's', tool: 't', args: { range: { to: '2025', from: '2024' }, list: [2, 1] } });
    const b = cacheKey({ server: 's', tool: 't', args: { list: [2, 1], range: { from: '2024', to: '2025' } } });
    expect(a).toBe(b);
    expect(a).toBe('s/t:{"list":[2,1],"range":{"from":"2024","to":"2025"}}');
    expect(a).not.toBe(
      cacheKey({ server: 's', tool: 't', args: { list: [1, 2], range: { from: '2024', to: '2025' } } }),
    );
  });

  it('tells apart servers, tools and values', () => {
    const base = { server: 's', tool: 't', args: { ticker: 'NVDA' } };
    const keys = new Set([
      cacheKey(base),
      cacheKey({ ...base, server: 'other' }),
      cacheKey({ ...base, tool: 'u' }),
      cacheKey({ ...base, args: { ticker: 'AAPL' } }),
      cacheKey({ ...base, args: { ticker: 'NVDA', limit: 1 } }),
    ]);
    expect(keys.size).toBe(5);
  });

  it('canonicalArgs gives what is sent to the server', () => {
    expect(canonicalArgs({ ticker: 'brk.b', limit: undefined, start: '2024-01-01' })).toEqual({
      start: '2024-01-01',
      ticker: 'BRK.B',
    });
  });
});

describe('ttlFor', () => {
  it('keeps a "no data" answer given while a source was unreachable only briefly, not for the tool\'s full TTL', () => {
    expect(ttlFor('tickerdesk', 'get_company_financials', {}, { provisional: true })).toBe(FALLBACK_ANSWER_TTL_MS);
    expect(ttlFor('tickerdesk', 'get_company_profile', {}, { provisional: false })).toBe(7 * 24 * 3_600_000);
  });
  it('keeps profiles for days, financials for a day, ratings an hour, market data minutes', () => {
    expect(ttlFor('tickerdesk', 'get_company_profile')).toBe(7 * 24 * 3_600_000);
    expect(ttlFor('tickerdesk', 'get_company_financials')).toBe(24 * 3_600_000);
    expect(ttlFor('tickerdesk', 'get_analyst_ratings')).toBe(3_600_000);
    for (const tool of ['get_price_history', 'analyze_stock', 'get_company_news']) {
      expect(ttlFor('tickerdesk', tool)).toBe(15 * 60_000);
    }
    expect(ttlFor('x', 'unknown_tool')).toBe(FALLBACK_TTL_MS);
    expect(Object.keys(DEFAULT_TTL_MS).length).toBeGreaterThan(5);
  });

  it('takes overrides by server/tool first, then by tool name', () => {
    const overrides = { get_price_history: 1000, 'other/get_price_history': 5 };
    expect(ttlFor('tickerdesk', 'get_price_history', overrides)).toBe(1000);
    expect(ttlFor('other', 'get_price_history', overrides)).toBe(5);
  });
});

describe('ttlFor by the market and the answer', () => {
  const live = { provenance: { provider: 'yahoo', live: true, tried: [] } };
  it('keeps live prices and technicals until the next close plus 20 minutes, over weekends and holidays', () => {
    // Friday 2026-12-04 15:00 New York: the close is at 16:00, so 1 h 20 min.
    expect(ttlFor('tickerdesk', 'get_price_history', {}, { data: live, now: new Date('2026-12-04T20:00:00Z') })).toBe(
      80 * 60_000,
    );
    // Saturday noon: until Monday's close.
    expect(ttlFor('tickerdesk', 'analyze_stock', {}, { data: live, now: new Date('2026-12-05T17:00:00Z') })).toBe(
      (2 * 24 + 4) * 3_600_000 + 20 * 60_000,
    );
    // Wednesday evening before Thanksgiving: until Friday's early close (13:00 New York).
    expect(ttlFor('tickerdesk', 'analyze_stock', {}, { data: live, now: new Date('2026-11-25T23:00:00Z') })).toBe(
      43 * 3_600_000 + 20 * 60_000,
    );
  });

  it('keeps an answer that a fallback gave after a live source failed for 5 minutes only', () => {
    const fallback = {
      provenance: {
        provider: 'bundled',
        live: false,
        tried: [{ provider: 'yahoo', outcome: 'failed', reason: 'HTTP 503' }],
      },
    };
    expect(ttlFor('tickerdesk', 'get_price_history', {}, { data: fallback })).toBe(5 * 60_000);
    expect(ttlFor('tickerdesk', 'get_company_financials', {}, { data: fallback })).toBe(5 * 60_000);
  });

  it('keeps bundled answers by the tool table, and overrides win', () => {
    const bundled = { provenance: { provider: 'bundled', live: false, tried: [] } };
    expect(ttlFor('tickerdesk', 'get_price_history', {}, { data: bundled })).toBe(15 * 60_000);
    expect(ttlFor('tickerdesk', 'get_price_history', { get_price_history: 7 }, { data: live })).toBe(7);
  });
});
