import { describe, expect, it } from 'vitest';
import { analyzeFundamentals } from '../../../src/research/analysts/fundamentals.js';
import { getFigure, getFigures } from '../../../src/research/analysts/lookup.js';
import { failed, koBundle, nvdaBundle, unavailable, weakBundle } from '../../helpers/bundle-fixtures.js';

describe('fundamentals analyst on NVDA (SEC companyfacts)', () => {
  const f = analyzeFundamentals(nvdaBundle());

  it('reads the latest fiscal year as reported', () => {
    expect(getFigure(f, 'revenue')).toMatchObject({ value: 215_938e6, unit: 'USD', period: 'FY2026' });
    expect(getFigure(f, 'revenue', 'FY2024')?.value).toBe(60_922e6);
    expect(getFigure(f, 'revenue')?.source.provider).toBe('sec-companyfacts');
    expect(getFigure(f, 'net_income')?.value).toBe(120_067e6);
    expect(getFigure(f, 'eps_diluted')).toMatchObject({ value: 4.9, unit: 'USD/share', period: 'FY2026' });
    expect(getFigures(f, 'revenue').map((x) => x.period)).toEqual(['FY2026', 'FY2025', 'FY2024', 'FY2023']);
  });

  it('derives growth, CAGR and margins, naming the inputs', () => {
    const g = getFigure(f, 'revenue_growth_yoy', 'FY2024');
    expect(g?.value).toBeCloseTo(125.8545, 3);
    expect(g).toMatchObject({ unit: '%', derived: true });
    expect(g?.source.ref).toContain('revenue FY2024 ÷ revenue FY2023');
    const cagr = getFigure(f, 'revenue_cagr');
    expect(cagr?.period).toBe('FY2022–FY2026');
    expect(cagr?.value).toBeCloseTo(((215_938 / 26_914) ** (1 / 4) - 1) * 100, 3);
    expect(getFigure(f, 'gross_margin')?.value).toBeCloseTo((153_463 / 215_938) * 100, 3);
    expect(getFigure(f, 'operating_margin', 'FY2025')?.value).toBeCloseTo((81_453 / 130_497) * 100, 3);
    expect(getFigure(f, 'net_margin')?.value).toBeCloseTo((120_067 / 215_938) * 100, 3);
  });

  it('derives free cash flow, its margin, and net cash', () => {
    const fcf = getFigure(f, 'free_cash_flow');
    expect(fcf?.value).toBe(102_718e6 - 6_042e6);
    expect(fcf?.source.ref).toContain('operating cash flow − capex FY2026');
    expect(getFigure(f, 'fcf_margin')?.value).toBeCloseTo((96_676 / 215_938) * 100, 3);
    expect(getFigure(f, 'cash_and_investments')?.value).toBe(60_605e6);
    expect(getFigure(f, 'total_debt')).toMatchObject({ value: 7_469e6, label: 'Long-term debt' });
    expect(getFigure(f, 'net_cash')?.value).toBe(60_605e6 - 7_469e6);
  });

  it('reads the latest quarter and its growth on the same quarter a year earlier', () => {
    expect(getFigure(f, 'revenue_quarter')).toMatchObject({ value: 81_615e6, period: 'Q1 FY2027' });
    expect(getFigure(f, 'revenue_quarter_growth_yoy')?.value).toBeCloseTo((81_615 / 44_062 - 1) * 100, 3);
  });

  it('values the shares from the last close and the market snapshot, dated', () => {
    expect(getFigure(f, 'price')).toMatchObject({ value: 214.72, period: '2026-08-21' });
    const pe = getFigure(f, 'pe_ratio');
    expect(pe?.value).toBeCloseTo(214.72 / 4.9, 3);
    // Cites both sources of its value: the EPS's filing and the price's file.
    expect(pe?.source.ref).toBe(
      'derived: price 2026-08-21 ÷ diluted EPS FY2026 (from companyfacts CIK0001045810; and ibkr-heliar-k: data/prices/NVDA.csv)',
    );
    const ps = getFigure(f, 'ps_ratio');
    expect(ps?.period).toBe('2026-08-22');
    expect(ps?.value).toBeCloseTo(5_200_733_011_968 / 215_938e6, 3);
  });

  it('is bullish on fast growth and high margins despite a premium P/E', () => {
    expect(f.signal).toBe('bullish');
    expect(f.confidence).toBeGreaterThan(0.5);
    expect(f.degraded).toBeUndefined();
    expect(f.points[0]).toBe('Revenue was $215.94B in FY2026, +65.5% year over year.');
  });
});

