/**
 * Prometheus counters of the watchlist digests after the US close, in the run metrics' registry (`/metrics`):
 * channels by what happened to their digest (posted, skipped, failed).
 */
import { Counter, type Registry } from 'prom-client';
import type { DigestRunSummary } from './digest/service.js';

/**
 * Register the digest counter in `registry` (every outcome exported from the start, at 0) and return the hook that
 * counts one session's summary.
 */
export function registerDigestMetrics(registry: Registry): (summary: DigestRunSummary) => void {
  const channels = new Counter({
    name: 'tickerdesk_digests_total',
    help: 'Watchlist digests by channel and session: posted, skipped (holiday, already posted, claimed by another instance) or failed.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  for (const outcome of ['posted', 'skipped', 'failed']) channels.inc({ outcome }, 0);
  return (s) => {
    channels.inc({ outcome: 'posted' }, s.posted.length);
    channels.inc({ outcome: 'skipped' }, s.skipped.length);
    channels.inc({ outcome: 'failed' }, s.failed.length);
  };
}
