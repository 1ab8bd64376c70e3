import { describe, expect, it } from 'vitest';
import type { Figure } from '../../../src/research/types.js';
import {
  buildReference,
  checkNumbers,
  contradictedVerdicts,
  extractNumbers,
  markUnverified,
  UNVERIFIED_MARK,
} from '../../../src/writers/verify/index.js';

const src = { provider: 'sec-companyfacts', ref: '10-K' };
const fig = (name: string, value: number, unit: Figure['unit'], period?: string, label = name): Figure => ({
  name,
  label,
  value,
  unit,
  source: src,
  ...(period ? { period } : {}),
});

const figures: Figure[] = [
  fig('revenue', 60_922_000_000, 'USD', 'FY2024', 'Revenue'),
  fig('revenue', 26_974_000_000, 'USD', 'FY2023', 'Revenue'),
  fig('grossProfit', 44_301_000_000, 'USD', 'FY2024', 'Gross profit'),
  fig('pe', 45.2, 'x', undefined, 'P/E'),
  fig('price', 135.4, 'USD/share', '2026-08-21', 'Price'),
  fig('rsi14', 62.34, 'index', undefined, 'RSI (14)'),
  fig('return1y', -12.4, '%', undefined, 'Return (1y)'),
  fig('analystCount', 42, 'count', undefined, 'Analysts'),
];
const ref = buildReference(figures, ['2026-05-28T00:00:00Z']);
const unmatched = (text: string) => checkNumbers(text, ref, ['NVIDIA', 'NVDA']).unmatched.map((n) => n.text);

describe('extractNumbers', () => {
  it('reads amounts with their scale and precision', () => {
    const [a, b, c, d] = extractNumbers('Revenue was $60.9 billion (60,922 M, $60.92B); 9,999 USD.');
    expect(a).toMatchObject({ text: '$60.9 billion', kind: 'amount', value: 60.9e9, decimals: 1, currency: true });
    expect(a?.tolerance).toBeCloseTo(0.05e9, -3);
    expect(b).toMatchObject({ text: '60,922 M', kind: 'amount', value: 60_922e6, currency: false });
    expect(c).toMatchObject({ text: '$60.92B', value: 60.92e9, decimals: 2 });
    expect(d).toMatchObject({ text: '9,999 USD', kind: 'amount', value: 9999, currency: true });
  });

  it('reads percentages, multiples, negatives and dates', () => {
    const found = extractNumbers('Margin 61%, P/E of 45x, down -12.4% since Aug 21, 2026 and 2026-05-28.');
    expect(found.map((n) => [n.kind, n.value, n.date])).toEqual([
      ['percent', 61, undefined],
      ['multiple', 45, undefined],
      ['percent', -12.4, undefined],
      ['date', Number.NaN, '2026-08-21'],
      ['date', Number.NaN, '2026-05-28'],
    ]);
  });

  it('skips labels, years, windows, small ordinals and list markers', () => {
    const text = [
      '1. In FY2024 and Q3 FY2025 (fiscal 2025), the 8-K (Item 2.02) and Form 4 filings;',
      '2) the 50-day SMA 200 and RSI (14), MACD (12, 26, 9), a 52-week range over 90 days and 12 months;',
      'three of 4 analysts in 2024; an H100 order from NVIDIA (NVDA).',
    ].join('\n');
    expect(extractNumbers(text, ['NVIDIA', 'NVDA'])).toEqual([]);
  });
});

