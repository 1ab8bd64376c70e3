/**
 * Technical indicators from daily bars: a pure function, no I/O. SMA, RSI and MACD come from the maintained
 * `trading-signals` package; the simple statistics (highs, drawdowns, volatility, returns) are computed here.
 *
 * Conventions: prices in USD as given by the bars; percentages in % (−12.5 means 12.5 % down); volatility is the
 * sample standard deviation of daily log returns, annualised with √252; "1 month" etc. are calendar offsets from
 * the last bar's date, each return measured from the last close on or before that date.
 */
import { EMA, MACD, RSI, SMA } from 'trading-signals';
import { DataUnavailableError } from '../../errors.js';
import type { PriceBar, Source, TechnicalAnalysis } from '../shapes.js';

/** Trading days per year used to annualise volatility. */
export const TRADING_DAYS_PER_YEAR = 252;

/** Calendar days of price history `analyze_stock` asks for: one year plus ~200 trading days of warm-up. */
export const ANALYSIS_LOOKBACK_DAYS = 660;

/** What {@link computeTechnicals} needs: bars oldest first, and where they came from. */
export interface TechnicalsInput {
  ticker: string;
  /** Daily bars, oldest first (unsorted input is sorted by date). */
  bars: readonly PriceBar[];
  /** Source of the bars; the result's source names the same file with the computation noted. */
  source: Source;
  /** The other share class the bars are of, passed through (see `PriceHistory.security`). */
  security?: string;
}

/** Shift an ISO date (`YYYY-MM-DD`) by whole calendar months and/or days, in UTC. */
export function shiftIsoDate(iso: string, { months = 0, days = 0 }: { months?: number; days?: number }): string {
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) throw new RangeError(`Not an ISO date: ${iso}`);
  if (months !== 0) {
    const day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + months);
    const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, lastDay));
  }
  if (days !== 0) d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Last value of an indicator fed every close, or null when there are fewer closes than it needs. */
function lastValue<T>(indicator: { add(x: number): T | null; isStable: boolean }, closes: readonly number[]): T | null {
  let result: T | null = null;
  for (const c of closes) result = indicator.add(c);
  return indicator.isStable ? result : null;
}

/** Simple moving average of the last `period` closes, USD; null with fewer closes. */
export function sma(closes: readonly number[], period: number): number | null {
  return lastValue(new SMA(period), closes);
}

/** Wilder's RSI over `period` days (0–100); null with `period` or fewer closes. */
export function rsi(closes: readonly number[], period = 14): number | null {
  return lastValue(new RSI(period), closes);
}

/**
 * MACD on closes with EMAs (fast, slow, signal), `trading-signals` seeding. Null until the slow EMA and the signal
 * line are both warmed up (slow + signal − 1 closes).
 */
export function macd(
  closes: readonly number[],
  fast = 12,
  slow = 26,
  signal = 9,
): { macd: number; signal: number; histogram: number } | null {
  if (closes.length < slow + signal - 1) return null;
  const indicator = new MACD(new EMA(fast), new EMA(slow), new EMA(signal));
  let result: { macd: number; signal: number; histogram: number } | null = null;
  for (const c of closes) result = indicator.add(c);
  return result;
}

/** Annualised volatility (%) of the last `days` daily log returns; null with fewer than `days + 1` closes. */
export function annualisedVolatility(closes: readonly number[], days: number): number | null {
  if (days < 2 || closes.length < days + 1) return null;
  const window = closes.slice(-(days + 1));
  const returns: number[] = [];
  for (let i = 1; i < window.length; i++) returns.push(Math.log((window[i] as number) / (window[i - 1] as number)));
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const variance = returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (returns.length - 1);
  return Math.sqrt(variance) * Math.sqrt(TRADING_DAYS_PER_YEAR) * 100;
}

/** Largest peak-to-trough fall of a close series, % (negative or zero). */
export function maxDrawdownPct(closes: readonly number[]): number {
  let peak = Number.NEGATIVE_INFINITY;
  let worst = 0;
  for (const c of closes) {
    if (c > peak) peak = c;
    const dd = (c / peak - 1) * 100;
    if (dd < worst) worst = dd;
  }
  return worst;
}

/** Percent change from the last close on or before `fromDate` to `lastClose`; null when the bars start later. */
function returnSince(bars: readonly PriceBar[], fromDate: string, lastClose: number): number | null {
  let base: PriceBar | undefined;
  for (const bar of bars) {
    if (bar.date > fromDate) break;
    base = bar;
  }
  return base === undefined || base.close === 0 ? null : (lastClose / base.close - 1) * 100;
}

/**
 * Compute the {@link TechnicalAnalysis} of a ticker from its daily bars.
 * Indicators that need more history than given are `null`; the 52-week figures use the bars of the last
 * 365 calendar days (highs and lows of the day), the 1-year max drawdown the closes of the same window.
 * @throws DataUnavailableError when there are fewer than two bars.
 */
export function computeTechnicals({ ticker, bars: input, source, security }: TechnicalsInput): TechnicalAnalysis {
  const bars = [...input].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const last = bars.at(-1);
  if (last === undefined || bars.length < 2) {
    throw new DataUnavailableError(`Not enough price history for ${ticker} to compute technical indicators.`);
  }
  const closes = bars.map((b) => b.close);
  const yearStart = shiftIsoDate(last.date, { days: -365 });
  const year = bars.filter((b) => b.date > yearStart);
  const high52w = Math.max(...year.map((b) => Math.max(b.high, b.close)));
  const low52w = Math.min(...year.map((b) => Math.min(b.low, b.close)));
  const m = macd(closes);
  const nullable = (v: number | null, digits: number) => (v === null ? null : round(v, digits));
  return {
    ticker,
    asOf: last.date,
    lastClose: last.close,
    sma20: nullable(sma(closes, 20), 4),
    sma50: nullable(sma(closes, 50), 4),
    sma200: nullable(sma(closes, 200), 4),
    rsi14: nullable(rsi(closes, 14), 2),
    macd: m === null ? null : { macd: round(m.macd, 4), signal: round(m.signal, 4), histogram: round(m.histogram, 4) },
    high52w,
    low52w,
    drawdownFromHighPct: round(Math.min(0, (last.close / high52w - 1) * 100), 2),
    maxDrawdown1yPct: round(maxDrawdownPct(year.map((b) => b.close)), 2),
    volatility30dPct: nullable(annualisedVolatility(closes, 30), 2),
    volatility90dPct: nullable(annualisedVolatility(closes, 90), 2),
    return1mPct: nullable(returnSince(bars, shiftIsoDate(last.date, { months: -1 }), last.close), 2),
    return3mPct: nullable(returnSince(bars, shiftIsoDate(last.date, { months: -3 }), last.close), 2),
    return1yPct: nullable(returnSince(bars, shiftIsoDate(last.date, { months: -12 }), last.close), 2),
    barsUsed: bars.length,
    ...(security === undefined ? {} : { security }),
    source: {
      ...source,
      period: `${bars[0]?.date} to ${last.date}`,
      ref: `${source.ref} (indicators computed by tickerdesk analyze_stock)`,
    },
  };
}
