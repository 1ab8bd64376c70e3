import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { type PerfRun, perfChartSpec, renderPerfChart } from '../../src/charts/perf-chart.js';
import { specToSvg } from '../../src/charts/render.js';
import { DataUnavailableError } from '../../src/errors.js';
import { PNG_SIGNATURE } from './helpers.js';

function run(i: number, over: Partial<PerfRun> = {}): PerfRun {
  return {
    id: `run-${i}`,
    ticker: 'NVDA',
    startedAt: new Date(Date.UTC(2026, 10, 30, 9, i)).toISOString(),
    durationMs: 400 + i,
    cacheKind: 'warm',
    outcome: 'ok',
    ...over,
  };
}

describe('renderPerfChart', () => {
  it('charts finished runs with cold and warm medians', async () => {
    const records = [
      run(1, { cacheKind: 'cold', durationMs: 2000 }),
      run(2),
      run(3),
      run(4, { cacheKind: 'cold', durationMs: 3000 }),
      run(5, { outcome: 'running', durationMs: undefined as never }),
      run(6, { outcome: 'rejected', durationMs: 1 }),
      run(7, { outcome: 'cancelled', durationMs: 90_000 }),
    ];
    const chart = await renderPerfChart(records);
    expect(chart.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const decoded = PNG.sync.read(chart.png);
    expect([decoded.width, decoded.height]).toEqual([1000, 500]);
    expect(chart.medianMs).toEqual({ cold: 2500, warm: 402.5 });
    expect(chart.altText).toBe(
      "Bar chart of the last 4 research runs' durations. Cold runs: median 2.50 s. Warm runs: median 0.40 s.",
    );
  }, 30_000);

  it('says so when there is no finished run', async () => {
    await expect(renderPerfChart([run(1, { outcome: 'running', durationMs: undefined as never })])).rejects.toThrow(
      DataUnavailableError,
    );
  });
});

/** The median labels of the chart's SVG: text and the y of its baseline on the plot, pixels. */
async function medianLabels(records: PerfRun[]): Promise<Map<string, number>> {
  const svg = await specToSvg(perfChartSpec(records).spec);
  const labels = new Map<string, number>();
  for (const m of svg.matchAll(
    /<text[^>]*transform="translate\([\d.]+,([\d.-]+)\)"[^>]*>((?:cold|warm) median[^<]*)<\/text>/g,
  ))
    labels.set(m[2] ?? '', Number(m[1]));
  return labels;
}

/** Runs of the given kinds and durations (ms), oldest first. */
const runsOf = (spec: ['cold' | 'warm', number][]): PerfRun[] =>
  spec.map(([cacheKind, durationMs], i) => run(i + 1, { cacheKind, durationMs }));

describe('the median labels', () => {
  // Tried as a new user: `npm run perf -- --chart perf.png` with a cold median of 2.84 s and a warm one of 2.65 s
  // drew "cold median 2.84 s" over "warm median 2.65 s", neither readable.
  it('never overlap: two close medians get their labels on either side', async () => {
    const cases: [string, PerfRun[]][] = [
      [
        'close, mid-chart',
        runsOf([
          ['cold', 2840],
          ['cold', 2830],
          ['warm', 100],
          ['cold', 2930],
          ['warm', 170],
          ['warm', 6500],
          ['warm', 4500],
          ['warm', 1230],
          ['warm', 4050],
        ]),
      ],
      [
        'close, near the axis',
        runsOf([
          ['cold', 120],
          ['cold', 6000],
          ['cold', 130],
          ['warm', 90],
          ['warm', 110],
        ]),
      ],
      [
        'far apart',
        runsOf([
          ['cold', 5000],
          ['warm', 100],
          ['warm', 120],
        ]),
      ],
    ];
    for (const [name, records] of cases) {
      const labels = await medianLabels(records);
      expect(labels.size, name).toBe(2);
      const [a, b] = [...labels.values()];
      // An 11-pixel font: the baselines at least a line apart, and both within the 170-pixel plot.
      expect(Math.abs((a ?? 0) - (b ?? 0)), `${name}: ${[...labels.entries()].join(' / ')}`).toBeGreaterThanOrEqual(12);
      for (const y of [a, b]) expect(y ?? -1, name).toBeGreaterThanOrEqual(11);
      for (const y of [a, b]) expect(y ?? 999, name).toBeLessThanOrEqual(170);
    }
  });
});
