import { describe, expect, it } from 'vitest';
import { DataUnavailableError } from '../../../src/errors.js';
import {
  annualisedVolatility,
  computeTechnicals,
  macd,
  maxDrawdownPct,
  rsi,
  shiftIsoDate,
  sma,
} from '../../../src/mcp-server/analysis/technicals.js';
import type { PriceBar } from '../../../src/mcp-server/shapes.js';

/** Wilder's RSI worked example (StockCharts "RSI" article), closes in order. */
const WILDER = [
  44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.1, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61, 46.28, 46.28, 46.0, 46.03,
  46.41, 46.22, 45.64,
];
/** Published RSI values for closes 15…20 of {@link WILDER} (rounded there at each step, hence the tolerance). */
const WILDER_RSI = [70.53, 66.32, 66.55, 69.41, 66.36, 57.97];

/** Weekday bars from `start`, one per close; high/low = close ± 1 %. */
function barsFrom(start: string, closes: readonly number[]): PriceBar[] {
  const bars: PriceBar[] = [];
  let date = start;
  for (const close of closes) {
    while ([0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay())) date = shiftIsoDate(date, { days: 1 });
    bars.push({ date, open: close, high: close * 1.01, low: close * 0.99, close, volume: 1000 });
    date = shiftIsoDate(date, { days: 1 });
  }
  return bars;
}

const source = { provider: 'fixture', ref: 'test/prices.csv' };

describe('indicator building blocks', () => {
  it('computes SMA on a ramp and is null without enough closes', () => {
    const ramp = Array.from({ length: 400 }, (_, i) => i + 1);
    expect(sma(ramp, 20)).toBeCloseTo(390.5, 10);
    expect(sma(ramp, 200)).toBeCloseTo(300.5, 10);
    expect(sma(ramp.slice(0, 19), 20)).toBeNull();
  });

  it("matches Wilder's RSI worked example", () => {
    WILDER_RSI.forEach((expected, i) => {
      const value = rsi(WILDER.slice(0, 15 + i), 14);
      expect(value).not.toBeNull();
      expect(Math.abs((value as number) - expected)).toBeLessThan(0.1);
    });
    expect(rsi(WILDER.slice(0, 14), 14)).toBeNull();
    expect(rsi(Array.from({ length: 30 }, (_, i) => 10 + i))).toBe(100);
  });

  it('gives MACD 7 / signal 7 / histogram 0 on a long unit ramp (EMA lags (n−1)/2)', () => {
    const result = macd(Array.from({ length: 400 }, (_, i) => i + 1));
    expect(result?.macd).toBeCloseTo(7, 6);
    expect(result?.signal).toBeCloseTo(7, 6);
    expect(result?.histogram).toBeCloseTo(0, 6);
    expect(macd(Array.from({ length: 33 }, () => 5))).toBeNull();
    expect(macd(Array.from({ length: 34 }, () => 5))).toEqual({ macd: 0, signal: 0, histogram: 0 });
  });

  it('annualises the sample standard deviation of log returns', () => {
    // Alternating ±r log returns: sample sd over n returns = r·sqrt(n/(n−1)).
    const r = 0.01;
    const closes = [100];
    for (let i = 0; i < 30; i++) closes.push((closes.at(-1) as number) * Math.exp(i % 2 === 0 ? r : -r));
    const expected = r * Math.sqrt(30 / 29) * Math.sqrt(252) * 100;
    expect(annualisedVolatility(closes, 30)).toBeCloseTo(expected, 8);
    expect(annualisedVolatility(closes, 90)).toBeNull();
    expect(
      annualisedVolatility(
        Array.from({ length: 40 }, () => 7),
        30,
      ),
    ).toBe(0);
  });

  it('finds the largest peak-to-trough fall', () => {
    expect(maxDrawdownPct([100, 120, 60, 90, 130, 117])).toBeCloseTo(-50, 10);
    expect(maxDrawdownPct([1, 2, 3])).toBe(0);
  });

  it('shifts ISO dates by calendar months, clamping the day', () => {
    expect(shiftIsoDate('2024-03-31', { months: -1 })).toBe('2024-02-29');
    expect(shiftIsoDate('2024-01-15', { months: -12 })).toBe('2023-01-15');
    expect(shiftIsoDate('2024-01-01', { days: -1 })).toBe('2023-12-31');
  });
});

