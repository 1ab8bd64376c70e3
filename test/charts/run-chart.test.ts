import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderRunChart, runChartInput } from '../../src/charts/run-chart.js';
import { DataUnavailableError } from '../../src/errors.js';
import type { DataBundle, ResearchService } from '../../src/research/types.js';
import { bundledResearch } from '../report/bundled-run.js';
import { pngSize } from './helpers.js';

describe('the chart of a research run', () => {
  let research: ResearchService;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ research, close } = await bundledResearch());
  });
  afterAll(() => close());

  it('gets its data from the bundleReady event, before the analysts finish', async () => {
    const run = research.start('AAPL');
    const order: string[] = [];
    let bundle: DataBundle | undefined;
    run.on('bundleReady', (e) => {
      order.push('bundleReady');
      bundle = e.bundle;
    });
    run.on('analystFinished', () => order.push('analystFinished'));
    const result = await run.result;
    expect(order[0]).toBe('bundleReady');
    expect(order.filter((e) => e === 'bundleReady')).toHaveLength(1);
    expect(bundle).toBe(result.bundle);

    const planned = runChartInput({ ticker: 'AAPL', companyName: 'Apple Inc.', bundle: bundle as DataBundle });
    if (!('input' in planned)) throw new Error(planned.reason);
    expect(planned.input.technicals?.high52w).toBe(
      result.bundle.technicals.status === 'ok' ? result.bundle.technicals.data.high52w : NaN,
    );
    expect(planned.input.targetMean).toBeGreaterThan(0);
    // A year of closes plus the 200-day average's warm-up (the server sends at most its 500 newest daily bars).
    expect(planned.input.bars.length).toBeGreaterThanOrEqual(252 + 200);
    const chart = await renderRunChart({ ticker: 'AAPL', bundle: bundle as DataBundle });
    expect(pngSize(chart.png)).toEqual({ width: 1200, height: 700 });
    // Without a name given, the profile's name titles the chart.
    expect(chart.altText).toMatch(/^Line chart of Apple Inc\. \(AAPL\) daily closing prices/);
  }, 60_000);

  it('has no chart, in plain words, when the run has no prices', async () => {
    const result = await research.start('KO').result;
    const bundle: DataBundle = { ...result.bundle, prices: { status: 'failed', reason: 'timed out', source: 'x' } };
    expect(runChartInput({ ticker: 'KO', bundle })).toEqual({ reason: 'no price history (timed out)' });
    await expect(renderRunChart({ ticker: 'KO', bundle })).rejects.toThrow(DataUnavailableError);
    await expect(renderRunChart({ ticker: 'KO', bundle })).rejects.toThrow(
      'There is no price chart for KO: no price history (timed out).',
    );
    // Data that has none says so in its own words, once (was "no price history (No price history in … for KO.)").
    const none: DataBundle = {
      ...result.bundle,
      prices: { status: 'unavailable', reason: 'No price history in the bundled data set for KO.', source: 'x' },
    };
    expect(runChartInput({ ticker: 'KO', bundle: none })).toEqual({
      reason: 'no price history in the bundled data set',
    });
  }, 60_000);
});
