import { describe, expect, it } from 'vitest';
import {
  aggregateBars,
  compactFinancials,
  compactPrices,
  expandFinancials,
  expandPrices,
  MAX_PRICE_BARS,
} from '../../src/mcp-server/compact.js';
import { createBundledProvider } from '../../src/mcp-server/providers/bundled.js';
import { bundledConfig } from '../helpers/test-config.js';

const provider = createBundledProvider(bundledConfig({}).dataDir);
const withKind = (kind: string) =>
  Object.entries(provider.load().tickers)
    .filter(([, entry]) => entry.has.includes(kind as never))
    .map(([ticker]) => ticker);

describe('compact statements', () => {
  it('lose nothing: every bundled statement period expands back to itself, every value with its source, and list the sources cited', async () => {
    const tickers = withKind('financials');
    expect(tickers.length).toBeGreaterThan(20);
    let periods = 0;
    for (const ticker of tickers) {
      for (const period of ['annual', 'quarterly'] as const) {
        const full = await provider.financials(ticker, period, 50).catch(() => undefined);
        if (!full) continue;
        periods += full.periods.length;
        const expanded = expandFinancials(compactFinancials(full));
        expect(expanded.periods, `${ticker} ${period}`).toEqual(full.periods);
        const cited = new Set(full.periods.flatMap((p) => Object.values(p.items).map((v) => v?.source.ref)));
        expect(new Set(expanded.sources.map((s) => s.ref)), `${ticker} ${period}`).toEqual(cited);
      }
    }
    expect(periods).toBeGreaterThan(300);
  });

  it('name each source once per period, most-cited first, and are a fraction of the full size', async () => {
    const full = await provider.financials('AAPL', 'quarterly', 12);
    const compact = compactFinancials(full);
    for (const p of compact.periods) {
      const keys = p.sources.map((s) => JSON.stringify({ ...s, items: [] }));
      expect(new Set(keys).size).toBe(keys.length);
      const counts = p.sources.map((s) => s.items.length);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
      expect(p.sources.flatMap((s) => s.items).sort()).toEqual(Object.keys(p.values).sort());
    }
    expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(full).length / 2);
  });
});

describe('compact prices', () => {
  it('keep daily bars under the cap exactly', async () => {
    const history = await provider.prices('NVDA');
    const compact = compactPrices(history, 'daily');
    expect(compact.bars.length).toBe(history.bars.length);
    expect(expandPrices(compact)).toEqual(history);
  });

  it('keep the newest MAX_PRICE_BARS bars and say what was left out', async () => {
    const history = await provider.prices('NVDA', { start: '1990-01-01' });
    expect(history.bars.length).toBeGreaterThan(MAX_PRICE_BARS);
    const compact = compactPrices(history, 'daily');
    expect(compact.bars).toHaveLength(MAX_PRICE_BARS);
    expect(compact.bars.at(-1)?.[0]).toBe(history.bars.at(-1)?.date);
    expect(compact.barsMatched).toBe(history.bars.length);
    expect(compact.note).toMatch(/^Capped at 500 bars: \d+ daily bars matched/);
  });

  it('aggregate a week across a month end into one bar, and months apart', () => {
    const bar = (date: string, v: number) => ({ date, open: v, high: v + 1, low: v - 1, close: v + 0.5, volume: 10 });
    // Thursday 2026-07-30, Friday 2026-07-31, Monday 2026-08-03.
    const days = [bar('2026-07-30', 10), bar('2026-07-31', 12), bar('2026-08-03', 11)];
    expect(aggregateBars(days, 'weekly')).toEqual([
      { date: '2026-07-31', open: 10, high: 13, low: 9, close: 12.5, volume: 20 },
      { date: '2026-08-03', open: 11, high: 12, low: 10, close: 11.5, volume: 10 },
    ]);
    expect(aggregateBars(days, 'monthly').map((b) => b.date)).toEqual(['2026-07-31', '2026-08-03']);
    expect(aggregateBars(days, 'daily')).toEqual(days);
  });
});
