/**
 * The live performance page (issue 15, part 4): `GET /perf` on the metrics server (Socket Mode's server), over a
 * real run log with runs on three days. Without its token (bearer or `?token=`) it is refused with 401; with it, the
 * page is HTML that reloads itself, has one inline SVG chart per figure over time and the `/perf` figures. Debian's
 * `chromium`, when installed, renders it and the screenshot is checked not to be blank.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyPerf } from '../../src/metrics/daily.js';
import { type MetricsStore, openMetricsStore } from '../../src/metrics/store.js';
import type { RunRecord } from '../../src/metrics/types.js';
import { startMetricsServer } from '../../src/ops/metrics-http.js';
import { PERF_PAGE_PATH, perfPageCharts, perfPageHandler, renderPerfPage } from '../../src/ops/perf-page.js';
import { createRunMetrics } from '../../src/ops/run-metrics.js';

const TOKEN = 'perf-page-test-token';
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
let dir: string;
let store: MetricsStore;
let server: Server;
let url: string;
let seq = 0;

/** A finished run on `day` (Dec 2026) taking `seconds`, with `hits` of 8 tool calls from the cache. */
function run(day: number, seconds: number, hits: number, over: Partial<RunRecord> = {}): RunRecord {
  seq++;
  return {
    id: `r${seq}`,
    ticker: 'NVDA',
    via: 'test',
    startedAt: new Date(Date.UTC(2026, 11, day, 9, 0, seq)).toISOString(),
    durationMs: seconds * 1000,
    firstOutputMs: seconds * 100,
    stageMs: {},
    tools: { total: 8, made: 8 - hits, hits, coalesced: 0, errors: 0 },
    toolMs: { get_prices: [seconds * 10, seconds * 30], get_profile: [seconds * 5] },
    cacheKind: hits === 8 ? 'warm' : 'cold',
    usage: { inputTokens: 1000, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 500, costUsd: 0.02 },
    upstream: { requests: 8 - hits, bytes: 1000, throttled: 0, hosts: {} },
    errors: [],
    outcome: 'ok',
    ...over,
  };
}

