/**
 * The `finnhub` live provider (keyed, optional: built only when `FINNHUB_API_KEY` is set): analyst consensus and
 * price targets, and company news, from Finnhub's REST API (`FINNHUB_URL`, default `https://finnhub.io/api/v1`).
 * The key travels in the `X-Finnhub-Token` header (set on the host's policy in `../registry.ts`), never in a URL.
 * A consensus answer takes three requests (`/stock/recommendation`, `/stock/price-target`, `/quote` for the price the
 * upside is measured from); news one (`/company-news`, the last 30 days). Answers are kept in-process for 15 minutes.
 *
 * The price target is a premium endpoint: where a free key is refused there (403), or Finnhub has no target for the
 * symbol, the answer has the ratings alone and `targetNote` says why (the recommendation trends work on a free key).
 * A refused key (401), any other 403, a spent quota (429 after the client's retries), HTML or a body that is not
 * Finnhub's JSON fail this provider, and the chain passes to the next one with the reason as its note.
 */
import { DataUnavailableError, ErrorCode, TickerdeskError } from '../../../errors.js';
import type { AnalystRatings, CompanyEvent, CompanyNews } from '../../shapes.js';
import type { UpstreamClient } from '../../upstream/client.js';
import { UpstreamFormatError, UpstreamHttpError } from '../../upstream/errors.js';
import { PromiseMemo } from '../../upstream/memo.js';
import type { ChainMember } from '../chain.js';
import { minusDays } from '../daily-series.js';
import {
  analystsIn,
  type FinnhubPriceTarget,
  parseCompanyNews,
  parsePriceTarget,
  parseQuote,
  parseRecommendations,
  ratingOf,
} from './json.js';

/** Why a consensus from Finnhub has no price target when the key's plan does not include the endpoint. */
export const FINNHUB_NO_TARGET_NOTE = 'Price target not available from Finnhub on this key (a premium endpoint)';

/** Days of company news asked for per request. */
export const FINNHUB_NEWS_DAYS = 30;

/** Finnhub's symbol for a normalised US ticker: share classes with a dot, as given (`BRK.B`). */
export function finnhubSymbol(ticker: string): string {
  return ticker.toUpperCase();
}

/** What each HTTP refusal means at Finnhub, for the chain's note. */
function refusal(status: number, what: string): string | undefined {
  if (status === 401) return `Finnhub refused the API key (HTTP 401) for ${what}: check FINNHUB_API_KEY.`;
  if (status === 403) return `Finnhub's plan for this key does not include ${what} (HTTP 403).`;
  if (status === 429) return `Finnhub's request limit is spent (HTTP 429) for ${what}.`;
  return undefined;
}

/** See the module comment. */
export class FinnhubProvider implements ChainMember {
  readonly id = 'finnhub';
  readonly live = true;
  readonly #upstream: UpstreamClient;
  readonly #baseUrl: string;
  readonly #ratings = new PromiseMemo<Omit<AnalystRatings, 'ticker'>>(15 * 60_000);
  readonly #news = new PromiseMemo<CompanyEvent[]>(15 * 60_000);

  /** @param baseUrl Finnhub's API root, without a trailing slash (`https://finnhub.io/api/v1`). */
  constructor(upstream: UpstreamClient, baseUrl: string) {
    this.#upstream = upstream;
    this.#baseUrl = baseUrl;
  }

