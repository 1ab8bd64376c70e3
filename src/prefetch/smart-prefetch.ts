/**
 * Smart prefetch: after a report, the likely next data (`./next-data.ts`: the nearest peers' data and the ticker's
 * older quarters) is fetched through the gateway's background lane, so "compare with AMD" is answered from the cache.
 * Background calls wait behind every user call and hold at most `BACKGROUND_CONCURRENCY` of the queue's slots; they
 * go through the same data server, so they share its upstream limits.
 *
 * Counted apart from the run's own tool calls, in the run's record (`RunRecord.prefetch`): calls asked, calls sent to
 * a server (what was prefetched; a definitive "no data" answer is cached and counts too), failures, and — watched on the gateway's metrics — how many of the prefetched
 * answers a user's call later read from the cache or joined in flight (`/perf`: "prefetched, later used: N of M").
 * Uses are counted by the process that prefetched (each instance keeps its own count).
 */
import { ErrorCode } from '../errors.js';
import { type Logger, logger as rootLogger } from '../log.js';
import type { PeerList } from '../mcp-server/shapes.js';
import type { MetricsStore } from '../metrics/store.js';
import type { PrefetchCounts } from '../metrics/types.js';
import type { RunResult } from '../research/types.js';
import { cacheKey } from '../tools/cache-key.js';
import type { ToolCallMetric, ToolGateway, ToolRequest } from '../tools/types.js';
import { nextDataRequests, peersRequest } from './next-data.js';

/** Options of {@link SmartPrefetcher}. */
export interface SmartPrefetchOptions {
  gateway: ToolGateway;
  /** Where each run's counts are written (`update(runId, { prefetch })`); none in tests that only count. */
  metrics?: Pick<MetricsStore, 'update'>;
  /** Peers to prefetch after each report (`PREFETCH_PEERS`). */
  peers: number;
  logger?: Logger;
  /** The run date for the peers' plans, ISO. @default today in UTC */
  today?: () => string;
}

/** One prefetched cache key, until a user reads it. */
interface Tracked {
  runId: string;
  /** A background call for it reached a server (it was prefetched, not already cached). */
  made: boolean;
  /** A user's call read it (hit) or joined it (coalesced). */
  used: boolean;
}

/**
 * One counted step of a prefetch, as `/metrics` counts it: an answer prefetched (sent to a server), a prefetched
 * answer a user's call later read or joined, a background call that failed.
 */
export type PrefetchEvent = 'prefetched' | 'used' | 'failed';

/** Most keys watched for a later use; the oldest are forgotten first. */
const MAX_TRACKED = 5000;

/**
 * Prefetches after each report and counts what was used. One per process (the Slack app's runtime); `close()` stops
 * the work in flight.
 */
export class SmartPrefetcher {
  readonly #options: SmartPrefetchOptions;
  readonly #log: Logger;
  readonly #tracked = new Map<string, Tracked>();
  readonly #counts = new Map<string, PrefetchCounts>();
  readonly #stop = new AbortController();
  readonly #running = new Set<Promise<unknown>>();
  readonly #unsubscribe: () => void;
  readonly #listeners = new Set<(event: PrefetchEvent) => void>();

  constructor(options: SmartPrefetchOptions) {
    this.#options = options;
    this.#log = (options.logger ?? rootLogger).child({ component: 'smart-prefetch' });
    this.#unsubscribe = options.gateway.onMetric((m) => this.#observe(m));
  }

  /**
   * Prefetch what is likely asked next after `result` (the report's run), in the background.
   * @returns the run's prefetch counts once every call has settled (`made`/`errors` final; `used` grows later), or
   *   `undefined` when prefetch is off or stopped. Never rejects.
   */
  after(result: Pick<RunResult, 'runId' | 'ticker'>): Promise<PrefetchCounts | undefined> {
    if (this.#options.peers <= 0 || this.#stop.signal.aborted) return Promise.resolve(undefined);
    const work = this.#prefetch(result.runId, result.ticker).catch((err: unknown) => {
      this.#log.debug({ err, ticker: result.ticker }, 'smart prefetch stopped');
      return this.#counts.get(result.runId);
    });
    this.#running.add(work);
    void work.finally(() => this.#running.delete(work));
    return work;
  }