const RUNS = [
  run(4, 40, 0),
  run(4, 20, 8),
  run(5, 30, 4),
  run(5, 10, 8),
  run(5, 12, 8),
  run(6, 8, 8),
  run(6, 9, 8, { outcome: 'rejected' }),
];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-perf-page-'));
  store = await openMetricsStore(path.join(dir, 'metrics.sqlite'), { history: false });
  for (const r of RUNS) await store.insert(r);
  const figures = { perfReport: () => store.perfReport(), recent: (n: number) => store.recent(n) };
  const handler = perfPageHandler({ figures, token: TOKEN, now: () => NOW });
  const served = await startMetricsServer(createRunMetrics().registry, {
    port: 0,
    host: '127.0.0.1',
    routes: [{ path: PERF_PAGE_PATH, handler }],
  });
  server = served.server;
  url = `http://127.0.0.1:${served.port}${PERF_PAGE_PATH}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the run records per day', () => {
  it('groups finished runs by UTC day, oldest first, with percentiles, hit rate, upstream, tokens and cost', () => {
    const days = dailyPerf([...RUNS].reverse());
    expect(days.map((d) => [d.day, d.runs])).toEqual([
      ['2026-12-04', 2],
      ['2026-12-05', 3],
      ['2026-12-06', 1],
    ]);
    const dec5 = days[1];
    expect(dec5?.p50DurationMs).toBe(12_000);
    expect(dec5?.p95DurationMs).toBeCloseTo(28_200, 6);
    expect(dec5?.p50FirstOutputMs).toBe(1_200);
    expect(dec5?.cacheHitRate).toBeCloseTo(20 / 24, 9);
    expect(dec5?.upstreamPerRun).toBeCloseTo(4 / 3, 9);
    expect(dec5?.tokens).toBe(4_500);
    expect(dec5?.costUsd).toBeCloseTo(0.06, 9);
    // get_prices on Dec 5: 300, 900, 100, 300, 120, 360 ms → median 300; get_profile: 150, 50, 60 → 60.
    expect(dec5?.tools).toEqual({ get_prices: { calls: 6, p50Ms: 300 }, get_profile: { calls: 3, p50Ms: 60 } });
    expect(perfPageCharts(days).map((c) => c.title)).toEqual([
      'Run duration per day',
      'Time to first output per day',
      'Cache hit rate per day',
      'Upstream requests per run',
      'Tool latency per day (median, busiest tools)',
      'Tokens per day',
      'Cost per day',
    ]);
  });

  it('draws no chart for a figure never recorded (no upstream requests before live data)', () => {
    const { upstream: _, ...before } = run(4, 10, 8);
    const days = dailyPerf([before]);
    expect(perfPageCharts(days).map((c) => c.title)).not.toContain('Upstream requests per run');
  });
});

describe('GET /perf', () => {
  it('is refused without the token, with another token, and answered with it as bearer or ?token=', async () => {
    const none = await fetch(url);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await fetch(`${url}?token=wrong`)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const bearer = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bearer.status).toBe(200);
    expect(bearer.headers.get('content-type')).toMatch(/^text\/html/);
    await bearer.text();
    expect((await fetch(`${url}?token=${TOKEN}`)).status).toBe(200);
  });

  it('serves HTML that reloads itself, with seven inline SVG charts and the /perf figures', async () => {
    const html = await (await fetch(`${url}?token=${TOKEN}`)).text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<meta http-equiv="refresh" content="30">');
    expect(html.match(/<svg\b/g)).toHaveLength(7);
    for (const title of ['Run duration per day', 'Cache hit rate per day', 'Tool latency per day', 'Cost per day']) {
      expect(html).toContain(title);
    }
    // The report's text as `npm run perf` prints it: 7 runs recorded, one of them rejected.
    expect(html).toContain('tickerdesk performance: 7 runs (ok 6, rejected 1)');
  });

  it('says, after a /perf reset, that its charts keep the earlier runs while the /perf text counts from the reset', async () => {
    const report = await store.perfReport();
    const figures = {
      perfReport: async () => ({ ...report, reset: { at: '2026-12-08T00:40:00.000Z', by: '<boss>' } }),
      recent: (n: number) => store.recent(n),
    };
    const html = await renderPerfPage(figures, NOW);
    expect(html).toContain(
      'The charts include the runs before the reset of 2026-12-08 00:40 UTC by &lt;boss&gt;; the /perf figures below count from it.',
    );
    expect(html.match(/<svg\b/g)).toHaveLength(7);
    expect(
      await renderPerfPage({ perfReport: async () => report, recent: (n: number) => store.recent(n) }, NOW),
    ).not.toContain('before the reset');
  });

  it('renders in headless Chromium with its charts drawn (skipped without Debian’s chromium)', async (ctx) => {
    const chromium = ['chromium', 'chromium-browser'].find((bin) =>
      (process.env.PATH ?? '').split(path.delimiter).some((d) => fs.existsSync(path.join(d, bin))),
    );
    if (!chromium) {
      console.warn('skipped: chromium is not installed (apt-get install chromium); the page was not rendered');
      ctx.skip();
      return;
    }
    const shot = path.join(dir, 'perf.png');
    await promisify(execFile)(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--hide-scrollbars',
        `--user-data-dir=${path.join(dir, 'chromium')}`,
        '--window-size=1000,1300',
        `--screenshot=${shot}`,
        `${url}?token=${TOKEN}`,
      ],
      { timeout: 60_000 },
    );
    if (process.env.PERF_PAGE_SCREENSHOT) fs.copyFileSync(shot, process.env.PERF_PAGE_SCREENSHOT);
    const png = PNG.sync.read(fs.readFileSync(shot));
    expect([png.width, png.height]).toEqual([1000, 1300]);
    // Not blank: many pixels differ from the page's background, and some are the charts' blue lines.
    let inked = 0;
    let blue = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b] = [png.data[i] as number, png.data[i + 1] as number, png.data[i + 2] as number];
      if (Math.abs(r - 250) + Math.abs(g - 250) + Math.abs(b - 250) > 30) inked++;
      if (b > 150 && r < 90 && g > 80 && g < 140) blue++;
    }
    const pixels = png.width * png.height;
    expect(inked / pixels).toBeGreaterThan(0.01);
    expect(blue).toBeGreaterThan(200);
  }, 90_000);
});
