import { describe, expect, it } from 'vitest';
import { getFigure } from '../../../src/research/analysts/lookup.js';
import { analyzeTechnicals, crossState } from '../../../src/research/analysts/technicals.js';
import { failed, nvdaBundle, nvdaTechnicals, ok, weakBundle } from '../../helpers/bundle-fixtures.js';

describe('technicals analyst', () => {
  it('derives price against each average and the 50/200 spread', () => {
    const f = analyzeTechnicals(nvdaBundle());
    expect(getFigure(f, 'last_close')).toMatchObject({ value: 214.72, unit: 'USD/share', period: '2026-08-21' });
    expect(getFigure(f, 'price_vs_sma200')?.value).toBeCloseTo((214.72 / 180.32 - 1) * 100, 3);
    expect(getFigure(f, 'price_vs_sma200')?.derived).toBe(true);
    expect(getFigure(f, 'sma50_vs_sma200')?.value).toBeCloseTo((200.08 / 180.32 - 1) * 100, 3);
    expect(getFigure(f, 'rsi14')).toMatchObject({ value: 58.37, unit: 'index' });
    expect(getFigure(f, 'return_1y')?.value).toBe(24.51);
    expect(getFigure(f, 'drawdown_from_high')?.value).toBe(-9.22);
  });

  it('reads an uptrend as bullish and a downtrend as bearish', () => {
    const up = analyzeTechnicals(nvdaBundle());
    expect(up.signal).toBe('bullish');
    expect(up.points).toContain('The 50-day average is above the 200-day average (golden-cross state).');
    const down = analyzeTechnicals(weakBundle());
    expect(down.signal).toBe('bearish');
    expect(down.points).toContain('RSI 14 reads 26.1, oversold territory.');
  });

  it('flags overbought RSI and names the cross state', () => {
    const b = nvdaBundle();
    b.technicals = ok(nvdaTechnicals({ rsi14: 78.2 }));
    expect(analyzeTechnicals(b).points).toContain('RSI 14 reads 78.2, overbought territory.');
    expect(crossState({ sma50: 1, sma200: 2 })).toBe('death');
    expect(crossState({ sma50: null, sma200: 2 })).toBe('unknown');
  });

  it('works with a short history (no 200-day average)', () => {
    const b = nvdaBundle();
    b.technicals = ok(nvdaTechnicals({ sma200: null, barsUsed: 120 }));
    const f = analyzeTechnicals(b);
    expect(getFigure(f, 'sma200')).toBeUndefined();
    expect(f.points).toContain('Too few daily bars were available for a 200-day average.');
  });

  it('degrades when the indicators failed', () => {
    const b = nvdaBundle();
    b.technicals = failed('MCP connection closed');
    const f = analyzeTechnicals(b);
    expect(f).toMatchObject({ signal: 'neutral', figures: [] });
    expect(f.degraded).toBe('The technical indicators for NVDA could not be fetched (MCP connection closed).');
    b.technicals = failed('The indicators could not be computed.');
    expect(analyzeTechnicals(b).degraded).toBe(
      'The technical indicators for NVDA could not be fetched (the indicators could not be computed).',
    );
    b.technicals = failed('HTTP 503 from upstream');
    expect(analyzeTechnicals(b).degraded).toBe(
      'The technical indicators for NVDA could not be fetched (the data tool returned an error).',
    );
  });
});
