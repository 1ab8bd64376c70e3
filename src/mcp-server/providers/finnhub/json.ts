/**
 * Parsers for Finnhub's JSON (`https://finnhub.io/api/v1`): recommendation trends (`/stock/recommendation`, one
 * entry per month with analyst counts per rating), price targets (`/stock/price-target`: high, low, mean, median in
 * the listing's currency, `lastUpdated`), the quote (`/quote`: `c` the current price) and company news
 * (`/company-news`: `datetime` in Unix seconds). Each parser throws when the body is not that shape, so that the
 * provider can say the host answered with something it does not read.
 */
import type { CompanyEvent } from '../../shapes.js';

/** One month of `/stock/recommendation`: how many analysts rate the stock each way. */
export interface FinnhubRecommendation {
  /** First day of the month, ISO (`2026-12-01`). */
  period: string;
  strongBuy: number;
  buy: number;
  hold: number;
  sell: number;
  strongSell: number;
}

/** `/stock/price-target`, USD per share for US listings. */
export interface FinnhubPriceTarget {
  /** ISO date of Finnhub's last update. */
  lastUpdated: string;
  targetHigh: number;
  targetLow: number;
  targetMean: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);

/**
 * `/stock/recommendation`: the months, oldest first (an unknown symbol answers `[]`).
 * @throws Error when the body is not an array of recommendation months.
 */
export function parseRecommendations(json: unknown): FinnhubRecommendation[] {
  if (!Array.isArray(json)) throw new Error('recommendations are not an array');
  const months = json.map((r): FinnhubRecommendation => {
    if (!isObject(r) || typeof r.period !== 'string') throw new Error('a recommendation without a period');
    return {
      period: r.period.slice(0, 10),
      strongBuy: count(r.strongBuy),
      buy: count(r.buy),
      hold: count(r.hold),
      sell: count(r.sell),
      strongSell: count(r.strongSell),
    };
  });
  return months.sort((a, b) => a.period.localeCompare(b.period));
}

/** Analysts counted in one month. */
export function analystsIn(r: FinnhubRecommendation): number {
  return r.strongBuy + r.buy + r.hold + r.sell + r.strongSell;
}

/**
 * The consensus word of one month, as the bundled data set words it: the mean score (strong buy 1 … strong sell 5)
 * below 1.5 `strong_buy`, below 2.5 `buy`, below 3.5 `hold`, below 4.5 `underperform`, else `sell`.
 * @returns `undefined` for a month with no analysts.
 */
export function ratingOf(r: FinnhubRecommendation): string | undefined {
  const n = analystsIn(r);
  if (n === 0) return undefined;
  const mean = (r.strongBuy + 2 * r.buy + 3 * r.hold + 4 * r.sell + 5 * r.strongSell) / n;
  if (mean < 1.5) return 'strong_buy';
  if (mean < 2.5) return 'buy';
  if (mean < 3.5) return 'hold';
  if (mean < 4.5) return 'underperform';
  return 'sell';
}

/**
 * `/stock/price-target`.
 * @returns `undefined` when Finnhub has no target for the symbol (an empty object or zero targets).
 * @throws Error when the body is not a price-target object.
 */
export function parsePriceTarget(json: unknown): FinnhubPriceTarget | undefined {
  if (!isObject(json)) throw new Error('price target is not an object');
  const { targetHigh, targetLow, targetMean, lastUpdated } = json;
  if (![targetHigh, targetLow, targetMean].every((v) => typeof v === 'number' && v > 0)) return undefined;
  return {
    lastUpdated: typeof lastUpdated === 'string' ? lastUpdated.slice(0, 10) : '',
    targetHigh: targetHigh as number,
    targetLow: targetLow as number,
    targetMean: targetMean as number,
  };
}

/**
 * `/quote`: the current (or last) price `c`, USD per share.
 * @returns `undefined` for an unknown symbol (Finnhub answers zeros).
 * @throws Error when the body is not a quote object.
 */
export function parseQuote(json: unknown): number | undefined {
  if (!isObject(json) || !('c' in json)) throw new Error('quote is not an object with a price');
  return typeof json.c === 'number' && json.c > 0 ? json.c : undefined;
}

/**
 * `/company-news` as company events, newest first: the UTC date of `datetime`, the headline as title, the summary as
 * untrusted text; items without a headline or time are left out.
 * @throws Error when the body is not an array.
 */
export function parseCompanyNews(json: unknown, sourceUrl: string): CompanyEvent[] {
  if (!Array.isArray(json)) throw new Error('company news is not an array');
  const events: (CompanyEvent & { at: number })[] = [];
  for (const n of json) {
    if (!isObject(n) || typeof n.headline !== 'string' || n.headline.trim() === '') continue;
    if (typeof n.datetime !== 'number' || !(n.datetime > 0)) continue;
    const date = new Date(n.datetime * 1000).toISOString().slice(0, 10);
    const outlet = typeof n.source === 'string' && n.source ? n.source : 'unnamed outlet';
    const url = typeof n.url === 'string' && /^https?:\/\//.test(n.url) ? n.url : undefined;
    const summary = typeof n.summary === 'string' && n.summary.trim() ? n.summary.trim() : undefined;
    events.push({
      at: n.datetime,
      date,
      kind: 'news',
      title: n.headline.trim(),
      items: [],
      ...(summary ? { text: summary } : {}),
      ...(url ? { url } : {}),
      source: { provider: 'finnhub', ref: `Finnhub company news (${outlet})`, asOf: date, url: url ?? sourceUrl },
    });
  }
  return events.sort((a, b) => b.at - a.at).map(({ at: _at, ...e }) => e);
}
