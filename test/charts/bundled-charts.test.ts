import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPriceChart } from '../../src/charts/price-chart.js';
import { buildPriceSeries } from '../../src/charts/price-series.js';
import { computeTechnicals } from '../../src/mcp-server/analysis/technicals.js';
import { createBundledProvider } from '../../src/mcp-server/providers/bundled.js';
import type { AnalystRatings } from '../../src/mcp-server/shapes.js';
import { planRequests } from '../../src/research/plan.js';
import { PNG_SIGNATURE, pngSize } from './helpers.js';

// The committed bundled data set (data/), read as the pipeline reads it.
const provider = createBundledProvider(join(import.meta.dirname, '../../data'));
const withPrices = Object.entries(provider.load().tickers)
  .filter(([, entry]) => entry.has.includes('prices'))
  .map(([ticker]) => ticker);

/** The bars a run on `today` fetches: the pipeline plan's `get_price_history` arguments. */
async function plannedBars(ticker: string, today: string) {
  const args = planRequests(ticker, today).find((p) => p.part === 'prices')?.request.args as { start: string };
  return provider.prices(ticker, { start: args.start });
}

describe('price charts of the bundled data set', () => {
  it('covers the tickers with prices', () => {
    expect(withPrices.length).toBeGreaterThanOrEqual(30);
    expect(withPrices).toEqual(expect.arrayContaining(['NVDA', 'AAPL', 'KO', 'BRK.B']));
  });

  it('renders every ticker with prices without error, as a 1200 × 700 PNG', async () => {
    for (const ticker of withPrices) {
      const prices = await plannedBars(ticker, '2026-11-30');
      const profile = await provider.profile(ticker).catch(() => undefined);
      const analyst: AnalystRatings | undefined = await provider.analystRatings(ticker).catch(() => undefined);
      const chart = await renderPriceChart({
        ticker,
        ...(profile ? { companyName: profile.name } : {}),
        bars: prices.bars,
        technicals: computeTechnicals({ ticker, bars: prices.bars, source: prices.source }),
        ...(analyst ? { targetMean: analyst.targetMean } : {}),
        source: prices.source,
      });
      expect(chart.png.subarray(0, 8).equals(PNG_SIGNATURE), ticker).toBe(true);
      expect(pngSize(chart.png), ticker).toEqual({ width: 1200, height: 700 });
      // The channel reads the source's public name and date; its file and commit are for the report file only.
      expect(chart.caption, ticker).toMatch(/Daily prices: (IBKR|Stooq), to \d{4}-\d{2}-\d{2}\.$/);
      expect(chart.caption, ticker).not.toContain(prices.source.ref);
      expect(chart.caption, ticker).not.toMatch(/@[0-9a-f]{7}|\.csv|heliar|tessera/);
    }
  }, 120_000);

  it('gets enough prices from the run plan for the 200-day average to span the whole chart', async () => {
    for (const ticker of ['NVDA', 'AAPL', 'KO']) {
      const prices = await plannedBars(ticker, '2026-11-30');
      const series = buildPriceSeries(prices.bars);
      expect(series.days.length, ticker).toBeGreaterThan(240);
      expect(
        series.days.every((d) => d.sma200 !== null),
        ticker,
      ).toBe(true);
    }
  });
});
