/**
 * Prometheus counter of smart prefetch after a report (`src/prefetch/`), in the run metrics' registry (`/metrics`):
 * answers prefetched, prefetched answers a user later read, and failed background calls. `used / prefetched` is the
 * "prefetched, later used" share `/perf` shows.
 */
import { Counter, type Registry } from 'prom-client';
import type { PrefetchEvent } from '../prefetch/smart-prefetch.js';

/** Every result counted, exported from the start at 0. */
const RESULTS: readonly PrefetchEvent[] = ['prefetched', 'used', 'failed'];

/**
 * Register `tickerdesk_prefetch_calls_total{result}` in `registry` and return the listener that counts one event
 * (give it to `SmartPrefetcher.onEvent`).
 */
export function registerPrefetchMetrics(registry: Registry): (event: PrefetchEvent) => void {
  const calls = new Counter({
    name: 'tickerdesk_prefetch_calls_total',
    help: 'Smart prefetch after reports: answers prefetched (sent to a data server), prefetched answers a user later read from the cache or joined (used), and failed background calls.',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  for (const result of RESULTS) calls.inc({ result }, 0);
  return (event) => calls.inc({ result: event });
}
