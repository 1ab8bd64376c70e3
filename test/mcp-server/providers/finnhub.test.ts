/**
 * The keyed `finnhub` provider through the chains `buildProviders` makes from the data settings, against a 127.0.0.1
 * stand-in speaking Finnhub's JSON: consensus and price target from Finnhub with the key in its header, the ratings
 * alone with a note where a free key is refused the premium price target (403), a refused key falling to the bundled
 * data set with a note, company news mapped to dated events newest first, and a page of HTML
 * passing on with a note.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { dataSourceEnv } from '../../../src/data-config.js';
import { BundledProvider } from '../../../src/mcp-server/providers/bundled.js';
import { buildProviders } from '../../../src/mcp-server/providers/registry.js';
import { DATA_DIR } from '../../helpers/bundled-data.js';
import { type FinnhubStandIn, SAMPLE_PRICE_TARGET, startFinnhubStandIn } from '../../helpers/finnhub-stand-in.js';

const KEY = 'test-finnhub-key';
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
const today = new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

let finnhub: FinnhubStandIn;
const built: ReturnType<typeof buildProviders>[] = [];

beforeAll(async () => {
  finnhub = await startFinnhubStandIn(KEY, {
    NVDA: {
      recommendations: [
        { period: '2026-11-01', strongBuy: 20, buy: 30, hold: 5, sell: 1, strongSell: 0 },
        { period: '2026-12-01', strongBuy: 25, buy: 35, hold: 4, sell: 0, strongSell: 0 },
      ],
      priceTarget: SAMPLE_PRICE_TARGET,
      price: 175,
      news: [
        {
          datetime: day(daysAgo(3)) + 3600,
          headline: 'Older item',
          source: 'Reuters',
          summary: 'Earlier.',
          url: 'https://example.com/a',
        },
        {
          datetime: day(daysAgo(1)) + 7200,
          headline: 'Newest item',
          source: 'Bloomberg',
          summary: 'Latest.',
          url: 'https://example.com/b',
        },
        {
          datetime: day(daysAgo(90)),
          headline: 'Out of the window',
          source: 'Reuters',
          summary: '',
          url: 'https://example.com/c',
        },
      ],
    },
  });
});
afterAll(() => finnhub.close());
afterEach(() => {
  finnhub.clearFaults();
  finnhub.requests.length = 0;
  finnhub.tokens.length = 0;
  for (const b of built.splice(0)) void b.close();
});

/** The chains for `key` against the stand-in (no SEC: no User-Agent; prices never asked here). */
function chains(key: string) {
  const config = loadConfig({
    DATA_SOURCE: 'auto',
    FINNHUB_API_KEY: key,
    FINNHUB_URL: finnhub.url,
    UPSTREAM_RETRIES: '0',
  });
  const b = buildProviders(config.data, new BundledProvider(DATA_DIR));
  built.push(b);
  return b.provider;
}