describe('computeTechnicals', () => {
  it('computes every figure from 400 bars of a steady 0.1 %/day rise', () => {
    const closes = Array.from({ length: 400 }, (_, i) => 100 * 1.001 ** i);
    const bars = barsFrom('2024-01-01', closes);
    const last = bars.at(-1) as PriceBar;
    const t = computeTechnicals({ ticker: 'TEST', bars, source });

    expect(t.ticker).toBe('TEST');
    expect(t.asOf).toBe(last.date);
    expect(t.lastClose).toBe(last.close);
    expect(t.barsUsed).toBe(400);
    expect(t.sma20).toBeCloseTo(closes.slice(-20).reduce((a, b) => a + b) / 20, 3);
    expect(t.sma200).not.toBeNull();
    expect(t.rsi14).toBe(100);
    expect(t.macd?.macd).toBeGreaterThan(0);
    // 52-week high is the last bar's intraday high; the close sits 1 % under it.
    expect(t.high52w).toBeCloseTo(last.high, 10);
    expect(t.drawdownFromHighPct).toBeCloseTo((1 / 1.01 - 1) * 100, 2);
    expect(t.maxDrawdown1yPct).toBe(0);
    expect(t.volatility30dPct).toBe(0);
    expect(t.volatility90dPct).toBe(0);
    // ~21–22 weekdays in a month: a return of 1.001^n − 1 with n the bars since a month ago.
    const monthAgo = shiftIsoDate(last.date, { months: -1 });
    const n = bars.filter((b) => b.date > monthAgo).length;
    expect(t.return1mPct).toBeCloseTo((1.001 ** n - 1) * 100, 2);
    expect(t.return1yPct).toBeGreaterThan(t.return3mPct as number);
    expect(t.source.provider).toBe('fixture');
    expect(t.source.period).toBe(`${bars[0]?.date} to ${last.date}`);
  });

  it('uses only the last year for the 52-week range and the 1-year drawdown', () => {
    // Peak of 300 more than a year before the end, then a fall from 200 to 100 and a recovery to 150.
    const closes = [300, ...Array.from({ length: 300 }, () => 200), ...Array.from({ length: 10 }, () => 100), 150];
    const bars = barsFrom('2023-01-02', closes);
    const t = computeTechnicals({ ticker: 'TEST', bars, source });
    expect(t.high52w).toBeCloseTo(202, 6);
    expect(t.low52w).toBeCloseTo(99, 6);
    expect(t.maxDrawdown1yPct).toBeCloseTo(-50, 6);
    expect(t.drawdownFromHighPct).toBeCloseTo((150 / 202 - 1) * 100, 2);
  });

  it('returns null for indicators that need more history than given', () => {
    const bars = barsFrom('2024-06-03', [10, 11, 12, 11, 13]);
    const t = computeTechnicals({ ticker: 'TEST', bars, source });
    expect(t.sma20).toBeNull();
    expect(t.rsi14).toBeNull();
    expect(t.macd).toBeNull();
    expect(t.volatility30dPct).toBeNull();
    expect(t.return1mPct).toBeNull();
    expect(t.return1yPct).toBeNull();
    expect(t.low52w).toBeCloseTo(9.9, 6);
  });

  it('refuses fewer than two bars', () => {
    expect(() => computeTechnicals({ ticker: 'X', bars: barsFrom('2024-01-01', [1]), source })).toThrow(
      DataUnavailableError,
    );
  });
});