describe('fundamentals analyst on weaker and thinner data', () => {
  it('is bearish on shrinking, loss-making statements and gives no P/E for negative EPS', () => {
    const f = analyzeFundamentals(weakBundle());
    expect(f.signal).toBe('bearish');
    expect(getFigure(f, 'pe_ratio')).toBeUndefined();
    expect(getFigure(f, 'free_cash_flow')?.value).toBe(-100e6);
    expect(f.points).toContain('P/E is not meaningful: diluted EPS FY2025 was negative or zero.');
  });

  it('is neutral on slow growth and says quarters are missing, without degrading', () => {
    const f = analyzeFundamentals(koBundle());
    expect(f.signal).toBe('neutral');
    expect(getFigure(f, 'revenue_quarter')).toBeUndefined();
    expect(getFigure(f, 'net_cash')?.value).toBe(10_828e6 - 44_000e6);
    expect(f.points).toContain('No quarterly financial statements are available for KO in the bundled data set.');
    expect(f.degraded).toBeUndefined();
  });

  it('gives the data server\'s known reason for missing statements instead of a generic "not available"', () => {
    const b = nvdaBundle();
    b.financialsAnnual = unavailable(
      'No financial statements in the bundled data set for NVDA (statements are reported in KRW, not USD).',
    );
    b.financialsQuarterly = unavailable(
      'No financial statements in the bundled data set for NVDA (statements are reported in KRW, not USD).',
    );
    const f = analyzeFundamentals(b);
    expect(f.degraded).toBe(
      'No annual financial statements are available for NVDA in the bundled data set: statements are reported in KRW, not USD.',
    );
    // A message with parentheses inside but no closing note has no known reason.
    b.financialsAnnual = unavailable('No company events (SEC 8-K filings) in the bundled data set for NVDA.');
    expect(analyzeFundamentals(b).degraded).toBe(
      'No annual financial statements are available for NVDA in the bundled data set.',
    );
  });

  it('degrades with a plain reason when the annual statements are missing or failed', () => {
    const b = nvdaBundle();
    b.financialsAnnual = unavailable('none');
    const f = analyzeFundamentals(b);
    expect(f).toMatchObject({ signal: 'neutral', confidence: 0.1 });
    expect(f.degraded).toBe('No annual financial statements are available for NVDA in the bundled data set.');
    expect(f.dataGap).toBe(f.degraded); // the data set lacks them: a gap, not a fault
    expect(f.figures.map((x) => x.name)).toEqual(['price', 'market_cap', 'pe_ratio']);
    expect(getFigure(f, 'pe_ratio')).toMatchObject({
      value: 32.88,
      period: '2026-08-22',
      label: 'P/E (market snapshot)',
    });
    expect(f.points).toContain('Only the last close and the market snapshot of 2026-08-22 are available.');
    b.profile = unavailable('none');
    // Without a snapshot the last close is still stated (the one price definition).
    expect(analyzeFundamentals(b).figures.map((x) => [x.name, x.value, x.period])).toEqual([
      ['price', 214.72, '2026-08-21'],
    ]);
    b.financialsAnnual = failed('The data tool get_company_financials did not answer within 5000 ms.');
    expect(analyzeFundamentals(b).degraded).toBe(
      'The annual financial statements for NVDA could not be fetched (the data tool timed out).',
    );
    expect(analyzeFundamentals(b).dataGap).toBeUndefined();
  });

  it('marks findings degraded when a secondary part failed, keeping its figures', () => {
    const b = nvdaBundle();
    b.financialsQuarterly = failed('connection closed');
    const f = analyzeFundamentals(b);
    expect(f.degraded).toContain('quarterly financial statements for NVDA could not be fetched (connection closed)');
    expect(getFigure(f, 'revenue')).toBeDefined();
  });

  it('keeps one row per fiscal year when a year repeats', () => {
    const b = nvdaBundle();
    if (b.financialsAnnual.status === 'ok') {
      const periods = b.financialsAnnual.data.periods;
      periods.splice(1, 0, { ...(periods[1] as (typeof periods)[number]) });
    }
    const f = analyzeFundamentals(b);
    expect(getFigures(f, 'revenue').map((x) => x.period)).toEqual(['FY2026', 'FY2025', 'FY2024', 'FY2023']);
  });

  it('falls back to the snapshot price and P/E when no prices or EPS exist', () => {
    const b = nvdaBundle();
    b.technicals = unavailable('none');
    b.prices = unavailable('none');
    b.analyst = unavailable('none');
    const annual = b.financialsAnnual.status === 'ok' ? b.financialsAnnual.data : undefined;
    if (annual?.periods[0]) delete annual.periods[0].items.epsDiluted;
    const f = analyzeFundamentals(b);
    expect(getFigure(f, 'price')).toMatchObject({ value: 214.72, period: '2026-08-22' });
    expect(getFigure(f, 'pe_ratio')).toMatchObject({ value: 32.88, label: 'P/E (market snapshot)' });
  });
});
