/**
 * Prometheus metrics of research runs (issue 15, part 3), kept with `prom-client` in a registry of their own: runs by
 * outcome, run duration and time to first output, tool calls by tool and cache result, LLM tokens and cost, the
 * upstream HTTP requests the runs' live data cost (by host and status, 429s, bytes), and Node's default process
 * metrics. It only listens to a run's events ({@link RunHandle}); the pipeline does not know
 * it exists. Units follow Prometheus conventions: seconds, USD, counts.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { ErrorCode } from '../errors.js';
import type { UpstreamUsage } from '../mcp-server/upstream/usage.js';
import type { RunEvents, RunHandle, Usage } from '../research/types.js';
import type { CacheFootprint } from '../tools/cache-footprint.js';

/** Outcomes a run is counted under, as the run log records them. */
export type RunMetricOutcome = 'ok' | 'degraded' | 'failed' | 'rejected' | 'cancelled';

/** The registry and the hook that feeds it. */
export interface RunMetrics {
  /** Holds every metric below and Node's defaults (`process_*`, `nodejs_*`). */
  registry: Registry;
  /**
   * Count `handle`'s run: subscribe before it emits its first event. Listening never fails or slows the run (the
   * emitter swallows listener errors).
   */
  observe(handle: RunHandle): void;
  /**
   * Count one permission refusal (`tickerdesk_permission_refusals_total`): `action` is `research` or `admin`,
   * `reason` `user`, `channel` or `admin` (`src/slack/permissions.ts`).
   */
  countRefusal(action: string, reason: string): void;
}

/** Options of {@link createRunMetrics}. */
export interface RunMetricsOptions {
  /** Collect Node's default metrics into the registry. @default true */
  defaultMetrics?: boolean;
  /** Clock for time to first output, ms (tests pass a fake one). @default performance.now */
  now?: () => number;
  /**
   * What the tool cache holds, read at each scrape (`Runtime.cacheSize`: `cacheFootprint`, the measure `/perf` and
   * `npm run perf` show); without it no cache gauges are exported.
   */
  cacheSize?: () => Promise<CacheFootprint | undefined>;
}

/** Seconds: a warm run takes a second or two, a cold live one up to a few minutes. */
const DURATION_BUCKETS = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 240, 480];
/** Seconds: the first visible output should come within a second; an alert fires past two minutes. */
const FIRST_OUTPUT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120];

const TOKEN_KINDS: [keyof Usage, string][] = [
  ['inputTokens', 'input'],
  ['outputTokens', 'output'],
  ['cacheWriteTokens', 'cache_write'],
  ['cacheReadTokens', 'cache_read'],
];

/** The outcome of a failed run, as the metrics recorder classifies it. */
function failedOutcome(code: string): RunMetricOutcome {
  if (code === ErrorCode.Cancelled) return 'cancelled';
  if (code === ErrorCode.UnknownTicker || code === ErrorCode.InvalidInput) return 'rejected';
  return 'failed';
}

