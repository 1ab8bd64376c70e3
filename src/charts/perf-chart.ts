/**
 * `/perf` as a picture: the durations of the last runs, oldest on the left, cold runs (some data fetched) and warm
 * runs (all from cache) in two colours, with each kind's median as a dashed line. Data: the metrics store's run
 * records (`MetricsStore.recent(n)`); durations in seconds on the chart, ms in the records.
 */
import type { TopLevelSpec } from 'vega-lite';
import { DataUnavailableError, ErrorCode, TickerdeskError } from '../errors.js';
import type { RunRecord } from '../metrics/types.js';
import { CHART_FONT_FAMILY } from './fonts.js';
import { renderSpec } from './render.js';

/** The fields of a run record the chart reads. */
export type PerfRun = Pick<RunRecord, 'id' | 'ticker' | 'startedAt' | 'durationMs' | 'cacheKind' | 'outcome'>;

/** A rendered `/perf` chart. */
export interface PerfChart {
  png: Buffer;
  /** Pixels. */
  width: number;
  /** Pixels. */
  height: number;
  altText: string;
  /** Median duration of cold and warm runs, ms (null when there were none). */
  medianMs: { cold: number | null; warm: number | null };
}

/** Default output size, pixels. */
export const PERF_CHART_SIZE = { width: 1000, height: 500 } as const;

const COLOURS = { cold: '#2f6db3', warm: '#e8860c' } as const;

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/** Plot height of the chart, pixels (before it is scaled to the output size). */
const PLOT_HEIGHT = 170;
/** Two median labels closer than this on the plot (pixels) would overlap: one goes the other way. */
const LABEL_ROOM_PX = 16;

/** Where a median's label sits: above its dashed line (the default) or below it, and how far. */
export interface LabelPlace {
  baseline: 'bottom' | 'top';
  dy: number;
}

/**
 * Where the cold and warm median labels go so that they never overlap and stay on the plot (`maxSeconds` is the top
 * of the y axis): each above its line, or below it when the line is too near the top; when the two lines are closer
 * than a label's height, the higher label above and the lower one below, or, where the plot's edge leaves no room
 * for that, both on the same side a label's height apart.
 */
export function medianLabelPlaces(
  coldSeconds: number | null,
  warmSeconds: number | null,
  maxSeconds: number,
): { cold: LabelPlace; warm: LabelPlace } {
  const above: LabelPlace = { baseline: 'bottom', dy: -3 };
  const below: LabelPlace = { baseline: 'top', dy: 3 };
  const px = (s: number) => (maxSeconds > 0 ? (s / maxSeconds) * PLOT_HEIGHT : 0);
  const fitsAbove = (s: number) => PLOT_HEIGHT - px(s) >= LABEL_ROOM_PX;
  const fitsBelow = (s: number) => px(s) >= LABEL_ROOM_PX;
  const alone = (s: number | null) => (s === null || fitsAbove(s) ? above : below);
  const places = { cold: alone(coldSeconds), warm: alone(warmSeconds) };
  if (coldSeconds === null || warmSeconds === null) return places;
  if (Math.abs(px(coldSeconds) - px(warmSeconds)) >= LABEL_ROOM_PX) return places;
  const [lower, higher] = coldSeconds <= warmSeconds ? (['cold', 'warm'] as const) : (['warm', 'cold'] as const);
  const [low, high] = [Math.min(coldSeconds, warmSeconds), Math.max(coldSeconds, warmSeconds)];
  if (fitsAbove(high) && fitsBelow(low)) return { [higher]: above, [lower]: below } as typeof places;
  if (!fitsAbove(high))
    return { [higher]: below, [lower]: { baseline: 'top', dy: 3 + LABEL_ROOM_PX } } as typeof places;
  return { [lower]: above, [higher]: { baseline: 'bottom', dy: -3 - LABEL_ROOM_PX } } as typeof places;
}

/** The top of the chart's y axis for `values` (seconds): Vega's nice rounding (1, 2, 2.5, 5 × 10^k). */
function niceTop(values: readonly number[]): number {
  const max = Math.max(0, ...values);
  if (max === 0) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  const top = [1, 2, 2.5, 5, 10].map((m) => m * step).find((t) => t >= max) ?? 10 * step;
  // Vega's ticks at tickCount 5 land on a multiple of the tick step, which can sit below the next "nice" number.
  const tick = top / 5;
  return Math.ceil(max / tick) * tick;
}

/**
 * The Vega-Lite spec of the chart of finished runs (records in any order; running, rejected and cancelled ones are
 * left out, their durations say nothing about speed), with the medians it draws, ms.
 * @throws DataUnavailableError when no finished run has a duration.
 */
