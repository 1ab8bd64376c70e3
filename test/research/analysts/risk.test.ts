import { describe, expect, it } from 'vitest';
import { analyzeBundle } from '../../../src/research/analysts/index.js';
import { getFigure } from '../../../src/research/analysts/lookup.js';
import { analyzeRisk } from '../../../src/research/analysts/risk.js';
import { emptyBundle, failed, koBundle, nvdaBundle, weakBundle } from '../../helpers/bundle-fixtures.js';

describe('risk analyst', () => {
  it('reads volatility and drawdowns, and derives leverage and net debt', () => {
    const f = analyzeRisk(nvdaBundle());
    expect(getFigure(f, 'volatility_90d')).toMatchObject({ value: 44.13, unit: '%', period: '2026-08-21' });
    expect(getFigure(f, 'max_drawdown_1y')?.value).toBe(-30.61);
    expect(getFigure(f, 'debt_to_equity')?.value).toBeCloseTo(7_469 / 157_293, 4);
    expect(getFigure(f, 'net_debt')?.value).toBe(7_469e6 - 60_605e6);
  });

  it('sums insider selling over 12 months and flags one dominant seller', () => {
    const f = analyzeRisk(nvdaBundle());
    expect(getFigure(f, 'insider_sell_value_12m')).toMatchObject({
      value: 64_825_000,
      period: '12 months to 2026-08-15',
    });
    expect(getFigure(f, 'insider_buy_count_12m')?.value).toBe(0);
    const share = getFigure(f, 'insider_top_seller_share');
    expect(share?.value).toBeCloseTo(((15_750_000 + 15_375_000 + 17_000_000) / 64_825_000) * 100, 3);
    expect(f.points).toContain('Concentrated insider selling: one insider accounts for 74.2% of sale value.');
  });

  it('is bearish on high volatility, deep drawdowns, leverage and losses', () => {
    const f = analyzeRisk(weakBundle());
    expect(f.signal).toBe('bearish');
    expect(f.points).toContain('High leverage: debt is 3.0x equity in FY2025.');
    expect(f.points).toContain('Loss-making: net income was -$180.0M in FY2025.');
  });

  it('counts and names data gaps', () => {
    const f = analyzeRisk(koBundle());
    expect(getFigure(f, 'data_gaps')?.value).toBe(3);
    expect(f.points).toContain(
      'Data gaps: quarterly financial statements, analyst consensus, insider transactions (SEC Form 4).',
    );
    expect(f.signal).toBe('neutral');
  });

  it('degrades on failed inputs and on no data at all, never throwing', () => {
    const b = nvdaBundle();
    b.insider = failed('timeout');
    expect(analyzeRisk(b).degraded).toBe(
      'The insider transactions (SEC Form 4) for NVDA could not be fetched (the data tool timed out).',
    );
    const f = analyzeBundle('risk', emptyBundle());
    expect(f.degraded).toBe("No price, balance-sheet or insider data is available to assess ZZZZ's risks.");
    expect(getFigure(f, 'data_gaps')?.value).toBe(8);
  });
});
