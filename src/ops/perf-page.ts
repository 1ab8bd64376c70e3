/**
 * The live performance page, `GET /perf` on the metrics server (Socket Mode's `METRICS_PORT` server, or a route of
 * the Slack HTTP app): the `/perf` figures as server-rendered HTML with charts over time (run duration p50/p95, time
 * to first output, cache hit rate, upstream requests per run, tool latency, tokens and cost per day), drawn from the run records
 * as inline SVG by the charts' Vega-Lite pipeline. The page reloads itself every 30 s. Protected by a token
 * (`PERF_PAGE_TOKEN`, else `METRICS_TOKEN`) given as `Authorization: Bearer <token>` or `?token=<token>`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { type DailyChartInput, type DailyPoint, renderDailyChart } from '../charts/daily-chart.js';
import { type DailyPerf, dailyPerf } from '../metrics/daily.js';
import { FIGURE_NAMES, formatPerfReport } from '../metrics/format.js';
import type { PerfReset } from '../metrics/marks.js';
import { bearerMatches, tokenMatches } from './metrics-http.js';
import type { PerfFigures } from './perf-report.js';

/** The page's path. */
export const PERF_PAGE_PATH = '/perf';
/** Seconds between the page's reloads. */
export const PERF_PAGE_REFRESH_S = 30;
/** Days of run records the charts cover. */
export const PERF_PAGE_DAYS = 30;
/** Most run records read for the charts (newest first). */
const MAX_RECORDS = 5000;

