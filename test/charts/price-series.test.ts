import { describe, expect, it } from 'vitest';
import { buildPriceSeries, CHART_WINDOW_DAYS } from '../../src/charts/price-series.js';
import { DataUnavailableError } from '../../src/errors.js';
import { computeTechnicals } from '../../src/mcp-server/analysis/technicals.js';
import { SYNTHETIC_SOURCE, syntheticBars } from './helpers.js';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function at<T>(items: readonly T[], i: number): T {
  const item = items.at(i);
  if (item === undefined) throw new Error(`no item at ${i}`);
  return item;
}

describe('buildPriceSeries', () => {
  const bars = syntheticBars();
  const last = at(bars, -1);

  it('keeps the last 12 months of days, oldest first, from bars in any order', () => {
    const series = buildPriceSeries([...bars].reverse());
    const windowStart = new Date(Date.parse(`${last.date}T00:00:00Z`) - CHART_WINDOW_DAYS * 864e5)
      .toISOString()
      .slice(0, 10);
    expect(series.end).toBe(last.date);
    expect(series.start > windowStart).toBe(true);
    expect(series.days.map((d) => d.date)).toEqual(bars.filter((b) => b.date > windowStart).map((b) => b.date));
    expect(series.lastClose).toBe(last.close);
  });

  it('computes the 50- and 200-day averages over all the bars given, warmed up before the window', () => {
    const series = buildPriceSeries(bars);
    const closes = bars.map((b) => b.close);
    expect(series.lastSma50).toBeCloseTo(mean(closes.slice(-50)), 6);
    expect(series.lastSma200).toBeCloseTo(mean(closes.slice(-200)), 6);
    const firstDay = at(series.days, 0);
    const i = bars.findIndex((b) => b.date === firstDay.date);
    expect(firstDay.sma200).toBeCloseTo(mean(closes.slice(i - 199, i + 1)), 6);
    expect(series.days.every((d) => d.sma50 !== null && d.sma200 !== null)).toBe(true);
  });

  it('leaves an average null until enough bars precede the day', () => {
    const short = bars.slice(-120);
    const series = buildPriceSeries(short);
    expect(series.days.every((d) => d.sma200 === null)).toBe(true);
    expect(series.days[48]?.sma50).toBeNull();
    expect(series.days[49]?.sma50).toBeCloseTo(mean(short.slice(0, 50).map((b) => b.close)), 6);
    expect(series.lastSma200).toBeNull();
  });

  it('marks the 52-week high and low where they were reached, from the bars or the technicals', () => {
    const series = buildPriceSeries(bars);
    const inWindow = bars.filter((b) => b.date >= series.start);
    const high = Math.max(...inWindow.map((b) => b.high));
    const low = Math.min(...inWindow.map((b) => b.low));
    expect(series.high).toEqual({ price: high, date: inWindow.find((b) => b.high === high)?.date });
    expect(series.low).toEqual({ price: low, date: inWindow.find((b) => b.low === low)?.date });

    const technicals = computeTechnicals({ ticker: 'TEST', bars, source: SYNTHETIC_SOURCE });
    const fromTa = buildPriceSeries(bars, technicals);
    expect(fromTa.high.price).toBe(technicals.high52w);
    expect(fromTa.low.price).toBe(technicals.low52w);
  });

  it('colours a day up when its close is at or above the previous close', () => {
    const series = buildPriceSeries(bars);
    const i = bars.findIndex((b) => b.date === series.days[5]?.date);
    expect(at(series.days, 5).up).toBe(at(bars, i).close >= at(bars, i - 1).close);
  });

  it('refuses fewer than two bars in plain words', () => {
    expect(() => buildPriceSeries(bars.slice(0, 1))).toThrow(DataUnavailableError);
    expect(() => buildPriceSeries([])).toThrow(/not enough daily prices/);
  });
});
