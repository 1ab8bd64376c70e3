/**
 * Charts: pure functions from data to PNG (Vega-Lite → SVG → resvg, bundled DejaVu Sans font).
 */
export { CHART_FONT_FAMILY, chartFontFiles, measureText } from './fonts.js';
export { PERF_CHART_SIZE, type PerfChart, type PerfRun, renderPerfChart } from './perf-chart.js';
export { longDate, PRICE_CHART_SIZE, type PriceChart, type PriceChartInput, renderPriceChart } from './price-chart.js';
export { priceChartSpec } from './price-chart-spec.js';
export { buildPriceSeries, CHART_WINDOW_DAYS, type ChartDay, type PriceSeries } from './price-series.js';
export { type RenderedPng, renderSpec, specToSvg, svgToPng } from './render.js';
export { type RunChartSource, renderRunChart, runChartInput } from './run-chart.js';
export { publicSourceName, sourceLabel } from './source-label.js';
