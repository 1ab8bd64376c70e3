/**
 * Test helpers for charts: a deterministic synthetic price series, PNG header reading, and bundled-data loading.
 */
import type { PriceBar, Source } from '../../src/mcp-server/shapes.js';

/** The 8-byte PNG signature. */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk (bytes 16–23). */
export function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** ISO date `days` after `start`, weekends skipped by the caller. */
function addDays(start: string, days: number): string {
  return new Date(Date.parse(`${start}T00:00:00Z`) + days * 864e5).toISOString().slice(0, 10);
}

/**
 * Weekday bars from `start`, `count` of them: a gentle uptrend with two waves, so the chart has a clear high, low
 * and crossing averages. Deterministic (no randomness).
 */
export function syntheticBars(count = 520, start = '2024-09-02'): PriceBar[] {
  const bars: PriceBar[] = [];
  let day = 0;
  while (bars.length < count) {
    const date = addDays(start, day++);
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (dow === 0 || dow === 6) continue;
    const i = bars.length;
    const close = 100 + i * 0.12 + 18 * Math.sin(i / 40) + 6 * Math.sin(i / 7);
    const open = close - 1.5 * Math.sin(i / 3);
    bars.push({
      date,
      open: Number(open.toFixed(2)),
      high: Number((Math.max(open, close) + 1.2).toFixed(2)),
      low: Number((Math.min(open, close) - 1.2).toFixed(2)),
      close: Number(close.toFixed(2)),
      volume: Math.round(40e6 + 15e6 * Math.sin(i / 5) + 10e6 * Math.cos(i / 17)),
    });
  }
  return bars;
}

/** A source for synthetic bars. */
export const SYNTHETIC_SOURCE: Source = {
  provider: 'fixture',
  ref: 'test/charts/helpers.ts syntheticBars()',
  asOf: '2026-08-21',
};
