import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { renderPriceChart } from '../../src/charts/price-chart.js';
import { fitSvg, svgToPng } from '../../src/charts/render.js';
import { publicSourceName, sourceLabel } from '../../src/charts/source-label.js';
import { DataUnavailableError, TickerdeskError } from '../../src/errors.js';
import { computeTechnicals } from '../../src/mcp-server/analysis/technicals.js';
import { PNG_SIGNATURE, pngSize, SYNTHETIC_SOURCE, syntheticBars } from './helpers.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/charts');
const EXPECTED = join(FIXTURES, 'synthetic-expected.png');

/** The fixed chart the stored image was rendered from. */
function fixedChart() {
  const bars = syntheticBars();
  return renderPriceChart({
    ticker: 'TEST',
    companyName: 'Synthetic Example Corp.',
    bars,
    technicals: computeTechnicals({ ticker: 'TEST', bars, source: SYNTHETIC_SOURCE }),
    targetMean: 175,
    source: SYNTHETIC_SOURCE,
  });
}

describe('renderPriceChart', () => {
  it('draws a 1200 × 700 PNG with alt text and a caption naming the source', async () => {
    const chart = await fixedChart();
    expect(chart.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect([chart.width, chart.height]).toEqual([1200, 700]);
    const decoded = PNG.sync.read(chart.png);
    expect([decoded.width, decoded.height]).toEqual([1200, 700]);
    expect(chart.png.length).toBeGreaterThan(20_000);

    expect(chart.altText).toMatch(/^Line chart of Synthetic Example Corp\. \(TEST\) daily closing prices from /);
    expect(chart.altText).toContain('52-week high $');
    expect(chart.altText).toContain('200-day average $');
    expect(chart.altText).toContain("Analysts' mean price target $175.00.");
    expect(chart.caption).toMatch(/^TEST daily close, \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}, split-adjusted USD; /);
    expect(chart.caption).toContain('Daily prices: fixture, to 2026-08-21.');
    expect(chart.caption).not.toContain('test/charts/helpers.ts');
  }, 30_000);

  it('matches the stored image of a fixed chart within a small pixel tolerance', async () => {
    const chart = await fixedChart();
    if (process.env.UPDATE_CHART_FIXTURES === '1' || !existsSync(EXPECTED)) {
      // Regenerate deliberately (UPDATE_CHART_FIXTURES=1), then look at the image before committing it.
      mkdirSync(FIXTURES, { recursive: true });
      writeFileSync(EXPECTED, chart.png);
      if (process.env.CI) throw new Error(`The expected chart image was missing: ${EXPECTED}`);
    }
    const actual = PNG.sync.read(chart.png);
    const expected = PNG.sync.read(readFileSync(EXPECTED));
    expect([actual.width, actual.height]).toEqual([expected.width, expected.height]);
    const diff = pixelmatch(actual.data, expected.data, undefined, actual.width, actual.height, { threshold: 0.1 });
    // Anti-aliasing may differ across resvg builds; a changed layout moves far more than 0.5 % of the pixels.
    expect(diff / (actual.width * actual.height)).toBeLessThan(0.005);
  }, 30_000);

  it('differs clearly from the stored image when the data change', async () => {
    const bars = syntheticBars().map((b, i) => ({ ...b, close: b.close + (i % 50) }));
    const chart = await renderPriceChart({ ticker: 'TEST', bars, source: SYNTHETIC_SOURCE });
    const actual = PNG.sync.read(chart.png);
    const expected = PNG.sync.read(readFileSync(EXPECTED));
    const diff = pixelmatch(actual.data, expected.data, undefined, actual.width, actual.height, { threshold: 0.1 });
    expect(diff / (actual.width * actual.height)).toBeGreaterThan(0.01);
  }, 30_000);

  it('renders at a requested size, and without a target or a company name', async () => {
    const chart = await renderPriceChart({
      ticker: 'TEST',
      bars: syntheticBars(300),
      source: SYNTHETIC_SOURCE,
      size: { width: 600, height: 350 },
    });
    expect(pngSize(chart.png)).toEqual({ width: 600, height: 350 });
    expect(chart.altText).toMatch(/^Line chart of TEST daily/);
    expect(chart.altText).not.toContain('target');
  }, 30_000);

  it('says in plain words when there are too few prices', async () => {
    await expect(
      renderPriceChart({ ticker: 'TEST', bars: syntheticBars(1), source: SYNTHETIC_SOURCE }),
    ).rejects.toThrow(DataUnavailableError);
  });

  it('turns a renderer failure into a TickerdeskError naming the ticker', async () => {
    const bars = syntheticBars(300).map((b, i) => (i === 120 ? { ...b, close: Number.NaN } : b));
    const failing = renderPriceChart({
      ticker: 'TEST',
      bars,
      source: SYNTHETIC_SOURCE,
      size: { width: 0, height: 0 },
    });
    await expect(failing).rejects.toThrow(TickerdeskError);
    await expect(failing).rejects.toThrow(/The price chart for TEST could not be drawn/);
  }, 30_000);
});

describe('fitSvg and svgToPng', () => {
  it('fits any SVG into an exact canvas, centred, on white', async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="100" fill="black"/></svg>';
    const png = await svgToPng(fitSvg(svg, 300, 100));
    expect([png.width, png.height]).toEqual([300, 100]);
    const { data } = PNG.sync.read(png.png);
    const at = (x: number, y: number) => data[(y * 300 + x) * 4];
    expect(at(10, 50)).toBe(255); // white margin left
    expect(at(150, 50)).toBe(0); // black square centred
    expect(at(290, 50)).toBe(255); // white margin right
  });

  it('refuses an SVG without a size', () => {
    expect(() => fitSvg('<svg xmlns="http://www.w3.org/2000/svg"></svg>', 10, 10)).toThrow(/no width and height/);
  });
});

describe('source names of the live providers', () => {
  it('names Yahoo, Stooq and Finnhub as people spell them, not by their ids', () => {
    // Regression: the report file's sources read "[yahoo](…)" and "[finnhub](…)", the chart caption "Daily prices:
    // yahoo, to 2026-08-21."
    expect(['yahoo', 'stooq', 'finnhub'].map((provider) => publicSourceName({ provider }))).toEqual([
      'Yahoo Finance',
      'Stooq',
      'Finnhub',
    ]);
    expect(sourceLabel({ provider: 'yahoo' })).toBe('Yahoo Finance daily prices');
  });
});
