/**
 * Prometheus upstream metrics (issue 15, part 3) over a real runtime whose live providers point at the SEC and price
 * stand-ins: a cold run of a ticker the bundle lacks moves `tickerdesk_upstream_requests_total` by host and status,
 * `tickerdesk_upstream_throttled_total` by the 429 the SEC stand-in answered and `tickerdesk_upstream_bytes_total` by
 * the bytes it sent, each equal to what the stand-ins logged; a warm rerun moves none of them. The tool cache's
 * entries and bytes (the SQLite file) grow with the cold run's answers and stay put on the warm one. The text is
 * read with a Prometheus text-format parser.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { observeRuns } from '../../src/ops/observe-runs.js';
import { createRunMetrics, type RunMetrics } from '../../src/ops/run-metrics.js';
import type { ResearchService } from '../../src/research/types.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { bundleWithout, liveEnv } from '../helpers/live-env.js';
import { type PriceStandIn, startPriceStandIn } from '../helpers/price-stand-in.js';
import { type SecStandIn, startSecStandIn } from '../helpers/sec-stand-in.js';

let sec: SecStandIn;
let prices: PriceStandIn;
let bundle: { dir: string; remove: () => void };
let home: string;
let runtime: Runtime;
let metrics: RunMetrics;
let research: ResearchService;

beforeAll(async () => {
  [sec, prices] = await Promise.all([startSecStandIn(), startPriceStandIn()]);
  bundle = bundleWithout(['NVDA']);
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-upstream-metrics-'));
  runtime = await createRuntime(
    loadConfig({ TICKERDESK_HOME: home, DATA_DIR: bundle.dir, LOG_LEVEL: 'warn', ...liveEnv(sec, prices) }),
  );
  metrics = createRunMetrics({ defaultMetrics: false, cacheSize: runtime.cacheSize });
  research = observeRuns(runtime.research, [metrics.observe]);
});

afterAll(async () => {
  await runtime?.close();
  await Promise.all([sec?.close(), prices?.close()]);
  bundle?.remove();
  fs.rmSync(home, { recursive: true, force: true });
});

async function scrape(): Promise<Map<string, ParsedFamily>> {
  const families = parsePrometheusTextFormat(await metrics.registry.metrics());
  return new Map(families.map((f) => [f.name, f]));
}

/** Sum of `family`'s samples whose labels include `labels`. */
function total(families: Map<string, ParsedFamily>, family: string, labels: Record<string, string> = {}): number {
  return (families.get(family)?.metrics ?? [])
    .filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
    .reduce((n, m) => n + Number(m.value ?? 0), 0);
}

describe('upstream and cache metrics', () => {
  it('count a cold live run by host and status, its 429 and its bytes, as the stand-ins saw them, and the answers it cached; a warm run adds none', async () => {
    sec.fault(/\/submissions\/CIK0001045810\.json/, { kind: 'status', status: 429, retryAfter: '0' }, 1);
    const before = await scrape();
    expect(before.get('tickerdesk_upstream_requests_total')?.type).toBe('COUNTER');
    expect(total(before, 'tickerdesk_upstream_requests_total')).toBe(0);
    expect(before.get('tickerdesk_tool_cache_entries')?.type).toBe('GAUGE');
    const entriesBefore = total(before, 'tickerdesk_tool_cache_entries', { backend: 'sqlite' });
    const bytesBefore = total(before, 'tickerdesk_tool_cache_bytes', { backend: 'sqlite' });

    const result = await research.start('NVDA', { requester: { via: 'test' } }).result;
    expect(result.outcome).toBe('ok');
    const after = await scrape();
    const statuses = (log: { status: number }[]) =>
      log.reduce<Record<string, number>>((m, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }), {});
    for (const standIn of [sec, prices]) {
      for (const [status, n] of Object.entries(statuses(standIn.requests))) {
        expect(total(after, 'tickerdesk_upstream_requests_total', { host: standIn.host, status })).toBe(n);
      }
      expect(total(after, 'tickerdesk_upstream_requests_total', { host: standIn.host })).toBe(standIn.requests.length);
    }
    expect(total(after, 'tickerdesk_upstream_requests_total', { host: sec.host, status: '429' })).toBe(1);
    expect(total(after, 'tickerdesk_upstream_throttled_total', { host: sec.host })).toBe(1);
    expect(total(after, 'tickerdesk_upstream_throttled_total', { host: prices.host })).toBe(0);
    expect(total(after, 'tickerdesk_upstream_requests_total')).toBe(result.upstream?.requests);
    expect(total(after, 'tickerdesk_upstream_bytes_total')).toBe(result.upstream?.bytes);
    expect(total(after, 'tickerdesk_upstream_bytes_total', { host: sec.host })).toBeGreaterThan(1000);
    // Every answer the cold run fetched is now held (and the writer's findings and sections beside them).
    const entries = total(after, 'tickerdesk_tool_cache_entries', { backend: 'sqlite' });
    expect(entries).toBeGreaterThanOrEqual(entriesBefore + result.tools.misses);
    expect(total(after, 'tickerdesk_tool_cache_bytes', { backend: 'sqlite' })).toBeGreaterThan(bytesBefore + 1000);

    const warm = await research.start('NVDA', { requester: { via: 'test' } }).result;
    expect(warm.upstream?.requests ?? 0).toBe(0);
    const again = await scrape();
    expect(total(again, 'tickerdesk_upstream_requests_total')).toBe(total(after, 'tickerdesk_upstream_requests_total'));
    expect(total(again, 'tickerdesk_upstream_bytes_total')).toBe(total(after, 'tickerdesk_upstream_bytes_total'));
    expect(total(again, 'tickerdesk_tool_cache_entries', { backend: 'sqlite' })).toBe(entries);
  }, 60_000);
});
