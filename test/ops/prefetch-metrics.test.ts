/**
 * Smart prefetch counted on `/metrics` (issue 15, part 3: "prewarm and prefetch counts"): tried as a new user, a scrape
 * after two Slack reports had the prewarm's counters but nothing of the 36 answers prefetched after them. On the real
 * gateway and data server (bundled data): after a report on NVDA the prefetched answers are counted, and a comparison
 * with AMD that reads them from the cache moves `used`; the text is read with a Prometheus parser.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { registerPrefetchMetrics } from '../../src/ops/prefetch-metrics.js';
import { SmartPrefetcher } from '../../src/prefetch/smart-prefetch.js';
import { planRequests } from '../../src/research/plan.js';
import { prefetch } from '../../src/research/prefetch.js';
import { hasBundledData } from '../helpers/bundled-data.js';
import { type InMemoryGateway, openInMemoryGateway } from '../helpers/in-memory-gateway.js';

const TODAY = '2026-08-24';

/** `tickerdesk_prefetch_calls_total` by result, parsed from the registry's text. */
async function prefetchCounts(registry: Registry): Promise<Record<string, number>> {
  const family = parsePrometheusTextFormat(await registry.metrics()).find(
    (f) => f.name === 'tickerdesk_prefetch_calls_total',
  );
  expect(family?.type).toBe('COUNTER');
  return Object.fromEntries(
    (family?.metrics ?? []).map((m) => [(m.labels as Record<string, string>).result, Number(m.value)]),
  );
}

describe.skipIf(!hasBundledData)('prefetch counts on /metrics', () => {
  let gw: InMemoryGateway | undefined;
  let prefetcher: SmartPrefetcher | undefined;
  afterEach(async () => {
    await prefetcher?.close();
    await gw?.close();
  });

  it('count answers prefetched after a report, and those a later comparison used', async () => {
    gw = await openInMemoryGateway({ backgroundConcurrency: 2 });
    prefetcher = new SmartPrefetcher({ gateway: gw.gateway, peers: 3, today: () => TODAY });
    const registry = new Registry();
    prefetcher.onEvent(registerPrefetchMetrics(registry));
    expect(await prefetchCounts(registry)).toEqual({ prefetched: 0, used: 0, failed: 0 });

    const counts = await prefetcher.after({ runId: 'run-nvda', ticker: 'NVDA' });
    expect(counts?.made).toBe(26);
    expect(await prefetchCounts(registry)).toEqual({ prefetched: 26, used: 0, failed: 0 });

    await prefetch(gw.gateway, 'AMD', planRequests('AMD', TODAY), { signal: new AbortController().signal });
    expect(prefetcher.counts('run-nvda')?.used).toBe(8);
    expect(await prefetchCounts(registry)).toEqual({ prefetched: 26, used: 8, failed: 0 });
  });
});
