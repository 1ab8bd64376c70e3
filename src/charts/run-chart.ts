/**
 * The price chart of a research run: its input taken from the run's data bundle (prices, technical indicators,
 * analyst consensus), so every front end (CLI files, Slack thread) draws the same chart from the same data.
 */
import { DataUnavailableError } from '../errors.js';
import type { DataBundle } from '../research/types.js';
import { type PriceChart, type PriceChartInput, renderPriceChart } from './price-chart.js';

/** What a run's chart needs from the run (a `RunResult` fits). */
export interface RunChartSource {
  ticker: string;
  companyName?: string;
  bundle: DataBundle;
}

/**
 * The chart input of a run, or the plain reason there is none (no price history in the bundle). The company name
 * defaults to the bundle's profile name.
 */
export function runChartInput(run: RunChartSource): { input: PriceChartInput } | { reason: string } {
  const prices = run.bundle.prices;
  // The data's own words when it has none (said once: "no price history in the bundled data set"), else why it failed.
  if (prices.status === 'unavailable') return { reason: ownWords(prices.reason, run.ticker) };
  if (prices.status !== 'ok') return { reason: `no price history (${prices.reason})` };
  if (prices.data.bars.length < 2) return { reason: 'too few daily prices to draw' };
  const input: PriceChartInput = { ticker: run.ticker, bars: prices.data.bars, source: prices.data.source };
  const companyName =
    run.companyName ?? (run.bundle.profile.status === 'ok' ? run.bundle.profile.data.name : undefined);
  if (companyName) input.companyName = companyName;
  if (run.bundle.technicals.status === 'ok') input.technicals = run.bundle.technicals.data;
  const target = run.bundle.analyst.status === 'ok' ? run.bundle.analyst.data.targetMean : undefined;
  if (target !== undefined) input.targetMean = target;
  return { input };
}

/** `No price history in the bundled data set for KO.` → `no price history in the bundled data set`. */
function ownWords(reason: string, ticker: string): string {
  const text = reason
    .trim()
    .replace(/\.$/, '')
    .replace(new RegExp(` for ${ticker.replace('.', '\\.')}$`), '');
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * Render a run's price chart.
 * @throws DataUnavailableError when the run has no usable price history; TickerdeskError when rendering fails.
 */
export async function renderRunChart(run: RunChartSource): Promise<PriceChart> {
  const planned = runChartInput(run);
  if ('reason' in planned) {
    throw new DataUnavailableError(`There is no price chart for ${run.ticker}: ${planned.reason}.`);
  }
  return renderPriceChart(planned.input);
}
