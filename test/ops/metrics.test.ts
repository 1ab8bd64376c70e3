/**
 * Prometheus `/metrics` (issue 15, part 3): served by `startMetricsServer` (Socket Mode's server) over a real runtime on
 * the bundled data, the text is parsed by a Prometheus text-format parser, and its counters move with a run: runs by
 * outcome, duration and first-output histograms, tool calls by tool and cache result. With a token set, a request
 * without it (or with another) is refused with 401.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMetricsServer } from '../../src/ops/metrics-http.js';
import { observeRuns } from '../../src/ops/observe-runs.js';
import { createRunMetrics } from '../../src/ops/run-metrics.js';
import type { ResearchService } from '../../src/research/types.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { bundledConfig } from '../helpers/test-config.js';

const TOKEN = 'metrics-test-token';
let home: string;
let runtime: Runtime;
let research: ResearchService;
let server: Server;
let url: string;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-metrics-'));
  runtime = await createRuntime(bundledConfig({ TICKERDESK_HOME: home, WRITER: 'template' }));
  const metrics = createRunMetrics();
  research = observeRuns(runtime.research, [metrics.observe]);
  const served = await startMetricsServer(metrics.registry, { port: 0, token: TOKEN, host: '127.0.0.1' });
  server = served.server;
  url = `http://127.0.0.1:${served.port}/metrics`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await runtime?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

/** GET /metrics with the token, parsed. */
async function scrape(): Promise<Map<string, ParsedFamily>> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const families = parsePrometheusTextFormat(await res.text());
  return new Map(families.map((f) => [f.name, f]));
}

/** The value of `family`'s sample whose labels include `labels` (0 when there is none). */
function value(families: Map<string, ParsedFamily>, family: string, labels: Record<string, string> = {}): number {
  const sample = families
    .get(family)
    ?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return Number(sample?.value ?? 0);
}

/** Sum of `family`'s samples whose labels include `labels`. */
function total(families: Map<string, ParsedFamily>, family: string, labels: Record<string, string> = {}): number {
  return (families.get(family)?.metrics ?? [])
    .filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
    .reduce((n, m) => n + Number(m.value ?? 0), 0);
}

/** The observation count of a histogram without labels; its `+Inf` bucket must agree. */
function observations(families: Map<string, ParsedFamily>, family: string): number {
  const sample = families.get(family)?.metrics[0];
  expect(sample?.buckets?.['+Inf']).toBe(sample?.count);
  return Number(sample?.count ?? 0);
}

describe('GET /metrics', () => {
  it('is refused with 401 without the bearer token, or with another one', async () => {
    const without = await fetch(url);
    expect(without.status).toBe(401);
    expect(without.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await without.text()).not.toContain('tickerdesk_runs_total');
    const wrong = await fetch(url, { headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.status).toBe(401);
    const elsewhere = await fetch(url.replace('/metrics', '/other'), {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(elsewhere.status).toBe(404);
  });

  it('parses as Prometheus text, with typed families and Node default metrics, before any run', async () => {
    const before = await scrape();
    expect(before.get('tickerdesk_runs_total')?.type).toBe('COUNTER');
    expect(before.get('tickerdesk_run_duration_seconds')?.type).toBe('HISTOGRAM');
    expect(before.get('tickerdesk_run_first_output_seconds')?.type).toBe('HISTOGRAM');
    expect(before.get('tickerdesk_llm_cost_usd_total')?.type).toBe('COUNTER');
    // Every outcome and token kind is there from the start, at 0.
    expect(
      before
        .get('tickerdesk_runs_total')
        ?.metrics.map((m) => m.labels?.outcome)
        .sort(),
    ).toEqual(['cancelled', 'degraded', 'failed', 'ok', 'rejected']);
    expect(total(before, 'tickerdesk_runs_total')).toBe(0);
    expect(before.has('process_cpu_user_seconds_total')).toBe(true);
    expect(before.has('nodejs_heap_size_used_bytes')).toBe(true);
  });

  it('counts a cold run then a warm one: outcome, histograms, tool calls by tool and cache result', async () => {
    const first = await research.start('NVDA', { requester: { via: 'test' } }).result;
    const afterFirst = await scrape();
    expect(value(afterFirst, 'tickerdesk_runs_total', { outcome: first.outcome })).toBe(1);
    expect(total(afterFirst, 'tickerdesk_runs_total')).toBe(1);
    expect(observations(afterFirst, 'tickerdesk_run_duration_seconds')).toBe(1);
    expect(observations(afterFirst, 'tickerdesk_run_first_output_seconds')).toBe(1);
    // Every finished call of the run is counted once, by its tool: the cold run sent its calls to the server.
    const calls = afterFirst.get('tickerdesk_tool_calls_total')?.metrics ?? [];
    const finished = first.tools.hits + first.tools.misses + first.tools.coalesced + first.tools.errors;
    expect(total(afterFirst, 'tickerdesk_tool_calls_total')).toBe(finished + (first.tools.unavailable ?? 0));
    expect(total(afterFirst, 'tickerdesk_tool_calls_total', { cache: 'miss' })).toBe(first.tools.misses);
    expect(calls.every((m) => typeof m.labels?.tool === 'string' && m.labels.tool.length > 0)).toBe(true);
    // The template writer spends no tokens.
    expect(total(afterFirst, 'tickerdesk_llm_tokens_total')).toBe(0);

    const second = await research.start('NVDA', { requester: { via: 'test' } }).result;
    const afterSecond = await scrape();
    expect(total(afterSecond, 'tickerdesk_runs_total')).toBe(2);
    expect(observations(afterSecond, 'tickerdesk_run_first_output_seconds')).toBe(2);
    expect(observations(afterSecond, 'tickerdesk_run_duration_seconds')).toBe(2);
    // The warm run was answered from the cache: hits moved by its hits, misses did not move.
    expect(second.tools.misses).toBe(0);
    expect(total(afterSecond, 'tickerdesk_tool_calls_total', { cache: 'hit' })).toBe(
      total(afterFirst, 'tickerdesk_tool_calls_total', { cache: 'hit' }) + second.tools.hits,
    );
    expect(total(afterSecond, 'tickerdesk_tool_calls_total', { cache: 'miss' })).toBe(first.tools.misses);
  }, 60_000);

  it('counts a rejected ticker under its outcome', async () => {
    const before = await scrape();
    const handle = research.start('ZZZZQ', { requester: { via: 'test' } });
    await handle.result.catch(() => undefined);
    const after = await scrape();
    expect(value(after, 'tickerdesk_runs_total', { outcome: 'rejected' })).toBe(
      value(before, 'tickerdesk_runs_total', { outcome: 'rejected' }) + 1,
    );
    expect(observations(after, 'tickerdesk_run_duration_seconds')).toBe(
      observations(before, 'tickerdesk_run_duration_seconds') + 1,
    );
  }, 30_000);
});
