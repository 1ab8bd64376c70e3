/**
 * A local stand-in for the keyless price sources, on one 127.0.0.1 port: Yahoo Finance's chart JSON
 * (`/v8/finance/chart/{SYMBOL}`) and Stooq's daily CSV (`/q/d/l/?s={symbol}.us&i=d`), both built from the bars in
 * `test/fixtures/live/prices/` (Yahoo: one bar per session at 13:30 UTC, split events when a test adds them; an
 * unknown symbol answers Yahoo's 404 "Not Found" error document and Stooq's `No data`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { PriceBar } from '../../src/mcp-server/shapes.js';
import { type HttpStandIn, startHttpStandIn } from './http-stand-in.js';

const DIR = path.join(import.meta.dirname, '../fixtures/live/prices');

/** Tickers with recorded bars. */
export const PRICE_FIXTURE_TICKERS = ['NVDA', 'AAPL'] as const;

/** One bar as the fixtures hold it. */
export type FixtureBar = PriceBar;

/** The recorded bars of `ticker`, oldest first. */
export function fixtureBars(ticker: string): FixtureBar[] {
  const text = gunzipSync(readFileSync(path.join(DIR, `${ticker}.csv.gz`))).toString('utf8');
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [date = '', open, high, low, close, volume] = line.split(',');
      return {
        date,
        open: Number(open),
        high: Number(high),
        low: Number(low),
        close: Number(close),
        volume: Number(volume),
      };
    });
}

/** Yahoo chart JSON for `symbol` from `bars` (with `splits`, each `{date, numerator, denominator}`). */
export function yahooChartJson(
  symbol: string,
  bars: readonly (FixtureBar | { date: string; close: null })[],
  splits: { date: string; numerator: number; denominator: number }[] = [],
): string {
  const ts = (d: string) => Math.floor(Date.parse(`${d}T13:30:00Z`) / 1000);
  const col = (k: keyof FixtureBar) => bars.map((b) => (b.close === null ? null : (b as FixtureBar)[k]));
  return JSON.stringify({
    chart: {
      result: [
        {
          meta: {
            currency: 'USD',
            symbol,
            exchangeName: 'NMS',
            instrumentType: 'EQUITY',
            exchangeTimezoneName: 'America/New_York',
            timezone: 'EDT',
          },
          timestamp: bars.map((b) => ts(b.date)),
          events: {
            splits: Object.fromEntries(
              splits.map((s) => [
                String(ts(s.date)),
                {
                  date: ts(s.date),
                  numerator: s.numerator,
                  denominator: s.denominator,
                  splitRatio: `${s.numerator}:${s.denominator}`,
                },
              ]),
            ),
          },
          indicators: {
            quote: [
              { open: col('open'), high: col('high'), low: col('low'), close: col('close'), volume: col('volume') },
            ],
            adjclose: [{ adjclose: col('close') }],
          },
        },
      ],
      error: null,
    },
  });
}

/** The price stand-in; `chart` overrides Yahoo's answer for one symbol (a test's split or gaps). */
export interface PriceStandIn extends HttpStandIn {
  setChart(symbol: string, json: string): void;
}

/**
 * Start the price stand-in. `aliases` serves more symbols, each with the recorded bars of a fixture ticker (the SEC
 * stand-in's derived companies, e.g. `{ QXA: 'NVDA' }`).
 */
export async function startPriceStandIn(
  options: {
    latencyMs?: [number, number];
    aliases?: Readonly<Record<string, (typeof PRICE_FIXTURE_TICKERS)[number]>>;
  } = {},
): Promise<PriceStandIn> {
  const bars = new Map(PRICE_FIXTURE_TICKERS.map((t) => [t as string, fixtureBars(t)]));
  for (const [symbol, from] of Object.entries(options.aliases ?? {})) bars.set(symbol, bars.get(from) ?? []);
  const charts = new Map<string, string>();
  const base = await startHttpStandIn({
    ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}),
    route: (p) => {
      const url = new URL(p, 'http://x');
      const chart = /^\/v8\/finance\/chart\/([^/]+)$/.exec(url.pathname);
      if (chart?.[1]) {
        const symbol = decodeURIComponent(chart[1]);
        const custom = charts.get(symbol);
        if (custom) return { body: custom, type: 'application/json' };
        const b = bars.get(symbol);
        if (!b) {
          return {
            status: 404,
            body: JSON.stringify({
              chart: {
                result: null,
                error: { code: 'Not Found', description: 'No data found, symbol may be delisted' },
              },
            }),
            type: 'application/json',
          };
        }
        return { body: yahooChartJson(symbol, b), type: 'application/json' };
      }
      if (url.pathname === '/q/d/l/') {
        const symbol = (url.searchParams.get('s') ?? '').replace(/\.us$/, '').toUpperCase();
        const b = bars.get(symbol);
        if (!b) return { body: 'No data', type: 'text/plain' };
        const rows = b.map((x) => `${x.date},${x.open},${x.high},${x.low},${x.close},${x.volume}`);
        return { body: ['Date,Open,High,Low,Close,Volume', ...rows].join('\n'), type: 'text/csv' };
      }
      return undefined;
    },
  });
  return {
    ...base,
    setChart(symbol, json) {
      charts.set(symbol, json);
    },
  };
}
