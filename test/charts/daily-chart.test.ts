/**
 * The live performance page's daily charts read truthfully at small values. Tried as a new user: a desk whose runs
 * showed their first output after 7 ms (p50) and 20 ms (p95) drew a y axis labelled `0, 0.01, 0.01, 0.01, 0.02`
 * seconds, the fixed two decimals rounding the ticks 0.005 s apart into the same label. Each chart's y ticks must be
 * distinct, for times, a hit rate and a cost of a few cents.
 */
import { describe, expect, it } from 'vitest';
import { renderDailyChart } from '../../src/charts/daily-chart.js';
import type { DailyPerf } from '../../src/metrics/daily.js';
import { perfPageCharts } from '../../src/ops/perf-page.js';

/** The y axis's text of a Vega SVG (its tick labels, and its title: the second axis drawn is y). */
function yTickLabels(svg: string): string[] {
  const axes = svg.match(/role-axis-label[\s\S]*?<\/g><\/g>/g) ?? [];
  const y = axes[1] ?? '';
  return [...y.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? '');
}

const day = (d: string, over: Partial<DailyPerf>): DailyPerf => ({
  day: d,
  runs: 3,
  p50DurationMs: 2800,
  p95DurationMs: 5600,
  p50FirstOutputMs: 7,
  p95FirstOutputMs: 20,
  cacheHitRate: 0.02,
  upstreamPerRun: 1.2,
  tokens: 0,
  costUsd: 0.004,
  tools: { get_price_history: { calls: 3, p50Ms: 12 } },
  ...over,
});

describe('daily charts of the performance page', () => {
  it('label every y tick differently, however small the values', async () => {
    const days = [day('2026-12-06', {}), day('2026-12-07', { costUsd: 0.012, cacheHitRate: 0.03 })];
    const charts = perfPageCharts(days);
    const seen: string[] = [];
    for (const chart of charts) {
      const labels = yTickLabels(await renderDailyChart(chart)).filter((l) => l !== chart.unit);
      // Tokens are all 0 here: one tick. Every other chart has several, each its own label.
      if (chart.title !== 'Tokens per day') expect(labels.length, chart.title).toBeGreaterThan(2);
      expect(new Set(labels).size, `${chart.title}: ${labels.join(' | ')}`).toBe(labels.length);
      seen.push(`${chart.title}: ${labels.join(' | ')}`);
    }
    expect(seen).toContain('Time to first output per day: 0 | 0.005 | 0.01 | 0.015 | 0.02');
  });
});
