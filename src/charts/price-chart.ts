/**
 * A run's price chart as a PNG: the last 12 months of daily closes with the 50- and 200-day moving averages, volume
 * beneath, the 52-week high and low marked and the analysts' mean price target as a dashed line where there is one.
 * Titled with ticker, company and date range; 1200 × 700 px by default; a caption and alt text come with it.
 *
 * Data source: the bars of `get_price_history` (split-adjusted USD, volume in shares); the 52-week figures from
 * `analyze_stock` when given; the target from `get_analyst_ratings`. The averages are computed here.
 */
import { DataUnavailableError, ErrorCode, TickerdeskError } from '../errors.js';
import type { PriceBar, Source, TechnicalAnalysis } from '../mcp-server/shapes.js';
import { priceChartSpec, usd } from './price-chart-spec.js';
import { buildPriceSeries, type PriceSeries } from './price-series.js';
import { renderSpec } from './render.js';
import { publicSourceName, sourceLabel } from './source-label.js';

/** What {@link renderPriceChart} draws. */
export interface PriceChartInput {
  ticker: string;
  companyName?: string;
  /** Daily bars, any order; more than a year of them lets the 200-day average span the whole chart. */
  bars: readonly PriceBar[];
  /** The run's technical analysis: its 52-week high and low are marked (else computed from the bars). */
  technicals?: TechnicalAnalysis;
  /** Analysts' mean price target, USD. */
  targetMean?: number;
  /** Where the bars came from (named in the caption and under the chart). */
  source: Source;
  /** Output size in pixels. @default 1200 × 700 */
  size?: { width: number; height: number };
}

/** A rendered price chart. */
export interface PriceChart {
  /** PNG bytes. */
  png: Buffer;
  /** Pixels. */
  width: number;
  /** Pixels. */
  height: number;
  /** What the chart shows, in words, for screen readers (Slack `alt_text`). */
  altText: string;
  /** One line to print with the chart, naming the data source. */
  caption: string;
}

/** Default output size, pixels: readable at Slack's preview size. */
export const PRICE_CHART_SIZE = { width: 1200, height: 700 } as const;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2026-08-21` → `21 Aug 2026` (fixed English month names, independent of the ICU data). */
export function longDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[(m ?? 1) - 1]} ${y}`;
}

function altText(input: PriceChartInput, s: PriceSeries): string {
  const who = input.companyName ? `${input.companyName} (${input.ticker})` : input.ticker;
  const parts = [
    `Line chart of ${who} daily closing prices from ${longDate(s.start)} to ${longDate(s.end)}, with volume bars beneath.`,
    `Last close ${usd(s.lastClose)}.`,
    `52-week high ${usd(s.high.price)} on ${longDate(s.high.date)}; 52-week low ${usd(s.low.price)} on ${longDate(s.low.date)}.`,
  ];
  const averages = [
    s.lastSma50 === null ? null : `50-day average ${usd(s.lastSma50)}`,
    s.lastSma200 === null ? null : `200-day average ${usd(s.lastSma200)}`,
  ].filter((x): x is string => x !== null);
  if (averages.length > 0) parts.push(`${averages.join(', ')}.`);
  if (input.targetMean !== undefined) parts.push(`Analysts' mean price target ${usd(input.targetMean)}.`);
  return parts.join(' ');
}

/**
 * The caption shown in the channel: what the chart shows and the source's public name with its date
 * (`Daily prices: IBKR, to 2026-08-21`). File paths and commits are not for the channel; the report file's sources
 * section has them.
 */
function caption(input: PriceChartInput, s: PriceSeries): string {
  const extras = input.targetMean !== undefined ? '; price target: analysts’ consensus' : '';
  return (
    `${input.ticker} daily close, ${s.start} to ${s.end}, split-adjusted USD; moving averages by tickerdesk${extras}. ` +
    `Daily prices: ${publicSourceName(input.source)}, to ${input.source.asOf ?? s.end}.`
  );
}

/**
 * Render a run's price chart.
 * @throws DataUnavailableError with fewer than two bars; TickerdeskError (`tickerdesk_unknown`) when rendering fails.
 * @example const { png, altText } = await renderPriceChart({ ticker: 'NVDA', bars, source });
 */
export async function renderPriceChart(input: PriceChartInput): Promise<PriceChart> {
  const series = buildPriceSeries(input.bars, input.technicals);
  const size = input.size ?? PRICE_CHART_SIZE;
  const title = input.companyName ? `${input.ticker} · ${input.companyName}` : input.ticker;
  const subtitle = `Daily close, ${longDate(series.start)} – ${longDate(series.end)}, with 50- and 200-day moving averages`;
  const asOf = input.source.asOf ? `, as of ${input.source.asOf}` : '';
  const footer = `Source: ${sourceLabel(input.source)}${asOf} · split-adjusted USD · averages by tickerdesk`;
  const spec = priceChartSpec({
    series,
    title,
    subtitle,
    footer,
    ...(input.targetMean !== undefined ? { targetMean: input.targetMean } : {}),
  });
  try {
    const rendered = await renderSpec(spec, size.width, size.height);
    return { ...rendered, altText: altText(input, series), caption: caption(input, series) };
  } catch (err) {
    if (err instanceof DataUnavailableError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new TickerdeskError(ErrorCode.Unknown, `The price chart for ${input.ticker} could not be drawn: ${reason}`, {
      cause: err,
    });
  }
}