/** What the page needs. */
export interface PerfPageOptions {
  figures: PerfFigures;
  /** Required token (`PERF_PAGE_TOKEN`, else `METRICS_TOKEN`); unset: the page is open. */
  token?: string | undefined;
  /** The clock, for the 30-day window. @default Date.now */
  now?: () => number;
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** The points of `days` for the series whose value `pick` gives (days without a value left out). */
function series(days: readonly DailyPerf[], name: string, pick: (d: DailyPerf) => number | null): DailyPoint[] {
  return days.flatMap((d) => {
    const value = pick(d);
    return value === null ? [] : [{ day: d.day, series: name, value }];
  });
}

const secs = (ms: number | null): number | null => (ms === null ? null : ms / 1000);

/** Tools drawn on the latency chart: the most called over `days`, at most this many. */
const LATENCY_TOOLS = 4;

/** The {@link LATENCY_TOOLS} tools with the most calls over `days`, busiest first. */
function busiestTools(days: readonly DailyPerf[]): string[] {
  const calls = new Map<string, number>();
  for (const d of days)
    for (const [tool, t] of Object.entries(d.tools)) calls.set(tool, (calls.get(tool) ?? 0) + t.calls);
  return [...calls.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, LATENCY_TOOLS)
    .map(([tool]) => tool);
}

/** The page's charts, in order: each with at least one point (a figure never recorded has no chart). */
export function perfPageCharts(days: readonly DailyPerf[]): DailyChartInput[] {
  const charts: DailyChartInput[] = [
    {
      title: `${FIGURE_NAMES.duration} per day`,
      unit: 'Seconds',
      points: [
        ...series(days, 'p50', (d) => secs(d.p50DurationMs)),
        ...series(days, 'p95', (d) => secs(d.p95DurationMs)),
      ],
    },
    {
      title: `${FIGURE_NAMES.firstOutput} per day`,
      unit: 'Seconds',
      points: [
        ...series(days, 'p50', (d) => secs(d.p50FirstOutputMs)),
        ...series(days, 'p95', (d) => secs(d.p95FirstOutputMs)),
      ],
    },
    {
      title: 'Cache hit rate per day',
      unit: 'Tool calls from cache',
      format: '.3~%',
      points: series(days, 'hit rate', (d) => d.cacheHitRate),
    },
    {
      title: 'Upstream requests per run',
      unit: 'Requests per run',
      points: series(days, 'requests', (d) => d.upstreamPerRun),
    },
    {
      title: 'Tool latency per day (median, busiest tools)',
      unit: 'Seconds',
      points: busiestTools(days).flatMap((tool) => series(days, tool, (d) => secs(d.tools[tool]?.p50Ms ?? null))),
    },
    { title: 'Tokens per day', unit: 'Tokens', format: ',.0f', points: series(days, 'tokens', (d) => d.tokens) },
    { title: 'Cost per day', unit: 'US dollars', format: '$,.3~r', points: series(days, 'cost', (d) => d.costUsd) },
  ];
  return charts.filter((c) => c.points.length > 0);
}

/**
 * What the page says of a `/perf reset`: the charts keep every day of the window (a reset marks where the figures
 * count from, it deletes no run record), while the `/perf` text under them counts from the reset.
 */
function resetNote(reset: PerfReset | undefined): string {
  if (!reset) return '';
  const at = escapeHtml(`${reset.at.slice(0, 16).replace('T', ' ')} UTC`);
  return ` The charts include the runs before the reset of ${at} by ${escapeHtml(reset.by)}; the /perf figures below count from it.`;
}

/**
 * The page's HTML: the `/perf` figures and one inline SVG chart per figure over the last {@link PERF_PAGE_DAYS}
 * days of run records.
 * @throws when the run log cannot be read or a chart cannot be drawn.
 */
export async function renderPerfPage(figures: PerfFigures, now: number = Date.now()): Promise<string> {
  const since = new Date(now - PERF_PAGE_DAYS * 86_400_000).toISOString();
  const [report, records] = await Promise.all([figures.perfReport(), figures.recent(MAX_RECORDS)]);
  const days = dailyPerf(records.filter((r) => r.startedAt >= since));
  const svgs = await Promise.all(perfPageCharts(days).map((c) => renderDailyChart(c)));
  const charts =
    svgs.length > 0
      ? svgs.map((svg) => `<figure>${svg}</figure>`).join('\n')
      : '<p>No finished runs in the last 30 days yet: the charts appear after the first run.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="${PERF_PAGE_REFRESH_S}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tickerdesk performance</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; background: #fafafa; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
.note { color: #555; margin: 0 0 1rem; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
figure { margin: 0; background: white; border: 1px solid #ddd; padding: .5rem; }
pre { background: white; border: 1px solid #ddd; padding: 1rem; overflow-x: auto; }
</style>
</head>
<body>
<h1>tickerdesk performance</h1>
<p class="note">Per day over the last ${PERF_PAGE_DAYS} days (UTC), from the run records. Updated ${escapeHtml(
    new Date(now).toISOString().slice(0, 19).replace('T', ' '),
  )} UTC; this page reloads every ${PERF_PAGE_REFRESH_S} s.${resetNote(report.reset)}</p>
<div class="charts">
${charts}
</div>
<h2>/perf</h2>
<pre>${escapeHtml(formatPerfReport(report))}</pre>
</body>
</html>
`;
}

/** True when the request carries `token` as a bearer header or as `?token=`. */
function authorised(req: IncomingMessage, token: string): boolean {
  if (bearerMatches(req.headers.authorization, token)) return true;
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
  return tokenMatches(query, token);
}

/**
 * A request handler answering the page (200, text/html), 401 with `WWW-Authenticate: Bearer` without the token, or
 * 500 with the message when the run log cannot be read.
 */
export function perfPageHandler(options: PerfPageOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const now = options.now ?? Date.now;
  return (req, res) => {
    if (options.token && !authorised(req, options.token)) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="perf"' });
      res.end('Unauthorized: /perf needs ?token=<PERF_PAGE_TOKEN> or the header Authorization: Bearer <token>.\n');
      return;
    }
    renderPerfPage(options.figures, now()).then(
      (html) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : html);
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`Could not draw the performance page: ${err instanceof Error ? err.message : String(err)}\n`);
      },
    );
  };
}

/** `GET /perf` for Bolt's `customRoutes` on the HTTP receiver. */
export function perfPageRoute(options: PerfPageOptions): CustomRoute {
  return { path: PERF_PAGE_PATH, method: ['GET'], handler: perfPageHandler(options) };
}