describe('checkNumbers', () => {
  it('accepts figures within the printed rounding, in every usual notation', () => {
    expect(unmatched('Revenue reached $60.9 billion, or 60,922 M, or $60.92B, or $61B in FY2024.')).toEqual([]);
    expect(unmatched('P/E of 45x (45.2x); price $135.40; RSI at 62.3; 42 analysts; as of 2026-08-21.')).toEqual([]);
    expect(unmatched('The stock is down 12.4% over the year (Return (1y)).')).toEqual([]);
  });

  it('accepts the change of a margin from the year before, in points', () => {
    const margins = buildReference([
      fig('gross_margin', 75.0, '%', 'FY2025', 'Gross margin'),
      fig('gross_margin', 71.1, '%', 'FY2026', 'Gross margin'),
      fig('gross_margin', 72.7, '%', 'FY2024', 'Gross margin'),
    ]);
    const bad = (t: string) => checkNumbers(t, margins).unmatched.map((n) => n.text);
    expect(bad('Gross margin fell 3.9 percentage points (390 bps) in FY2026 after rising 2.3 pp in FY2025.')).toEqual(
      [],
    );
    expect(bad('Gross margin rose 4.4 percentage points.')).toEqual(['4.4 percentage points']);
    // FY2024 to FY2026 skips a year: not a derived change.
    expect(bad('It narrowed by 3.9pp, and 1.6 percentage points over two years.')).toEqual(['1.6 percentage points']);
  });

  it('accepts derived growth and margins', () => {
    // 60,922 / 26,974 − 1 = 125.85 %; gross margin 44,301 / 60,922 = 72.7 %
    expect(unmatched('Revenue grew 125.9% (about 126%) with a 72.7% gross margin.')).toEqual([]);
  });

  it('flags numbers that match nothing, respecting units and precision', () => {
    expect(unmatched('A price target of 9,999 USD and revenue of $60.8B.')).toEqual(['9,999 USD', '$60.8B']);
    expect(unmatched('P/E of 61x while margin is 45%.')).toEqual(['61x', '45%']);
    expect(unmatched('Filed on 2026-01-02; a target of $9,999.')).toEqual(['2026-01-02', '$9,999']);
  });

  it('matches month dates against known dates of that month', () => {
    expect(unmatched('In August 2026 and May 2026, not March 2026.')).toEqual(['March 2026']);
  });

  it('matches a day without a year against known dates, and skips index and form names', () => {
    expect(unmatched('Results came on May 28. A filing on June 3rd.')).toEqual(['June 3rd']);
    expect(unmatched('It joined the S&P 500 and the Nasdaq-100 (proxy: DEF 14A; Rule 10b5-1 plans).')).toEqual([]);
  });
});

describe('checkNumbers on realistic research prose', () => {
  it('reads no labels, names or ranks as data', () => {
    const prose = [
      'Guidance for Q1 FY2027 and the 2024/25 outlook; the 50-day average and the 50/200-day crossover.',
      'It joined the S&P 500; the Form 10-K and Schedule 13D, the 13F and Section 16 filings; a two-for-one and a',
      '20-for-1 split; the RTX 5090 and CUDA 12 launch, Blackwell GB200 racks, GPT-4 demand after COVID-19;',
      'a top 3 and top 20 holder; demand runs 24/7.',
    ].join('\n');
    expect(unmatched(prose)).toEqual([]);
  });

  it('still flags invented amounts and multiples, also next to names', () => {
    expect(unmatched('A price target of $9,999 for the RTX 5090 maker.')).toEqual(['$9,999']);
    expect(unmatched('It trades at 45x earnings, a 61X multiple.')).toEqual(['61X']);
    expect(unmatched('Shares trade at 45x; analysts say 99x.')).toEqual(['99x']);
    expect(unmatched('A target of US$ 9,999, a 40bps cut and 17pp more.')).toEqual(['US$ 9,999', '40bps', '17pp']);
    expect(unmatched('RSI 71 while the return fell-12.4% and then down-13%.')).toEqual(['71', '-13%']);
  });

  it('reads US numeric dates as dates', () => {
    const [d] = extractNumbers('Filed on 8/21/2026.');
    expect(d).toMatchObject({ kind: 'date', date: '2026-08-21' });
    expect(unmatched('Filed on 5/28/2026, not 5/29/2026.')).toEqual(['5/29/2026']);
  });
});

describe('markUnverified', () => {
  it('marks each unmatched number in place and leaves the rest', () => {
    const text = 'Target 9,999 USD; revenue $60.9B; upside 80%.';
    const { unmatched: bad } = checkNumbers(text, ref);
    const marked = markUnverified(text, bad);
    expect(marked).toBe(`Target 9,999 USD ${UNVERIFIED_MARK}; revenue $60.9B; upside 80% ${UNVERIFIED_MARK}.`);
    expect(checkNumbers(marked, ref).unmatched).toHaveLength(2);
  });
});

describe('contradictedVerdicts', () => {
  it('flags a stated verdict other than the decided one, and nothing else', () => {
    expect(contradictedVerdicts('The verdict is Strong Sell. Revenue grew.', 'buy')).toEqual([
      { text: 'Strong Sell', start: 15, end: 26 },
    ]);
    expect(contradictedVerdicts('Verdict: **Buy**, with high confidence.', 'buy')).toEqual([]);
    expect(contradictedVerdicts('Our verdict is a Strong Buy.', 'buy').map((c) => c.text)).toEqual(['Strong Buy']);
    expect(contradictedVerdicts('We rate the shares a Hold.', 'sell').map((c) => c.text)).toEqual(['Hold']);
    // The analysts' consensus is data, not a claim of the verdict.
    expect(contradictedVerdicts('58 analysts give a consensus rating of strong buy.', 'hold')).toEqual([]);
    expect(contradictedVerdicts('The verdict is Hold. Analysts say sell.', 'hold')).toEqual([]);
  });
});
