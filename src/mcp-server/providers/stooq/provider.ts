/**
 * The `stooq` live price provider (keyless, the fallback): Stooq's daily CSV download (`STOOQ_URL`, default
 * `https://stooq.com`), US listings as `{symbol}.us`, split-adjusted by Stooq, about two years per request, kept
 * in-process for 15 minutes.
 */
import { DataUnavailableError } from '../../../errors.js';
import type { PriceBar, PriceHistory } from '../../shapes.js';
import type { UpstreamClient } from '../../upstream/client.js';
import { UpstreamFormatError } from '../../upstream/errors.js';
import { keepNoData, PromiseMemo } from '../../upstream/memo.js';
import type { ChainMember } from '../chain.js';
import { historyFor, LIVE_HISTORY_DAYS, minusDays } from '../daily-series.js';
import { sessionGap } from '../series-checks.js';

/** Stooq's symbol for a normalised US ticker: lower case, share classes with a dash, `.us` (`BRK.B` → `brk-b.us`). */
export function stooqSymbol(ticker: string): string {
  return `${ticker.toLowerCase().replace(/\./g, '-')}.us`;
}

const compact = (iso: string) => iso.replace(/-/g, '');

/** See the module comment. */
export class StooqPriceProvider implements ChainMember {
  readonly id = 'stooq';
  readonly live = true;
  readonly #upstream: UpstreamClient;
  readonly #baseUrl: string;
  // A symbol the source has no prices for stays known as such as long as an answer would be kept: the price and
  // technicals tools of one run (and the next runs) ask once, not once each.
  readonly #series = new PromiseMemo<PriceBar[]>(15 * 60_000, { keepFailureMs: keepNoData });

  constructor(upstream: UpstreamClient, baseUrl: string) {
    this.#upstream = upstream;
    this.#baseUrl = baseUrl;
  }

  async prices(ticker: string, range?: { start?: string; end?: string }): Promise<PriceHistory> {
    const symbol = stooqSymbol(ticker);
    const bars = await this.#series.get(symbol, () => this.#fetch(ticker, symbol));
    const url = `https://stooq.com/q/d/?s=${symbol}`;
    return historyFor(ticker, bars, { provider: 'stooq', ref: `Stooq daily CSV ${symbol}`, url }, range);
  }

  async #fetch(ticker: string, symbol: string): Promise<PriceBar[]> {
    const today = new Date().toISOString().slice(0, 10);
    const from = minusDays(today, LIVE_HISTORY_DAYS);
    const url = `${this.#baseUrl}/q/d/l/?s=${encodeURIComponent(symbol)}&i=d&d1=${compact(from)}&d2=${compact(today)}`;
    const text = (await this.#upstream.get(url, { headers: { accept: 'text/csv' } })).text();
    // The CSV reader (csv-parse) loads with the first Stooq answer, not at the data server's start.
    const { parseStooqCsv } = await import('./csv.js');
    let bars: PriceBar[] | undefined;
    try {
      bars = parseStooqCsv(text);
    } catch (cause) {
      const what = /^\s*</.test(text) ? 'HTML instead of CSV' : 'a body that is not its daily CSV';
      throw new UpstreamFormatError(new URL(url).host, what, { cause });
    }
    if (!bars || bars.length === 0) throw new DataUnavailableError(`Stooq has no daily prices for ${ticker}.`);
    // Stooq adjusts its own splits and names none: only missing sessions are checked.
    const gap = sessionGap(bars);
    if (gap) throw new UpstreamFormatError(new URL(url).host, `a daily series with ${gap}`);
    return bars;
  }
}
