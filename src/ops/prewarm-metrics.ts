/**
 * Prometheus counters of the prewarm after the US close, in the run metrics' registry (`/metrics`): prewarms by how
 * they ended, tickers refreshed and failed, tool calls sent to a data server and upstream requests made for them.
 */
import { Counter, type Registry } from 'prom-client';
import type { PrewarmSummary } from './prewarm/run.js';

/**
 * Register the prewarm counters in `registry` (every label value exported from the start, at 0) and return the hook
 * that counts one prewarm's summary.
 */
export function registerPrewarmMetrics(registry: Registry): (summary: PrewarmSummary) => void {
  const runs = new Counter({
    name: 'tickerdesk_prewarm_runs_total',
    help: 'Prewarms after the US close, by how they ended (done, or stopped by a shutdown).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const tickers = new Counter({
    name: 'tickerdesk_prewarm_tickers_total',
    help: 'Tickers a prewarm refreshed, by result (refreshed: every call answered; failed: a call failed).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const serverCalls = new Counter({
    name: 'tickerdesk_prewarm_server_calls_total',
    help: 'Tool calls prewarms sent to a data server (the rest were still valid in the cache).',
    registers: [registry],
  });
  const upstream = new Counter({
    name: 'tickerdesk_prewarm_upstream_requests_total',
    help: 'Upstream HTTP requests live data providers made for prewarms.',
    registers: [registry],
  });
  for (const outcome of ['done', 'stopped']) runs.inc({ outcome }, 0);
  for (const result of ['refreshed', 'failed']) tickers.inc({ result }, 0);
  return (s) => {
    runs.inc({ outcome: s.stopped ? 'stopped' : 'done' });
    tickers.inc({ result: 'refreshed' }, s.refreshed);
    tickers.inc({ result: 'failed' }, s.failures.length);
    serverCalls.inc(s.serverCalls);
    upstream.inc(s.upstreamRequests);
  };
}
