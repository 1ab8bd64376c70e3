import { describe, expect, it } from 'vitest';
import type { Figure } from '../../src/research/types.js';
import {
  formatCount,
  formatFigure,
  formatMultiple,
  formatPct,
  formatPerShare,
  formatShares,
  formatUsd,
  toFixedHalfUp,
  unbackedNumbers,
} from '../../src/writers/format.js';

const fig = (name: string, value: number, unit: Figure['unit']): Figure => ({
  name,
  label: name,
  value,
  unit,
  source: { provider: 'test', ref: 'test' },
});

describe('formatting', () => {
  it('formats USD with a scale, per-share prices, percentages and multiples', () => {
    expect(formatUsd(60_922e6)).toBe('$60.92B');
    expect(formatUsd(5_200_733_011_968)).toBe('$5.20T');
    expect(formatUsd(64_825_000)).toBe('$64.8M');
    expect(formatUsd(-180e6)).toBe('-$180.0M');
    expect(formatUsd(12_500)).toBe('$12.5K');
    expect(formatUsd(950)).toBe('$950');
    expect(formatPerShare(214.72)).toBe('$214.72');
    expect(formatPerShare(-1.8)).toBe('-$1.80');
    // Thousands are grouped, as a reader expects (MPWR's targets run to $2,100.00).
    expect(formatPerShare(1829.54)).toBe('$1,829.54');
    expect(formatPerShare(2100)).toBe('$2,100.00');
    expect(formatPerShare(-12345.678)).toBe('-$12,345.68');
    expect(formatPerShare(999.995)).toBe('$1,000.00');
    expect(formatUsd(9_999)).toBe('$9,999');
    expect(formatPct(125.8545)).toBe('125.9%');
    expect(formatPct(65.47, { signed: true })).toBe('+65.5%');
    expect(formatPct(-18.18, { signed: true })).toBe('-18.2%');
    expect(formatMultiple(43.82)).toBe('43.8x');
    expect(formatMultiple(0.0475)).toBe('0.05x');
    expect(formatCount(1234)).toBe('1,234');
    expect(formatShares(24_500_000)).toBe('24.5M shares');
  });

  it('rounds halves up on the decimal value, unlike toFixed', () => {
    expect((81.615).toFixed(2)).toBe('81.61');
    expect(toFixedHalfUp(81.615, 2)).toBe('81.62');
    expect(toFixedHalfUp(-2.345, 2)).toBe('-2.35');
    expect(toFixedHalfUp(1e-7, 2)).toBe('0.00');
  });

  it('formats a figure by its unit', () => {
    expect(formatFigure(fig('r', 60_922e6, 'USD'))).toBe('$60.92B');
    expect(formatFigure(fig('d', 85, 'days'))).toBe('85 days');
    expect(formatFigure(fig('m', 0.71, 'index'))).toBe('0.71');
    expect(formatFigure(fig('rsi', 58.37, 'index'))).toBe('58.4');
  });
});

describe('number check', () => {
  const figures = [
    fig('revenue', 60_922e6, 'USD'),
    fig('growth', 125.8545, '%'),
    fig('pe', 43.82, 'x'),
    fig('count', 58, 'count'),
    fig('dd', -9.22, '%'),
  ];

  it('accepts figures within their printed rounding, in any scale', () => {
    const text =
      'Revenue grew 125.9% to $60.92B in FY2024 (SEC 10-K); $60.9B, $61B or 60.922 billion dollars. 43.8x. 58 analysts. Down 9.2%.';
    expect(unbackedNumbers(text, figures)).toEqual([]);
  });

  it('flags invented or mis-rounded numbers and unit mismatches', () => {
    expect(unbackedNumbers('Revenue was $60.8B.', figures)).toEqual(['$60.8B']);
    expect(unbackedNumbers('Revenue will reach $999.99B.', figures)).toEqual(['$999.99B']);
    expect(unbackedNumbers('Margins of 43.8%.', figures)).toEqual(['43.8%']);
    expect(unbackedNumbers('About 17 analysts.', figures)).toEqual(['17']);
  });

  it('skips labels: dates, fiscal periods, forms, 8-K items, indicator names and windows', () => {
    const text =
      'On 2026-08-21 (FY2026, Q1 FY2027) the 10-K, 8-K and Form 4 filings, items 2.02, 5.02 and 9.01, SMA 50/200, ' +
      'RSI 14, MACD (12, 26, 9), the 52-week high, 200-day average, 1M and 1Y, the last 90 days and the 12 months to.';
    // Indicator windows read as numbers before a comma ("SMA 50/200,", "RSI 14,") are backed by the figures naming them.
    const indicators = [
      { ...fig('sma200', 1, 'USD/share'), label: 'SMA 200' },
      { ...fig('rsi14', 1, 'index'), label: 'RSI 14' },
    ];
    expect(unbackedNumbers(text, indicators)).toEqual([]);
  });

  it('ignores names that contain digits when told to', () => {
    // (A digit up to 10 is a small count and never checked, so the name here carries a larger number.)
    expect(unbackedNumbers('84 Lumber Co. grew 125.9%.', figures, ['84 Lumber Co.'])).toEqual([]);
    expect(unbackedNumbers('84 Lumber Co. grew 125.9%.', figures)).toEqual(['84']);
  });
});
