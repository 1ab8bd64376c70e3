/**
 * The Vega-Lite specification of a price chart: a pure function from a {@link PriceSeries} to a spec. Two views
 * stacked on one time axis: closes with the 50- and 200-day moving averages, the 52-week high and low marked and the
 * analysts' mean price target as a dashed line (top); daily volume coloured by up and down days (bottom).
 *
 * The spec is laid out in "chart units" of {@link CHART_UNITS}; the PNG step scales it to the output size.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_FONT_FAMILY, measureText } from './fonts.js';
import { placeLabel } from './label-placement.js';
import { CHART_WINDOW_DAYS, type PriceSeries } from './price-series.js';

/** Logical size the spec is laid out for (the PNG is rendered at a multiple of it). */
export const CHART_UNITS = { width: 600, height: 350 } as const;

/** Colours of the series, chosen to stay apart for common colour-vision deficiencies. */
export const SERIES_COLOURS = {
  close: '#1f4e79',
  sma50: '#e8860c',
  sma200: '#8e44ad',
  target: '#555555',
  high: '#1a9850',
  low: '#c0392b',
  volumeUp: '#5fa878',
  volumeDown: '#d9826f',
} as const;

const SERIES = ['Close', '50-day average', '200-day average'] as const;

/** What the spec needs besides the series. */
export interface PriceChartSpecInput {
  series: PriceSeries;
  /** Title line, e.g. `NVDA · NVIDIA Corporation`. */
  title: string;
  /** Line under the title (date range and what is drawn). */
  subtitle: string;
  /** Short source line printed under the time axis. */
  footer: string;
  /** Analysts' mean price target, USD. */
  targetMean?: number;
}

const t = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);

/** Axis format: `$1,234` for prices of 20 and more, `$12.34` below. */
export function usdFormat(maxPrice: number): string {
  return maxPrice >= 20 ? '$,.0f' : '$,.2f';
}