describe('finnhub provider', () => {
  it("answers a ticker's consensus and price target from Finnhub, with the key in X-Finnhub-Token", async () => {
    const r = await chains(KEY).analystRatings('NVDA');
    expect(r.provenance?.provider).toBe('finnhub');
    expect(r.provenance?.live).toBe(true);
    expect(r).toMatchObject({
      ticker: 'NVDA',
      asOf: '2026-12-04',
      analystCount: 64,
      rating: 'buy',
      price: 175,
      targetMean: 210,
      targetHigh: 250,
      targetLow: 140,
    });
    expect(r.upsidePct).toBeCloseTo(20, 6);
    expect(finnhub.requests.map((q) => new URL(q.path, 'http://x').pathname).sort()).toEqual([
      '/quote',
      '/stock/price-target',
      '/stock/recommendation',
    ]);
    expect(finnhub.tokens).toEqual([KEY, KEY, KEY]);
    expect(finnhub.requests.every((q) => !q.path.includes('token='))).toBe(true);
  });

  it('falls to the bundled consensus when Finnhub refuses the key (401), noting why', async () => {
    const r = await chains('wrong-key').analystRatings('NVDA');
    expect(r.provenance?.provider).toBe('bundled');
    expect(r.provenance?.tried[0]).toMatchObject({ provider: 'finnhub', outcome: 'failed' });
    expect(r.provenance?.tried[0]?.reason).toContain('HTTP 401');
    expect(r.provenance?.tried[0]?.reason).toContain('FINNHUB_API_KEY');
  });

  it('passes HTML instead of JSON on to the bundle with a note', async () => {
    finnhub.fault(/\/stock\/recommendation/, { kind: 'html' });
    const r = await chains(KEY).analystRatings('NVDA');
    expect(r.provenance?.provider).toBe('bundled');
    expect(r.provenance?.tried[0]?.reason).toContain('HTML instead of recommendation trends JSON');
  });

  it.each([
    [
      'a spent quota (429)',
      /\/quote/,
      { kind: 'status', status: 429 } as const,
      "Finnhub's request limit is spent (HTTP 429) for the quote",
    ],
  ])('passes %s on to the bundle with a note', async (_, match, fault, note) => {
    finnhub.fault(match, fault);
    const r = await chains(KEY).analystRatings('NVDA');
    expect(r.provenance?.provider).toBe('bundled');
    expect(r.provenance?.tried[0]).toMatchObject({ provider: 'finnhub', outcome: 'failed' });
    expect(r.provenance?.tried[0]?.reason).toContain(note);
  });

  it("answers a free key's consensus with Finnhub's ratings, saying the price target (premium, 403) is not available", async () => {
    finnhub.fault(/\/stock\/price-target/, { kind: 'status', status: 403 });
    const r = await chains(KEY).analystRatings('NVDA');
    // Finnhub answered (the ratings work on a free key), nothing passed to the bundle.
    expect(r.provenance).toMatchObject({ provider: 'finnhub', live: true, tried: [], asOf: '2026-12-01' });
    expect(r).toMatchObject({ ticker: 'NVDA', asOf: '2026-12-01', analystCount: 64, rating: 'buy', price: 175 });
    expect(r.targetNote).toBe('Price target not available from Finnhub on this key (a premium endpoint)');
    for (const field of ['targetMean', 'targetHigh', 'targetLow', 'upsidePct'] as const)
      expect(r[field]).toBeUndefined();
    expect(r.history).toEqual([]);
    expect(r.source).toMatchObject({ provider: 'finnhub', ref: 'Finnhub recommendation trends (2026-12-01) NVDA' });
    expect(finnhub.requests.filter((q) => q.path.startsWith('/stock/price-target'))).toHaveLength(1);
  });

  it('answers with the ratings alone when Finnhub has no price target for the symbol', async () => {
    finnhub.fault(/\/stock\/price-target/, { kind: 'status', status: 200, body: '{}' });
    const r = await chains(KEY).analystRatings('NVDA');
    expect(r.provenance?.provider).toBe('finnhub');
    expect(r.targetNote).toBe('Finnhub has no analyst price target for NVDA');
    expect(r.targetMean).toBeUndefined();
  });

  it('passes any other refusal of the price target (a spent quota) on to the bundle', async () => {
    finnhub.fault(/\/stock\/price-target/, { kind: 'status', status: 429 });
    const r = await chains(KEY).analystRatings('NVDA');
    expect(r.provenance?.provider).toBe('bundled');
    expect(r.provenance?.tried[0]?.reason).toContain("Finnhub's request limit is spent (HTTP 429) for price targets");
  });

  it('passes JSON that is not company news on with a note', async () => {
    finnhub.fault(/\/company-news/, { kind: 'status', status: 200, body: '{"error":"unexpected"}' });
    const n = await chains(KEY).news('NVDA', 5);
    expect(n.provenance?.provider).toBe('bundled');
    expect(n.provenance?.tried[0]?.reason).toContain('JSON that is not company news');
  });

  it('maps company news of the last 30 days to dated events, newest first', async () => {
    const n = await chains(KEY).news('NVDA', 10);
    expect(n.provenance?.provider).toBe('finnhub');
    expect(n.events.map((e) => [e.date, e.kind, e.title, e.text, e.url])).toEqual([
      [daysAgo(1), 'news', 'Newest item', 'Latest.', 'https://example.com/b'],
      [daysAgo(3), 'news', 'Older item', 'Earlier.', 'https://example.com/a'],
    ]);
    expect(n.events[0]?.source.ref).toBe('Finnhub company news (Bloomberg)');
    expect(n.provenance?.asOf).toBe(daysAgo(1));
    // Requests an earlier test's client still had queued may arrive meanwhile: find this one by its path.
    const asked = finnhub.requests.find((r) => r.path.startsWith('/company-news'));
    const q = new URL(asked?.path ?? '', 'http://x').searchParams;
    expect([q.get('symbol'), q.get('from'), q.get('to')]).toEqual(['NVDA', daysAgo(30), today]);
  });

  it('is not built without a key, and the data server is given the key and base URL', () => {
    const off = loadConfig({ DATA_SOURCE: 'auto', FINNHUB_URL: finnhub.url });
    const b = buildProviders(off.data, new BundledProvider(DATA_DIR));
    built.push(b);
    return b.provider.analystRatings('NVDA').then((r) => {
      expect(r.provenance?.tried).toEqual([]);
      const on = loadConfig({ FINNHUB_API_KEY: KEY, FINNHUB_URL: finnhub.url });
      expect(dataSourceEnv(on.data)).toMatchObject({ FINNHUB_API_KEY: KEY, FINNHUB_URL: finnhub.url });
    });
  });

  it('accepts finnhub in DATA_PROVIDERS_CONSENSUS and _NEWS only', () => {
    expect(loadConfig({ DATA_PROVIDERS_CONSENSUS: 'finnhub,bundled' }).data.order.consensus).toEqual([
      'finnhub',
      'bundled',
    ]);
    expect(() => loadConfig({ DATA_PROVIDERS_PRICES: 'finnhub,bundled' })).toThrow(/DATA_PROVIDERS_PRICES/);
  });
});