  async analystRatings(ticker: string): Promise<AnalystRatings> {
    const symbol = finnhubSymbol(ticker);
    return { ticker, ...(await this.#ratings.get(symbol, () => this.#fetchRatings(ticker, symbol))) };
  }

  async news(ticker: string, limit: number): Promise<CompanyNews> {
    const symbol = finnhubSymbol(ticker);
    const events = await this.#news.get(symbol, () => this.#fetchNews(ticker, symbol));
    const url = `https://finnhub.io/api/v1/company-news?symbol=${symbol}`;
    return {
      ticker,
      events: events.slice(0, Math.max(1, Math.floor(limit))),
      source: {
        provider: 'finnhub',
        ref: `Finnhub company news ${symbol}`,
        ...(events[0] ? { asOf: events[0].date } : {}),
        url,
      },
    };
  }

  async #fetchRatings(ticker: string, symbol: string): Promise<Omit<AnalystRatings, 'ticker'>> {
    const q = `symbol=${encodeURIComponent(symbol)}`;
    const [months, { target, note }, price] = await Promise.all([
      this.#json(`/stock/recommendation?${q}`, 'recommendation trends', parseRecommendations),
      this.#priceTarget(q, ticker),
      this.#json(`/quote?${q}`, 'the quote', parseQuote),
    ]);
    const latest = months.filter((m) => analystsIn(m) > 0).at(-1);
    const rating = latest && ratingOf(latest);
    if (!latest || !rating) throw new DataUnavailableError(`Finnhub has no analyst recommendations for ${ticker}.`);
    if (price === undefined) throw new DataUnavailableError(`Finnhub has no current price for ${ticker}.`);
    const url = `https://finnhub.io/api/v1/stock/recommendation?symbol=${symbol}`;
    if (!target) {
      // The ratings stand on their own: the answer says why it has no target instead of passing to the next source.
      return {
        asOf: latest.period,
        analystCount: analystsIn(latest),
        rating,
        price,
        ...(note ? { targetNote: note } : {}),
        history: [],
        source: {
          provider: 'finnhub',
          ref: `Finnhub recommendation trends (${latest.period}) ${symbol}`,
          asOf: latest.period,
          url,
        },
      };
    }
    const asOf = target.lastUpdated || latest.period;
    return {
      asOf,
      analystCount: analystsIn(latest),
      rating,
      price,
      targetMean: target.targetMean,
      targetHigh: target.targetHigh,
      targetLow: target.targetLow,
      upsidePct: (target.targetMean / price - 1) * 100,
      // Finnhub keeps no past targets on these endpoints: the history is the current snapshot alone.
      history: [{ date: asOf, targetMean: target.targetMean, analystCount: analystsIn(latest) }],
      source: {
        provider: 'finnhub',
        ref: `Finnhub recommendation trends (${latest.period}) and price target ${symbol}`,
        asOf,
        url,
      },
    };
  }

  /**
   * The price target, or why there is none: Finnhub having no target for the symbol, or the key's plan not including
   * the endpoint (403: price targets are premium, a free key is refused) — neither stops the ratings.
   * @throws as {@link #json} for any other refusal or a body that is not a price target.
   */
  async #priceTarget(q: string, ticker: string): Promise<{ target?: FinnhubPriceTarget; note?: string }> {
    try {
      const target = await this.#json(`/stock/price-target?${q}`, 'price targets', parsePriceTarget);
      return target ? { target } : { note: `Finnhub has no analyst price target for ${ticker}` };
    } catch (err) {
      if (err instanceof TickerdeskError && err.cause instanceof UpstreamHttpError && err.cause.status === 403) {
        return { note: FINNHUB_NO_TARGET_NOTE };
      }
      throw err;
    }
  }

  async #fetchNews(ticker: string, symbol: string): Promise<CompanyEvent[]> {
    const to = new Date().toISOString().slice(0, 10);
    const from = minusDays(to, FINNHUB_NEWS_DAYS);
    const events = await this.#json(
      `/company-news?symbol=${encodeURIComponent(symbol)}&from=${from}&to=${to}`,
      'company news',
      (json) => parseCompanyNews(json, `https://finnhub.io/api/v1/company-news?symbol=${symbol}`),
    );
    if (events.length === 0) {
      throw new DataUnavailableError(`Finnhub has no company news for ${ticker} since ${from}.`);
    }
    return events;
  }

  /** GET `path` under the base URL and parse its JSON with `parse`; refusals and foreign bodies as in the module comment. */
  async #json<T>(path: string, what: string, parse: (json: unknown) => T): Promise<T> {
    const url = `${this.#baseUrl}${path}`;
    const host = new URL(url).host;
    let json: unknown;
    try {
      json = await this.#upstream.getJson(url, `${what} JSON`);
    } catch (err) {
      const note = err instanceof UpstreamHttpError ? refusal(err.status, what) : undefined;
      if (note) throw new TickerdeskError(ErrorCode.ToolFailed, note, { cause: err });
      throw err;
    }
    try {
      return parse(json);
    } catch (cause) {
      throw new UpstreamFormatError(host, `JSON that is not ${what}`, { cause });
    }
  }
}
