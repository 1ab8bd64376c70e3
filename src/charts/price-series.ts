/**
 * The data behind a price chart: a pure function from daily bars to the points the chart draws — the last 12
 * months of closes with their 50- and 200-day simple moving averages (computed over all the bars given, so earlier
 * bars warm the averages up), daily volume, and where the 52-week high and low were reached. No I/O.
 *
 * Units: prices in USD (as given by the bars, split-adjusted), volume in shares, dates ISO `YYYY-MM-DD`.
 */
import { SMA } from 'trading-signals';
import { DataUnavailableError } from '../errors.js';
import type { PriceBar, TechnicalAnalysis } from '../mcp-server/shapes.js';

/** Calendar days the chart shows, counted back from the last bar. */
export const CHART_WINDOW_DAYS = 365;

/** The moving averages drawn, in trading days. */
export const SMA_PERIODS = [50, 200] as const;

/** One day of the chart. `sma50`/`sma200` are null until enough bars precede the day. */
export interface ChartDay {
  date: string;
  close: number;
  volume: number;
  /** True when the close is at or above the previous close (volume bar coloured as an up day). */
  up: boolean;
  sma50: number | null;
  sma200: number | null;
}

/** A marked extreme: the price and the first day in the window it was reached. */
export interface ChartMark {
  /** USD. */
  price: number;
  date: string;
}

/** Everything a price chart draws. */
export interface PriceSeries {
  /** Days inside the window, oldest first. */
  days: ChartDay[];
  start: string;
  end: string;
  /** 52-week high and low (from the technicals when given, else from the window's daily highs and lows). */
  high: ChartMark;
  low: ChartMark;
  /** The latest close, USD. */
  lastClose: number;
  /** Latest 50- and 200-day averages, USD, null when the bars are too few. */
  lastSma50: number | null;
  lastSma200: number | null;
}

function minusDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** The day whose daily range first touches `price` (within a cent), else the day closest to it. */
function dayOf(bars: readonly PriceBar[], price: number, pick: (b: PriceBar) => number): string {
  let best = bars[0] as PriceBar;
  for (const b of bars) {
    if (Math.abs(pick(b) - price) < Math.abs(pick(best) - price) - 1e-9) best = b;
  }
  return best.date;
}

/**
 * Build the chart's series from daily bars (any order; sorted here) and, optionally, the run's technical analysis
 * (its 52-week high and low are the ones the report states, so the chart marks the same numbers).
 * @throws DataUnavailableError with fewer than two bars.
 */
export function buildPriceSeries(input: readonly PriceBar[], technicals?: TechnicalAnalysis): PriceSeries {
  const bars = [...input].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const last = bars.at(-1);
  if (last === undefined || bars.length < 2) {
    throw new DataUnavailableError('There are not enough daily prices to draw a chart (at least two days are needed).');
  }
  const windowStart = minusDays(last.date, CHART_WINDOW_DAYS);
  const sma50 = new SMA(SMA_PERIODS[0]);
  const sma200 = new SMA(SMA_PERIODS[1]);
  const days: ChartDay[] = [];
  let previous: number | undefined;
  for (const bar of bars) {
    const s50 = sma50.add(bar.close);
    const s200 = sma200.add(bar.close);
    if (bar.date > windowStart) {
      days.push({
        date: bar.date,
        close: bar.close,
        volume: bar.volume,
        up: previous === undefined || bar.close >= previous,
        sma50: sma50.isStable ? s50 : null,
        sma200: sma200.isStable ? s200 : null,
      });
    }
    previous = bar.close;
  }
  const windowBars = bars.filter((b) => b.date > windowStart);
  const highPrice = technicals?.high52w ?? Math.max(...windowBars.map((b) => Math.max(b.high, b.close)));
  const lowPrice = technicals?.low52w ?? Math.min(...windowBars.map((b) => Math.min(b.low, b.close)));
  const lastDay = days.at(-1) as ChartDay;
  return {
    days,
    start: (days[0] as ChartDay).date,
    end: lastDay.date,
    high: { price: highPrice, date: dayOf(windowBars, highPrice, (b) => Math.max(b.high, b.close)) },
    low: { price: lowPrice, date: dayOf(windowBars, lowPrice, (b) => Math.min(b.low, b.close)) },
    lastClose: lastDay.close,
    lastSma50: lastDay.sma50,
    lastSma200: lastDay.sma200,
  };
}
