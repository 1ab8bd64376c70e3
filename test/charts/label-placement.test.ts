import { describe, expect, it } from 'vitest';
import { placeLabel } from '../../src/charts/label-placement.js';
import { niceDomain, priceDomain } from '../../src/charts/price-chart-spec.js';
import { buildPriceSeries } from '../../src/charts/price-series.js';
import { syntheticBars } from './helpers.js';

// A 100 × 100 plot mapping t 0–100 and values 0–100 one to one (y upwards).
const plot = { width: 100, height: 100, t0: 0, t1: 100, y0: 0, y1: 100 };
const size = { width: 30, fontSize: 10 };

describe('placeLabel', () => {
  it('puts a low label below-right of its point when nothing is there', () => {
    expect(placeLabel(plot, { t: 20, value: 50 }, size, { points: [], rules: [] }, false)).toEqual({
      align: 'left',
      dx: 7,
      dy: 18,
    });
    expect(placeLabel(plot, { t: 20, value: 50 }, size, { points: [], rules: [] }, true).dy).toBeLessThan(0);
  });

  it('flips to the left near the right edge', () => {
    expect(placeLabel(plot, { t: 90, value: 50 }, size, { points: [], rules: [] }, false).align).toBe('right');
  });

  it('moves away from a line that runs through the first spot', () => {
    // A flat line 15 units under the point crosses the near spot below (baseline 18 units down).
    const line = Array.from({ length: 101 }, (_, t) => ({ t, value: 35 }));
    const spot = placeLabel(plot, { t: 20, value: 50 }, size, { points: line, rules: [] }, false);
    expect(spot.dy).not.toBe(18);
  });

  it('avoids a horizontal rule', () => {
    const spot = placeLabel(plot, { t: 20, value: 50 }, size, { points: [], rules: [35] }, false);
    expect(spot.dy).not.toBe(18);
  });
});

describe('price axis range', () => {
  it('rounds to steps of 1, 2 or 5 × 10^k', () => {
    expect(niceDomain(63.2, 96.4)).toEqual([60, 100]);
    expect(niceDomain(0.31, 0.92)).toEqual([0.3, 1]);
    expect(niceDomain(1234, 2378)).toEqual([1200, 2400]);
  });

  it('covers every value drawn, the target too, and never goes below zero', () => {
    const series = buildPriceSeries(syntheticBars());
    const [lo, hi] = priceDomain(series, 400);
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(lo).toBeLessThanOrEqual(series.low.price);
    expect(hi).toBeGreaterThanOrEqual(400);
  });
});
