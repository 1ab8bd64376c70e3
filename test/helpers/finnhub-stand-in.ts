/**
 * A local stand-in for Finnhub's REST API on one 127.0.0.1 port, speaking its JSON: `/stock/recommendation`,
 * `/stock/price-target`, `/quote` and `/company-news` for the symbols it is given. A request without the expected
 * `X-Finnhub-Token` header answers Finnhub's 401 `{"error":"Invalid API key"}`; an unknown symbol answers what
 * Finnhub answers for one (`[]`, `{}`, a zero quote).
 */
import { type HttpStandIn, startHttpStandIn } from './http-stand-in.js';

/** What the stand-in serves for one symbol. */
export interface FinnhubSymbolData {
  recommendations: { period: string; strongBuy: number; buy: number; hold: number; sell: number; strongSell: number }[];
  priceTarget: { lastUpdated: string; targetHigh: number; targetLow: number; targetMean: number; targetMedian: number };
  price: number;
  news: { datetime: number; headline: string; source: string; summary: string; url: string }[];
}

/** A price target as Finnhub answers one (NVDA's in the tests: mean 210 against a 175 quote, updated 2026-12-04). */
export const SAMPLE_PRICE_TARGET: FinnhubSymbolData['priceTarget'] = {
  lastUpdated: '2026-12-04 00:00:00',
  targetHigh: 250,
  targetLow: 140,
  targetMean: 210,
  targetMedian: 212,
};

/** The Finnhub stand-in: the tokens each request carried, in order. */
export interface FinnhubStandIn extends HttpStandIn {
  tokens: (string | undefined)[];
}

const json = (body: unknown, status = 200) => ({ status, body: JSON.stringify(body), type: 'application/json' });

/** Start the stand-in: requests must carry `key`; `symbols` is what it knows. */
export async function startFinnhubStandIn(
  key: string,
  symbols: Readonly<Record<string, FinnhubSymbolData>>,
): Promise<FinnhubStandIn> {
  const tokens: (string | undefined)[] = [];
  const base = await startHttpStandIn({
    route: (p, req) => {
      const url = new URL(p, 'http://x');
      const token = req.headers['x-finnhub-token'];
      tokens.push(typeof token === 'string' ? token : undefined);
      if (token !== key) return json({ error: 'Invalid API key' }, 401);
      const symbol = url.searchParams.get('symbol') ?? '';
      const data = symbols[symbol];
      switch (url.pathname) {
        case '/stock/recommendation':
          return json((data?.recommendations ?? []).map((r) => ({ ...r, symbol })));
        case '/stock/price-target':
          return json(data ? { ...data.priceTarget, symbol } : {});
        case '/quote':
          return json(
            data
              ? { c: data.price, d: 1, dp: 0.5, h: data.price, l: data.price, o: data.price, pc: data.price, t: 1 }
              : { c: 0, d: null, dp: null, h: 0, l: 0, o: 0, pc: 0, t: 0 },
          );
        case '/company-news': {
          const from = Date.parse(`${url.searchParams.get('from')}T00:00:00Z`) / 1000;
          const to = Date.parse(`${url.searchParams.get('to')}T23:59:59Z`) / 1000;
          const items = (data?.news ?? []).filter((n) => n.datetime >= from && n.datetime <= to);
          return json(items.map((n, i) => ({ category: 'company', id: i + 1, image: '', related: symbol, ...n })));
        }
        default:
          return undefined;
      }
    },
  });
  return { ...base, tokens };
}