export function perfChartSpec(records: readonly PerfRun[]): {
  spec: TopLevelSpec;
  runs: number;
  cold: number | null;
  warm: number | null;
} {
  const runs = records
    .filter(
      (r) => r.durationMs !== undefined && (r.outcome === 'ok' || r.outcome === 'degraded' || r.outcome === 'failed'),
    )
    .sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
  if (runs.length === 0)
    throw new DataUnavailableError('No finished runs are recorded yet, so there is nothing to chart.');
  const rows = runs.map((r, i) => ({
    run: i + 1,
    label: `${r.ticker} ${r.startedAt.slice(5, 16).replace('T', ' ')}`,
    seconds: (r.durationMs as number) / 1000,
    kind: r.cacheKind === 'warm' ? 'warm (all cached)' : 'cold (data fetched)',
  }));
  const cold = median(runs.filter((r) => r.cacheKind !== 'warm').map((r) => r.durationMs as number));
  const warm = median(runs.filter((r) => r.cacheKind === 'warm').map((r) => r.durationMs as number));
  const medians = [
    ...(cold === null
      ? []
      : [
          {
            key: 'cold' as const,
            seconds: cold / 1000,
            kind: 'cold (data fetched)',
            text: `cold median ${seconds(cold)}`,
          },
        ]),
    ...(warm === null
      ? []
      : [
          {
            key: 'warm' as const,
            seconds: warm / 1000,
            kind: 'warm (all cached)',
            text: `warm median ${seconds(warm)}`,
          },
        ]),
  ];
  const places = medianLabelPlaces(
    cold === null ? null : cold / 1000,
    warm === null ? null : warm / 1000,
    niceTop(rows.map((r) => r.seconds)),
  );
  const colour = {
    field: 'kind',
    type: 'nominal',
    scale: { domain: ['cold (data fetched)', 'warm (all cached)'], range: [COLOURS.cold, COLOURS.warm] },
    legend: { title: null, orient: 'top', labelFontSize: 12, symbolType: 'square' },
  };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    background: 'white',
    padding: { left: 10, right: 16, top: 10, bottom: 6 },
    width: 430,
    height: PLOT_HEIGHT,
    title: {
      text: `tickerdesk: the last ${runs.length} run${runs.length === 1 ? '' : 's'}`,
      subtitle: 'Duration of each research run, oldest first; dashed lines: medians',
      anchor: 'start',
    },
    config: {
      font: CHART_FONT_FAMILY,
      view: { stroke: null },
      axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', gridColor: '#e8e8e8' },
      title: { fontSize: 16, subtitleFontSize: 12, subtitleColor: '#555' },
    },
    layer: [
      {
        data: { values: rows },
        mark: { type: 'bar', cornerRadiusEnd: 1 },
        encoding: {
          x: {
            field: 'run',
            type: 'ordinal',
            axis: { title: 'Run (oldest → newest)', labelAngle: 0, labelOverlap: 'greedy' },
          },
          y: { field: 'seconds', type: 'quantitative', axis: { title: 'Seconds', tickCount: 5 } },
          color: colour,
          tooltip: [{ field: 'label' }],
        },
      },
      {
        data: { values: medians },
        mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 1.5 },
        encoding: { y: { field: 'seconds', type: 'quantitative' }, color: colour },
      },
      // Each median's label twice: a white outline first so the bars never cross the text; placed apart when close.
      ...medians.flatMap((m) =>
        [{ color: 'white', stroke: 'white', strokeWidth: 4 }, {}].map((halo) => ({
          data: { values: [m] },
          mark: {
            type: 'text',
            align: 'right',
            ...places[m.key],
            x: 'width',
            fontSize: 11,
            fontWeight: 'bold',
            ...halo,
          },
          encoding: {
            y: { field: 'seconds', type: 'quantitative' },
            text: { field: 'text' },
            ...('color' in halo ? {} : { color: colour }),
          },
        })),
      ),
    ],
  } as TopLevelSpec;
  return { spec, runs: runs.length, cold, warm };
}

/**
 * Render the durations of finished runs (see {@link perfChartSpec}).
 * @throws DataUnavailableError when no finished run has a duration; TickerdeskError when rendering fails.
 */
export async function renderPerfChart(
  records: readonly PerfRun[],
  size: { width: number; height: number } = PERF_CHART_SIZE,
): Promise<PerfChart> {
  const { spec, runs, cold, warm } = perfChartSpec(records);
  const altText =
    `Bar chart of the last ${runs} research runs' durations.` +
    (cold === null ? '' : ` Cold runs: median ${seconds(cold)}.`) +
    (warm === null ? '' : ` Warm runs: median ${seconds(warm)}.`);
  try {
    const png = await renderSpec(spec, size.width, size.height);
    return { ...png, altText, medianMs: { cold, warm } };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new TickerdeskError(ErrorCode.Unknown, `The performance chart could not be drawn: ${reason}`, { cause: err });
  }
}