/** Plain-text dollars for labels: `$1,234.56`. */
export function usd(value: number): string {
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function lineData(series: PriceSeries): { t: number; series: string; value: number }[] {
  const rows: { t: number; series: string; value: number }[] = [];
  for (const d of series.days) {
    const time = t(d.date);
    rows.push({ t: time, series: SERIES[0], value: d.close });
    if (d.sma50 !== null) rows.push({ t: time, series: SERIES[1], value: d.sma50 });
    if (d.sma200 !== null) rows.push({ t: time, series: SERIES[2], value: d.sma200 });
  }
  return rows;
}

type Encoding = Record<string, unknown>;

/** A text label drawn twice: a white outline first, then the text, so lines beneath never cross it. */
function haloText(datum: Record<string, number>, mark: Record<string, unknown>, encoding: Encoding): unknown[] {
  return [
    {
      data: { values: [datum] },
      mark: { type: 'text', ...mark, color: 'white', stroke: 'white', strokeWidth: 3 },
      encoding,
    },
    { data: { values: [datum] }, mark: { type: 'text', ...mark }, encoding },
  ];
}

/** Size of the price plot, chart units. */
const PLOT = { width: 520, height: 196 } as const;
const LABEL_FONT = { fontSize: 12, fontWeight: 'bold' } as const;

function extremeLayers(series: PriceSeries, domain: [number, number], targetMean?: number): unknown[] {
  const marks = [
    { label: `52-wk high ${usd(series.high.price)}`, mark: series.high, above: true, colour: SERIES_COLOURS.high },
    { label: `52-wk low ${usd(series.low.price)}`, mark: series.low, above: false, colour: SERIES_COLOURS.low },
  ];
  const plot = { ...PLOT, t0: t(series.start), t1: t(series.end), y0: domain[0], y1: domain[1] };
  const y = (v: number) => PLOT.height - ((v - domain[0]) / (domain[1] - domain[0] || 1)) * PLOT.height;
  const obstacles = {
    points: lineData(series).map((r) => ({ t: r.t, value: r.value })),
    rules: targetMean === undefined ? [] : [targetMean],
    // The target's own label, at the left end of its line (see targetLayers).
    boxes:
      targetMean === undefined
        ? []
        : [
            {
              left: TARGET_LABEL_X,
              right: TARGET_LABEL_X + measureText(LABEL_FONT, targetLabel(targetMean)),
              top: y(targetMean) - 3 - LABEL_FONT.fontSize - 2,
              bottom: y(targetMean),
            },
          ],
  };
  const encoding = { x: { field: 't', type: 'temporal' }, y: { field: 'value', type: 'quantitative' } };
  return marks.flatMap((m) => {
    const datum = { t: t(m.mark.date), value: m.mark.price };
    const width = measureText(LABEL_FONT, m.label);
    const spot = placeLabel(plot, datum, { width, fontSize: LABEL_FONT.fontSize }, obstacles, m.above);
    return [
      {
        data: { values: [datum] },
        mark: {
          type: 'point',
          shape: m.above ? 'triangle-down' : 'triangle-up',
          filled: true,
          size: 60,
          opacity: 1,
          color: m.colour,
          yOffset: m.above ? -5 : 5,
        },
        encoding,
      },
      ...haloText(datum, { text: m.label, ...spot, ...LABEL_FONT, color: m.colour }, encoding),
    ];
  });
}

const TARGET_LABEL_X = 4;

function targetLabel(targetMean: number): string {
  return `Analysts' mean target ${usd(targetMean)}`;
}

function targetLayers(targetMean: number): unknown[] {
  const datum = { value: targetMean };
  const encoding = { y: { field: 'value', type: 'quantitative' } };
  return [
    {
      data: { values: [datum] },
      mark: { type: 'rule', color: SERIES_COLOURS.target, strokeDash: [6, 4], strokeWidth: 1.5 },
      encoding,
    },
    ...haloText(
      datum,
      {
        text: targetLabel(targetMean),
        align: 'left',
        baseline: 'bottom',
        x: TARGET_LABEL_X,
        dy: -3,
        fontSize: 12,
        fontWeight: 'bold',
        color: SERIES_COLOURS.target,
      },
      encoding,
    ),
  ];
}

/**
 * The price axis' range, USD: every value drawn, with 12 % of the span added above and below for the 52-week labels,
 * never below zero.
 */
export function priceDomain(series: PriceSeries, targetMean?: number): [number, number] {
  const values = [series.high.price, series.low.price];
  if (targetMean !== undefined) values.push(targetMean);
  for (const d of series.days) {
    values.push(d.close);
    if (d.sma50 !== null) values.push(d.sma50);
    if (d.sma200 !== null) values.push(d.sma200);
  }
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.12;
  return niceDomain(Math.max(0, lo - pad), hi + pad);
}

/** Widen `[lo, hi]` to multiples of a round step (1, 2 or 5 × 10^k) giving about `count` ticks. */
export function niceDomain(lo: number, hi: number, count = 6): [number, number] {
  const raw = (hi - lo) / count || Math.abs(hi) || 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  const step = power * (error >= 7.07 ? 10 : error >= 3.16 ? 5 : error >= 1.41 ? 2 : 1);
  // Rounded to the step's decimals, so 0.1-steps do not come out as 0.30000000000000004.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const round = (v: number) => Number(v.toFixed(decimals));
  return [round(Math.floor(lo / step) * step), round(Math.ceil(hi / step) * step)];
}

/** Month ticks, labelled `Sep`, with the year on January and on the first tick. */
const MONTH_LABELS =
  "utcmonth(datum.value) == 0 || datum.index == 0 ? utcFormat(datum.value, '%b %Y') : utcFormat(datum.value, '%b')";

/**
 * Build the Vega-Lite spec of a price chart.
 * @example priceChartSpec({ series, title: 'NVDA · NVIDIA Corporation', subtitle: '…', footer: 'Source: …' })
 */
export function priceChartSpec(input: PriceChartSpecInput): TopLevelSpec {
  const { series } = input;
  const maxPrice = Math.max(series.high.price, input.targetMean ?? 0);
  const x = { field: 't', type: 'temporal', scale: { type: 'utc' } } as const;
  const lines = lineData(series);
  const colour = {
    field: 'series',
    type: 'nominal',
    scale: { domain: [...SERIES], range: [SERIES_COLOURS.close, SERIES_COLOURS.sma50, SERIES_COLOURS.sma200] },
    legend: { title: null, orient: 'top', direction: 'horizontal', labelFontSize: 12, symbolStrokeWidth: 3 },
  } as const;
  const domain = priceDomain(series, input.targetMean);
  const y = {
    field: 'value',
    type: 'quantitative',
    // The domain is already round: the label placement maps values with exactly this range.
    scale: { domain, nice: false, zero: false },
    axis: { title: 'USD per share', format: usdFormat(maxPrice), tickCount: 6 },
  } as const;
  const hiddenX = {
    ...x,
    axis: { labels: false, ticks: false, title: null, tickCount: { interval: 'month', step: 1 } },
  };
  const priceLayers: unknown[] = [
    // Averages first, so the close is drawn on top of them.
    {
      data: { values: lines.filter((r) => r.series !== SERIES[0]) },
      mark: { type: 'line', strokeWidth: 1.8 },
      encoding: { x: hiddenX, y, color: colour },
    },
    {
      data: { values: lines.filter((r) => r.series === SERIES[0]) },
      mark: { type: 'line', strokeWidth: 2.4 },
      encoding: { x: hiddenX, y, color: colour },
    },
    ...extremeLayers(series, domain, input.targetMean),
  ];
  if (input.targetMean !== undefined) priceLayers.push(...targetLayers(input.targetMean));
  const plotWidth = PLOT.width;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    background: 'white',
    padding: { left: 10, right: 18, top: 10, bottom: 6 },
    title: { text: input.title, subtitle: input.subtitle, anchor: 'start', offset: 6 },
    config: {
      font: CHART_FONT_FAMILY,
      view: { stroke: null },
      axis: {
        labelFontSize: 11,
        titleFontSize: 11,
        titleFontWeight: 'normal',
        titleColor: '#444',
        labelColor: '#333',
        gridColor: '#e8e8e8',
        domainColor: '#aaa',
        tickColor: '#aaa',
      },
      title: { fontSize: 17, subtitleFontSize: 12, subtitleColor: '#555', subtitlePadding: 4 },
      concat: { spacing: 4 },
    },
    resolve: { scale: { x: 'shared' } },
    vconcat: [
      { width: plotWidth, height: PLOT.height, layer: priceLayers },
      {
        width: plotWidth,
        height: 52,
        data: { values: series.days.map((d) => ({ t: t(d.date), volume: d.volume, up: d.up })) },
        mark: { type: 'bar', width: plotWidth / CHART_WINDOW_DAYS },
        encoding: {
          x: {
            ...x,
            axis: {
              title: input.footer,
              titleFontSize: 10,
              titleColor: '#666',
              titlePadding: 6,
              tickCount: { interval: 'month', step: 1 },
              labelExpr: MONTH_LABELS,
              labelOverlap: false,
              grid: false,
            },
          },
          y: {
            field: 'volume',
            type: 'quantitative',
            axis: { title: 'Volume', format: '~s', tickCount: 2, grid: false },
          },
          color: {
            condition: { test: 'datum.up', value: SERIES_COLOURS.volumeUp },
            value: SERIES_COLOURS.volumeDown,
          },
        },
      },
    ],
  } as TopLevelSpec;
}