  /** The counts of `runId`'s prefetch so far, or `undefined` when none ran for it. */
  counts(runId: string): PrefetchCounts | undefined {
    const c = this.#counts.get(runId);
    return c ? { ...c, peers: [...c.peers] } : undefined;
  }

  /**
   * Be told of each prefetched answer, each later use of one and each failed background call (the Prometheus
   * counters, `src/ops/prefetch-metrics.ts`). A listener that throws is ignored. @returns a function that stops it.
   */
  onEvent(listener: (event: PrefetchEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves once the prefetches started so far have settled (their counts written). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  /** Stop prefetching (calls in flight are abandoned) and wait for the work to settle. Idempotent. */
  async close(): Promise<void> {
    this.#stop.abort(new Error('smart prefetch stopped'));
    this.#unsubscribe();
    await Promise.allSettled([...this.#running]);
  }

  async #prefetch(runId: string, ticker: string): Promise<PrefetchCounts> {
    const counts: PrefetchCounts = { peers: [], calls: 0, made: 0, errors: 0, used: 0 };
    this.#counts.set(runId, counts);
    const peers = await this.#call<PeerList>(runId, peersRequest(ticker, this.#options.peers)).catch(() => undefined);
    counts.peers = peers?.peers.map((p) => p.ticker) ?? [];
    const today = this.#options.today?.() ?? new Date().toISOString().slice(0, 10);
    const requests = nextDataRequests(ticker, counts.peers, today);
    await Promise.allSettled(requests.map((r) => this.#call(runId, r)));
    this.#log.debug({ ticker, ...counts }, 'smart prefetch done');
    this.#persist(runId);
    return { ...counts, peers: [...counts.peers] };
  }

  /** One background call, its key watched for a later use. */
  async #call<T>(runId: string, request: ToolRequest): Promise<T> {
    const key = cacheKey(request);
    const counts = this.#counts.get(runId);
    if (counts) counts.calls += 1;
    if (!this.#tracked.has(key)) {
      this.#tracked.set(key, { runId, made: false, used: false });
      if (this.#tracked.size > MAX_TRACKED) this.#tracked.delete(this.#tracked.keys().next().value as string);
    }
    const result = await this.#options.gateway.call<T>(request, {
      priority: 'background',
      signal: this.#stop.signal,
    });
    return result.data;
  }

  /** Gateway metrics: a background miss is a prefetched answer; a user's hit or join on one is a use. */
  #observe(metric: ToolCallMetric): void {
    const tracked = this.#tracked.get(metric.key);
    if (!tracked) return;
    const counts = this.#counts.get(tracked.runId);
    if (metric.priority === 'background') {
      // A definitive "no data" answer is cached like data: prefetched all the same.
      const noData = metric.error?.code === ErrorCode.DataUnavailable;
      if (metric.error && !noData) {
        if (counts) counts.errors += 1;
        this.#emit('failed');
        return;
      }
      if (metric.cache !== 'miss' || tracked.made) return;
      tracked.made = true;
      if (counts) counts.made += 1;
      this.#emit('prefetched');
      // A user joined the flight before its answer came back: that is a use too.
      if (tracked.used && counts) {
        counts.used += 1;
        this.#emit('used');
      }
      return;
    }
    const noData = metric.error?.code === ErrorCode.DataUnavailable;
    if (tracked.used || (metric.error && !noData) || (metric.cache !== 'hit' && metric.cache !== 'coalesced')) return;
    tracked.used = true;
    if (!tracked.made || !counts) return;
    counts.used += 1;
    this.#emit('used');
    this.#persist(tracked.runId);
  }

  #emit(event: PrefetchEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (err) {
        this.#log.debug({ err, event }, 'a prefetch listener failed');
      }
    }
  }

  #persist(runId: string): void {
    const counts = this.#counts.get(runId);
    if (!counts || !this.#options.metrics) return;
    this.#options.metrics
      .update(runId, { prefetch: { ...counts, peers: [...counts.peers] } })
      .catch((err: unknown) => this.#log.warn({ err }, 'could not record smart prefetch counts'));
  }
}
