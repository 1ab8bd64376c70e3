/**
 * The `yahoo` live price provider (keyless): daily bars from Yahoo Finance's chart API (`YAHOO_CHART_URL`, default
 * `https://query1.finance.yahoo.com`), about two years per request, split-adjusted; a split Yahoo left unapplied is
 * applied here. One request per ticker is kept in-process for 15 minutes, so the price and technicals tools of a
 * run share it.
 */
import { DataUnavailableError } from '../../../errors.js';
import type { PriceBar, PriceHistory } from '../../shapes.js';
import type { UpstreamClient } from '../../upstream/client.js';
import { UpstreamFormatError, UpstreamHttpError } from '../../upstream/errors.js';
import { keepNoData, PromiseMemo } from '../../upstream/memo.js';
import type { ChainMember } from '../chain.js';
import { applyUnadjustedSplits, historyFor, LIVE_HISTORY_DAYS } from '../daily-series.js';
import { sessionGap, unexplainedSplitJump } from '../series-checks.js';
import { chartError, parseYahooChart } from './chart.js';

/** Yahoo's symbol for a normalised ticker: share classes with a dash (`BRK.B` → `BRK-B`). */
export function yahooSymbol(ticker: string): string {
  return ticker.replace(/\./g, '-');
}

/** See the module comment. */
export class YahooPriceProvider implements ChainMember {
  readonly id = 'yahoo';
  readonly live = true;
  readonly #upstream: UpstreamClient;
  readonly #chartUrl: string;
  // A symbol the source has no prices for stays known as such as long as an answer would be kept: the price and
  // technicals tools of one run (and the next runs) ask once, not once each.
  readonly #series = new PromiseMemo<PriceBar[]>(15 * 60_000, { keepFailureMs: keepNoData });

  constructor(upstream: UpstreamClient, chartUrl: string) {
    this.#upstream = upstream;
    this.#chartUrl = chartUrl;
  }

  async prices(ticker: string, range?: { start?: string; end?: string }): Promise<PriceHistory> {
    const symbol = yahooSymbol(ticker);
    const bars = await this.#series.get(symbol, () => this.#fetch(ticker, symbol));
    const url = `https://finance.yahoo.com/quote/${symbol}/history`;
    return historyFor(ticker, bars, { provider: 'yahoo', ref: `Yahoo Finance chart ${symbol}, daily`, url }, range);
  }

  async #fetch(ticker: string, symbol: string): Promise<PriceBar[]> {
    const now = Math.floor(Date.now() / 1000);
    const from = now - LIVE_HISTORY_DAYS * 86_400;
    const url = `${this.#chartUrl}/v8/finance/chart/${encodeURIComponent(symbol)}?period1=${from}&period2=${now}&interval=1d&events=split&includePrePost=false`;
    const host = new URL(url).host;
    let json: unknown;
    try {
      json = await this.#upstream.getJson(url, 'chart JSON');
    } catch (err) {
      if (err instanceof UpstreamHttpError && err.status === 404) {
        throw new DataUnavailableError(`Yahoo Finance has no prices for ${ticker}.`, { cause: err });
      }
      throw err;
    }
    const error = chartError(json);
    if (error) throw new DataUnavailableError(`Yahoo Finance has no prices for ${ticker} (${error}).`);
    let chart: ReturnType<typeof parseYahooChart>;
    try {
      chart = parseYahooChart(json);
    } catch (cause) {
      throw new UpstreamFormatError(host, 'chart JSON without a result', { cause });
    }
    if (chart.currency !== 'USD') {
      throw new DataUnavailableError(`Yahoo Finance quotes ${ticker} in ${chart.currency}; tickerdesk reports in USD.`);
    }
    if (chart.bars.length === 0) throw new DataUnavailableError(`Yahoo Finance returned no daily bars for ${ticker}.`);
    const bars = applyUnadjustedSplits(chart.bars, chart.splits);
    const broken = sessionGap(bars) ?? unexplainedSplitJump(bars, chart.splits);
    if (broken) throw new UpstreamFormatError(host, `a daily series with ${broken}`);
    return bars;
  }
}
