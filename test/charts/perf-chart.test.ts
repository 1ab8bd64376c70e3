import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { type PerfRun, renderPerfChart } from '../../src/charts/perf-chart.js';
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
