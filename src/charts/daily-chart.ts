/**
 * A small line chart of one figure per day (one or more series, e.g. p50 and p95), drawn with the same Vega-Lite →
 * SVG pipeline as every other chart, for the live performance page (inline SVG, no PNG).
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_FONT_FAMILY } from './fonts.js';
import { specToSvg } from './render.js';

/** One point: a day (`YYYY-MM-DD`), the series it belongs to, and its value in the chart's unit. */
export interface DailyPoint {
  day: string;
  series: string;
  value: number;
}

/** What a daily chart shows. */
export interface DailyChartInput {
  title: string;
  /** The y axis title, with its unit (`Seconds`, `Requests per run`). */
  unit: string;
  points: readonly DailyPoint[];
  /**
   * A d3 format for the y axis and tooltips (`.3~%`, `$,.3~r`). Significant digits (`r`), not a fixed number of
   * decimals: ticks 0.005 s apart read `0.005, 0.01, 0.015`, where `,.2~f` gave `0.01, 0.01, 0.01`.
   * @default ',.3~r'
   */
  format?: string;
}

const COLOURS = ['#2f6db3', '#e8860c', '#3a9a5b', '#b3362f'];

/** The Vega-Lite spec of a daily chart (points joined by lines, one colour per series). */
export function dailyChartSpec(input: DailyChartInput): TopLevelSpec {
  const format = input.format ?? ',.3~r';
  const series = [...new Set(input.points.map((p) => p.series))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    background: 'white',
    width: 380,
    height: 160,
    padding: { left: 8, right: 12, top: 8, bottom: 4 },
    title: { text: input.title, anchor: 'start' },
    config: {
      font: CHART_FONT_FAMILY,
      view: { stroke: null },
      axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', gridColor: '#e8e8e8' },
      title: { fontSize: 14 },
    },
    data: { values: input.points.map((p) => ({ ...p })) },
    mark: { type: 'line', point: true },
    encoding: {
      // Ordinal days: one tick per day with data, never two labels for one day.
      x: {
        field: 'day',
        type: 'ordinal',
        timeUnit: 'utcyearmonthdate',
        axis: { title: null, format: '%b %d', labelAngle: 0, labelOverlap: 'greedy' },
      },
      y: { field: 'value', type: 'quantitative', axis: { title: input.unit, format, tickCount: 5 } },
      color: {
        field: 'series',
        type: 'nominal',
        scale: { domain: series, range: COLOURS.slice(0, Math.max(1, series.length)) },
        legend: series.length > 1 ? { title: null, orient: 'top' } : null,
      },
      tooltip: [
        { field: 'day', type: 'temporal', timeUnit: 'utcyearmonthdate' },
        { field: 'series' },
        { field: 'value', type: 'quantitative', format },
      ],
    },
  } as TopLevelSpec;
}

/**
 * Render a daily chart to an SVG string.
 * @throws Error when Vega fails to render the spec.
 */
export function renderDailyChart(input: DailyChartInput): Promise<string> {
  return specToSvg(dailyChartSpec(input));
}