/** Build the run metrics in a new registry (so that tests and several runtimes never share counters). */
export function createRunMetrics(options: RunMetricsOptions = {}): RunMetrics {
  const registry = new Registry();
  const now = options.now ?? (() => performance.now());
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const runs = new Counter({
    name: 'tickerdesk_runs_total',
    help: 'Research runs finished, by outcome (ok, degraded, failed, rejected, cancelled).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'tickerdesk_run_duration_seconds',
    // One series, not one per outcome: the outcomes are counted by tickerdesk_runs_total.
    help: 'Duration of research runs, from start to their final event (any outcome).',
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const firstOutput = new Histogram({
    name: 'tickerdesk_run_first_output_seconds',
    help: 'Time from the start of a run to its first visible output (the run started event).',
    buckets: FIRST_OUTPUT_BUCKETS,
    registers: [registry],
  });
  const toolCalls = new Counter({
    name: 'tickerdesk_tool_calls_total',
    help: 'Tool calls of runs by tool and cache result (hit, miss, coalesced, error; a "no data" answer by where it came from).',
    labelNames: ['tool', 'cache'] as const,
    registers: [registry],
  });
  const tokens = new Counter({
    name: 'tickerdesk_llm_tokens_total',
    help: 'LLM tokens used by finished runs, by kind (input, output, cache_write, cache_read).',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const cost = new Counter({
    name: 'tickerdesk_llm_cost_usd_total',
    help: 'LLM cost of finished runs, USD.',
    registers: [registry],
  });
  const upstreamRequests = new Counter({
    name: 'tickerdesk_upstream_requests_total',
    help: 'Upstream HTTP requests (attempts) live data providers made for finished runs, by host and status (0: no answer).',
    labelNames: ['host', 'status'] as const,
    registers: [registry],
  });
  const upstreamThrottled = new Counter({
    name: 'tickerdesk_upstream_throttled_total',
    help: 'Upstream HTTP 429 (too many requests) answers to finished runs, by host.',
    labelNames: ['host'] as const,
    registers: [registry],
  });
  const upstreamBytes = new Counter({
    name: 'tickerdesk_upstream_bytes_total',
    help: 'Upstream response body bytes (as sent on the wire) for finished runs, by host.',
    labelNames: ['host'] as const,
    registers: [registry],
  });
  /** Count a run's upstream usage (requests of a status the data server did not report count as `unknown`). */
  const countUpstream = (usage: UpstreamUsage | undefined) => {
    for (const [host, h] of Object.entries(usage?.hosts ?? {})) {
      let byStatus = 0;
      for (const [status, n] of Object.entries(h.statuses ?? {})) {
        upstreamRequests.labels(host, status).inc(n);
        byStatus += n;
      }
      if (h.requests > byStatus) upstreamRequests.labels(host, 'unknown').inc(h.requests - byStatus);
      upstreamThrottled.labels(host).inc(h.throttled);
      upstreamBytes.labels(host).inc(h.bytes);
    }
  };
  const cacheSize = options.cacheSize;
  if (cacheSize) {
    // One read of the cache per scrape, shared by both gauges (prom-client collects them one after the other).
    let reading: Promise<CacheFootprint | undefined> | undefined;
    const read = () => {
      reading ??= cacheSize()
        .catch(() => undefined)
        .finally(() => {
          setImmediate(() => {
            reading = undefined;
          });
        });
      return reading;
    };
    const gauges: [name: string, help: string, pick: (size: CacheFootprint) => number][] = [
      [
        'tickerdesk_tool_cache_entries',
        'Entries the tool cache holds (tool answers, writer findings and sections), not yet expired, by backend (sqlite, redis); as /perf counts them.',
        (size) => size.entries,
      ],
      [
        'tickerdesk_tool_cache_bytes',
        'Stored size of those entries, bytes (compressed where compressed), by backend.',
        (size) => size.storedBytes,
      ],
    ];
    for (const [name, help, pick] of gauges) {
      new Gauge({
        name,
        help,
        labelNames: ['backend'] as const,
        registers: [registry],
        async collect() {
          const size = await read();
          const value = size ? pick(size) : undefined;
          this.reset();
          if (size && value !== undefined) this.labels(size.backend).set(value);
        },
      });
    }
  }
  const refusals = new Counter({
    name: 'tickerdesk_permission_refusals_total',
    help: 'Requests refused by the permission policy (ALLOWED_USERS, ALLOWED_CHANNELS, ADMIN_USERS), by action and reason.',
    labelNames: ['action', 'reason'] as const,
    registers: [registry],
  });
  for (const [action, reason] of [
    ['research', 'user'],
    ['research', 'channel'],
    ['admin', 'admin'],
  ] as const)
    refusals.labels(action, reason).inc(0);
  // Every outcome and token kind is exported from the start, at 0, so that rates and alerts need no `absent()`.
  for (const outcome of ['ok', 'degraded', 'failed', 'rejected', 'cancelled'] as const) runs.labels(outcome).inc(0);
  for (const [, kind] of TOKEN_KINDS) tokens.labels(kind).inc(0);

  return {
    registry,
    countRefusal: (action, reason) => refusals.labels(action, reason).inc(),
    observe(handle) {
      const started = now();
      const listeners: { [K in keyof RunEvents]?: (p: RunEvents[K]) => void } = {
        runStarted: () => firstOutput.observe(Math.max(0, now() - started) / 1000),
        toolCallFinished: (p) => toolCalls.labels(p.request.tool, p.unavailable ?? p.cache).inc(),
        runFinished: ({ result }) => {
          runs.labels(result.outcome).inc();
          duration.observe(result.durationMs / 1000);
          for (const [field, kind] of TOKEN_KINDS) {
            const n = result.usage[field];
            if (typeof n === 'number' && n > 0) tokens.labels(kind).inc(n);
          }
          if (result.usage.costUsd > 0) cost.inc(result.usage.costUsd);
          countUpstream(result.upstream);
          unsubscribe();
        },
        runFailed: (p) => {
          const outcome = failedOutcome(p.error.code);
          runs.labels(outcome).inc();
          duration.observe(p.durationMs / 1000);
          unsubscribe();
        },
      };
      const unsubscribe = () => {
        for (const [event, fn] of Object.entries(listeners)) handle.off(event as keyof RunEvents, fn as never);
      };
      for (const [event, fn] of Object.entries(listeners)) handle.on(event as keyof RunEvents, fn as never);
    },
  };
}
