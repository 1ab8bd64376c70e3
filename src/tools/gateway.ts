/**
 * The MCP tool gateway: cache → single-flight → queue → MCP client, with a timeout per attempt, retries with
 * jittered exponential backoff for transient failures, and one metric per call.
 *
 * Background calls (smart prefetch, prewarm, refreshes) take a second lane into the queue, behind every user call
 * (`background-lane.ts`); a user call that joins a background flight lifts it out of the lane at once.
 *
 * Freshness (stale-while-revalidate): each cached answer carries the end of its validity and of its grace window
 * (`ttl.ts`, `freshness.ts`), judged by the gateway's clock. An answer past its validity but within its grace window
 * is served at once, marked `stale`, and refreshed in the background: the refresh is the key's single flight (so a
 * burst of stale hits starts one refresh, and a user miss joins it), it takes the background lane, and its failure is
 * logged once and never rejects. A fallback answer whose failed live hosts could not be reached is refreshed only
 * once one of them can be again (`reachability.ts`: a DNS lookup or TCP connect each, before anything is sent).
 * Past the grace window an answer is a miss. (The maintained SWR helpers —
 * `stale-while-revalidate-cache`, cache-manager's `refreshThreshold` — keep their own storage and de-duplication with
 * one fixed validity per call; here validity depends on the answer, and the flight, the shared-cache claims and the
 * lane already exist.)
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pRetry from 'p-retry';
import { DataUnavailableError, ErrorCode, TickerdeskError, ToolFailedError } from '../errors.js';
import type { Logger } from '../log.js';
import { unavailableFrom, withoutUsage } from './answered-from.js';
import { BackgroundLane, Lane } from './background-lane.js';
import type { CacheEntry, ToolCache } from './cache.js';
import { cacheKey, canonicalArgs } from './cache-key.js';
import { entryState, staleMarker, stamp } from './freshness.js';
import type { McpServerClient } from './mcp-client.js';
import { type HostProbe, unreachableHostsOf } from './reachability.js';
import { type Flight, SingleFlight } from './single-flight.js';
import { cachedTickerDirectory } from './ticker-directory.js';
import { freshnessFor } from './ttl.js';
import type {
  CacheStatus,
  CallOptions,
  GatewayStats,
  ToolCallMetric,
  ToolDefinition,
  ToolGateway,
  ToolRequest,
  ToolResult,
} from './types.js';
import { checkRequest, stillCurrent, validatorOf } from './validators.js';

/** Everything {@link McpToolGateway} needs, built by `createToolGateway`. */
export interface McpToolGatewayDeps {
  /** Mounted servers by name. */
  clients: Map<string, McpServerClient>;
  /**
   * A scope by server name, part of every cache key of that server's calls (`cacheKey`): what else its answers
   * depend on. Our data server's is the fingerprint of its data settings (`dataScope`), so an answer cached under
   * other settings is never served. Servers not listed: keys without a scope.
   */
  keyScopes?: Readonly<Record<string, string>>;
  cache: ToolCache;
  logger: Logger;
  /** Max server calls in flight. */
  concurrency: number;
  /** Timeout per attempt, ms. */
  timeoutMs: number;
  /** Retries after the first attempt, for transient failures only. */
  retries: number;
  /** TTL (validity) overrides, ms, by tool name or `server/tool`; an overridden tool has no grace window. */
  ttlMs?: Partial<Record<string, number>>;
  /** Grace window overrides, ms, by tool name or `server/tool` (see `freshnessFor`). */
  graceMs?: Partial<Record<string, number>>;
  /** The clock that judges freshness, epoch ms. @default Date.now */
  now?: () => number;
  /**
   * Longest `close()` waits for background refreshes under way, ms (0: not at all); one not done by then is dropped
   * (see {@link McpToolGateway.close}). @default 5000
   */
  refreshCloseWaitMs?: number;
  /**
   * How a stale fallback answer's unreachable live hosts are asked before it is refreshed (`reachability.ts`).
   * @default probeHost (DNS lookup, or TCP connect for `host:port`)
   */
  probeHost?: HostProbe;
  /** First retry delay, ms (doubled each retry, times a random 1–2). @default 200 */
  retryMinMs?: number;
  /** Largest retry delay, ms. @default 2000 */
  retryMaxMs?: number;
  /**
   * Most `background` calls in flight at once (each also takes a slot of `concurrency` while it runs).
   * @default a quarter of `concurrency`, at least 1
   */
  backgroundConcurrency?: number;
}

/** What a flight yields: the data and when it was fetched (or the error thrown). */
interface Fetched {
  data: unknown;
  fetchedAt: string;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('The tool call was aborted.');
}

/** Wait for `p`, or reject as soon as `signal` aborts (`p` keeps running for anyone else waiting on it). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The {@link ToolGateway} over MCP servers. Build it with `createToolGateway` (src/tools/index.ts). */
export class McpToolGateway implements ToolGateway {
  readonly #deps: McpToolGatewayDeps;
  /** The call queue with its background lane, and the background refreshes under way. */
  readonly #lanes: BackgroundLane;
  readonly #flights = new SingleFlight<Fetched>();
  readonly #listeners = new Set<(metric: ToolCallMetric) => void>();
  readonly #pendingWrites = new Set<Promise<void>>();
  readonly #pendingReads = new Map<string, Set<Promise<CacheEntry | undefined>>>();
  /** Ticker directories by server, read once ({@link knownTickers}). */
  readonly #directories = new Map<string, Promise<ReadonlySet<string> | undefined>>();
  readonly #counts = {
    calls: 0,
    hits: 0,
    misses: 0,
    coalesced: 0,
    errors: 0,
    serverCalls: 0,
    cacheErrors: 0,
    backgroundServerCalls: 0,
    stale: 0,
    refreshes: 0,
    refreshesSkipped: 0,
  };
  readonly #now: () => number;
  #closing: Promise<void> | undefined;
  readonly #id = randomUUID();

  constructor(deps: McpToolGatewayDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#lanes = new BackgroundLane({
      concurrency: deps.concurrency,
      ...(deps.backgroundConcurrency === undefined ? {} : { backgroundConcurrency: deps.backgroundConcurrency }),
      ...(deps.probeHost ? { probeHost: deps.probeHost } : {}),
    });
  }

  async call<T = unknown>(request: ToolRequest, options: CallOptions = {}): Promise<ToolResult<T>> {
    const started = performance.now();
    const key = this.#key(request);
    const source = `${request.server}/${request.tool}`;
    const background = options.priority === 'background';
    this.#counts.calls += 1;
    let cache: CacheStatus = 'miss';
    let attempts = 0;
    try {
      if (this.#closing) throw new ToolFailedError(source, 'The tool gateway is closed.');
      options.signal?.throwIfAborted();
      if (!options.fresh) {
        const read = this.#trackedGet(key);
        let entry: CacheEntry | undefined;
        try {
          entry = await untilAborted(read, options.signal);
        } catch (err) {
          this.#releaseAbandonedClaim(key, read);
          throw err;
        }
        const state = entry ? entryState(entry, this.#now()) : 'expired';
        if (entry && state !== 'expired') {
          cache = 'hit';
          if (entry.kind === 'unavailable') throw new DataUnavailableError(entry.message);
          const { current, check } = await this.#validate(request, entry, options);
          const checked = check ? { validatedBy: check } : {};
          if (current && state === 'fresh') {
            return { ...this.#succeed<T>(request, source, started, 'hit', 0, entry, background), ...checked };
          }
          if (current) {
            this.#counts.stale += 1;
            this.#refresh(request, key, source, entry.data);
            const result = this.#succeed<T>(request, source, started, 'hit', 0, entry, background);
            return { ...result, stale: staleMarker(entry), ...checked };
          }
          // A newer filing appeared: the answer is outdated, fetch it anew.
          cache = 'miss';
        }
      }
      const lane = background ? new Lane() : undefined;
      const flight = this.#startFlight(request, key, source, lane, !options.fresh, (n) => {
        attempts = n;
      });
      if (!flight.leader && !background) {
        // A user waits on this answer now: a background flight for it goes in the user lane.
        this.#lanes.promote(key);
      }
      // Joining a flight that has answered and is only held open for its cache write is a hit on that answer.
      cache = flight.leader ? 'miss' : flight.settled ? 'hit' : 'coalesced';
      const fetched = await untilAborted(flight.promise, options.signal);
      return this.#succeed<T>(request, source, started, cache, attempts, fetched, background);
    } catch (err) {
      this.#counts.errors += 1;
      this.#count(cache);
      const e = err instanceof TickerdeskError ? err : null;
      const code = e?.code ?? (err instanceof Error && err.name === 'AbortError' ? 'aborted' : ErrorCode.Unknown);
      const message = err instanceof Error ? err.message : String(err);
      this.#emit({
        ...this.#metricBase(request, cache, started, attempts, background),
        error: { code, message },
      });
      if (err instanceof DataUnavailableError) throw unavailableFrom(err, cache);
      throw cache === 'miss' ? err : withoutUsage(err);
    }
  }

  onMetric(listener: (metric: ToolCallMetric) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  stats(): GatewayStats {
    const { cacheErrors, ...counts } = this.#counts;
    return { ...counts, cacheErrors: cacheErrors + this.#deps.cache.errors };
  }

  knownTickers(server: string): Promise<ReadonlySet<string> | undefined> {
    const known = this.#directories.get(server);
    if (known) return known;
    const client = this.#deps.clients.get(server);
    if (!client || this.#closing) return Promise.resolve(undefined);
    const scope = this.#deps.keyScopes?.[server];
    const read = cachedTickerDirectory(server, client, this.#deps.cache, this.#deps.timeoutMs, scope);
    this.#directories.set(server, read);
    // A directory that could not be read is asked again next time; meanwhile callers go on without it.
    return read.catch((err: unknown) => {
      if (this.#directories.get(server) === read) this.#directories.delete(server);
      this.#deps.logger.debug({ err, server }, 'could not read the ticker directory; going on without it');
      return undefined;
    });
  }

  serverTools(server: string): Promise<string[]> {
    const client = this.#deps.clients.get(server);
    if (!client) return Promise.reject(new ToolFailedError(server, `No MCP server named "${server}" is mounted.`));
    return client.listTools(this.#deps.timeoutMs);
  }

  serverToolDefinitions(server: string): Promise<ToolDefinition[]> {
    const client = this.#deps.clients.get(server);
    if (!client) return Promise.reject(new ToolFailedError(server, `No MCP server named "${server}" is mounted.`));
    return client.toolDefinitions(this.#deps.timeoutMs);
  }

  async refreshed(): Promise<void> {
    // A refresh's answer is written to the cache after it lands: wait for the writes too.
    for (;;) {
      const pending = [...this.#lanes.refreshing(), ...this.#pendingWrites];
      if (pending.length === 0) return;
      await Promise.allSettled(pending);
    }
  }

  async peek<T = unknown>(request: ToolRequest): Promise<{ data: T; fetchedAt: string } | undefined> {
    if (this.#closing) return undefined;
    const key = this.#key(request);
    const entry = await this.#deps.cache.get(key).catch(() => undefined);
    if (!entry || entryState(entry, this.#now()) === 'expired') {
      // A shared cache's miss may have claimed the key for this caller, who will not fetch it: give the claim back.
      await this.#deps.cache.release?.(key);
      return undefined;
    }
    return entry.kind === 'data' ? { data: entry.data as T, fetchedAt: entry.fetchedAt } : undefined;
  }

  async cacheReachable(): Promise<boolean> {
    // A key of this gateway's own (instances sharing a Redis cache probe side by side), expiring within a minute.
    const key = `tickerdesk:readiness-probe:${this.#id}`;
    const token = randomUUID();
    try {
      await this.#deps.cache.set(key, { kind: 'data', data: token, fetchedAt: new Date().toISOString() }, 60_000);
      const entry = await this.#deps.cache.get(key);
      if (entry?.kind === 'data' && entry.data === token) return true;
      await this.#deps.cache.release?.(key);
      return false;
    } catch {
      return false;
    }
  }

  /**
   * Close the MCP connections and the cache. Background refreshes under way (a CLI run's stale answers, refreshed for
   * the next run) get at most `refreshCloseWaitMs` to land; a refresh still waiting on its probe of unreachable hosts
   * is part of that wait and starts if a host answers. A refresh not done by then is dropped, not cut short: its call
   * fails as the connections close, nothing is written (a write already begun is finished first), the stale answer
   * stays in the cache as it was, and the next call that serves it stale starts its refresh again. Queued attempts
   * are not dropped (their callers would wait forever): they run against closed clients and fail at once with a
   * non-transient "gateway closed" error. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#lanes.drain(this.#deps.refreshCloseWaitMs ?? 5000);
      await Promise.allSettled([...this.#deps.clients.values()].map((c) => c.close()));
      await Promise.allSettled([...this.#pendingWrites]);
      await this.#deps.cache.close();
    })();
    return this.#closing;
  }

  /**
   * Join the flight for `key`, or start it (the leader fetches; a background `lane` keeps it in the background lane
   * until a user call joins).
   */
  #startFlight(
    request: ToolRequest,
    key: string,
    source: string,
    lane: Lane | undefined,
    joinSettled: boolean,
    onAttempt: (n: number) => void,
  ): Flight<Fetched> {
    const flight = this.#flights.run(
      key,
      (hold) => this.#fetch(request, key, source, hold, onAttempt, lane),
      joinSettled,
    );
    if (flight.leader && lane) this.#lanes.hold(key, lane, flight.promise);
    return flight;
  }

  /**
   * Whether a cached answer is still current by its validator (`validators.ts`): the check tool is called through
   * this gateway (its answer cached briefly), and the answer stands while the check names the same filing. An answer
   * fetched within the check's own validity is as good as a check (it was made from the filings list just read); one
   * without a validator is current; so is one whose check fails (the time rules still apply).
   */
  async #validate(
    request: ToolRequest,
    entry: CacheEntry & { kind: 'data' },
    options: CallOptions,
  ): Promise<{ current: boolean; check?: ToolResult }> {
    const validator = validatorOf(entry.data);
    const check = validator && checkRequest(request, validator);
    if (!validator || !check) return { current: true };
    const confirmedFor = this.#freshness(check, { now: new Date(this.#now()) }).validMs;
    if (this.#now() - Date.parse(entry.fetchedAt) < confirmedFor) return { current: true };
    try {
      const result = await this.call(check, {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.priority ? { priority: options.priority } : {}),
      });
      return { current: stillCurrent(validator, result.data), check: result };
    } catch (err) {
      options.signal?.throwIfAborted();
      this.#deps.logger.debug({ err, tool: check.tool }, 'could not check whether a cached answer is current');
      return { current: true };
    }
  }

  /**
   * Refresh a stale answer in the background: the key's single flight in the background lane (joining one under way
   * starts nothing), its answer written to the cache for the next call. A fallback answer whose failed live hosts
   * could not be reached (`data`'s provenance) is refreshed only when a probe finds one of them reachable now: else
   * nothing is started (no server call, nothing written; the stale answer is served, and its hosts asked again, on
   * the next call). A failure is logged once, here, and never rejects; the stale answer stays until its grace window
   * ends.
   */
  #refresh(request: ToolRequest, key: string, source: string, data: unknown): void {
    if (this.#closing || this.#flights.has(key)) return;
    const hosts = unreachableHostsOf(data);
    // Started even while closing once a probe allows it: close() waits for the probe and the refresh, within its bound.
    this.#lanes.refresh(
      key,
      hosts,
      () => this.#startRefresh(request, key, source),
      () => {
        this.#counts.refreshesSkipped += 1;
        this.#deps.logger.debug(
          { source, key, hosts },
          'stale answer not refreshed: its live hosts are still unreachable',
        );
      },
    );
  }

  /** Start the refresh flight for `key` (none when a flight is under way); resolves when it has landed or failed. */
  #startRefresh(request: ToolRequest, key: string, source: string): Promise<void> {
    const started = performance.now();
    let attempts = 0;
    const flight = this.#startFlight(request, key, source, new Lane(), true, (n) => {
      attempts = n;
    });
    if (!flight.leader) return Promise.resolve();
    this.#counts.refreshes += 1;
    const done = flight.promise.then(
      () => this.#emit(this.#metricBase(request, 'miss', started, attempts, true)),
      (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        const code = err instanceof TickerdeskError ? err.code : ErrorCode.Unknown;
        this.#emit({ ...this.#metricBase(request, 'miss', started, attempts, true), error: { code, message } });
        if (!this.#closing) this.#deps.logger.warn({ source, key, err: message }, 'background refresh failed');
      },
    );
    return done;
  }

  /** The leader's work: call the server (queued, timed out, retried), then write the answer to the cache. */
  async #fetch(
    request: ToolRequest,
    key: string,
    source: string,
    hold: (p: Promise<unknown>) => void,
    onAttempt: (n: number) => void,
    lane: Lane | undefined,
  ): Promise<Fetched> {
    const client = this.#deps.clients.get(request.server);
    if (!client) {
      const mounted = [...this.#deps.clients.keys()].join(', ') || 'none';
      throw new ToolFailedError(source, `No MCP server named "${request.server}" is mounted (mounted: ${mounted}).`);
    }
    const args = canonicalArgs(request.args);
    let attempts = 0;
    try {
      const data = await pRetry(
        () =>
          this.#lanes.enqueue(() => {
            attempts += 1;
            onAttempt(attempts);
            this.#counts.serverCalls += 1;
            const background = lane?.background === true;
            if (background) this.#counts.backgroundServerCalls += 1;
            // The server is told too: its upstream requests for a background call wait behind every user request.
            return client.callTool(
              request.tool,
              args,
              this.#deps.timeoutMs,
              background ? { priority: 'background' } : {},
            );
          }, lane),
        {
          retries: this.#deps.retries,
          factor: 2,
          minTimeout: this.#deps.retryMinMs ?? 200,
          maxTimeout: this.#deps.retryMaxMs ?? 2000,
          randomize: true,
          shouldRetry: ({ error }) => error instanceof TickerdeskError && error.transient && !this.#closing,
          onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
            this.#deps.logger.debug({ source, attemptNumber, retriesLeft, err: error.message }, 'tool attempt failed');
          },
        },
      );
      const now = this.#now();
      const fetched: Fetched = { data, fetchedAt: new Date(now).toISOString() };
      const context = { data, now: new Date(now) };
      const stamped = stamp({ kind: 'data', ...fetched }, this.#freshness(request, context), now);
      hold(this.#writeThenSettleReads(key, stamped.entry, stamped.ttlMs));
      return fetched;
    } catch (err) {
      if (err instanceof DataUnavailableError) {
        const now = this.#now();
        const entry: CacheEntry = { kind: 'unavailable', message: err.message, fetchedAt: new Date(now).toISOString() };
        const context = { provisional: err.provisional === true, now: new Date(now) };
        const stamped = stamp(entry, this.#freshness(request, context), now);
        hold(this.#writeThenSettleReads(key, stamped.entry, stamped.ttlMs));
      } else {
        // No answer to cache: let other instances waiting on this call (shared cache) make it themselves now.
        hold(this.#releaseClaim(key));
      }
      throw err;
    }
  }

  /** Where `request`'s answer is cached: its canonical key in its server's scope (see `keyScopes`). */
  #key(request: ToolRequest): string {
    return cacheKey(request, this.#deps.keyScopes?.[request.server]);
  }

  #freshness(request: ToolRequest, context: Parameters<typeof freshnessFor>[3]) {
    return freshnessFor(request.server, request.tool, this.#deps.ttlMs, context, this.#deps.graceMs);
  }

  /** A cache read, tracked per key so a flight can stay joinable until reads that began before its write end. */
  #trackedGet(key: string): Promise<CacheEntry | undefined> {
    const read = this.#cacheGet(key);
    let reads = this.#pendingReads.get(key);
    if (!reads) {
      reads = new Set();
      this.#pendingReads.set(key, reads);
    }
    const set = reads;
    set.add(read);
    void read.finally(() => {
      set.delete(read);
      if (set.size === 0 && this.#pendingReads.get(key) === set) this.#pendingReads.delete(key);
    });
    return read;
  }

  /**
   * Write the answer, then wait for reads of the same key that were already under way (they may miss): the flight
   * stays joinable until then, so a caller whose read missed joins it instead of calling the server again.
   */
  async #writeThenSettleReads(key: string, entry: CacheEntry, ttl: number): Promise<void> {
    await this.#write(key, entry, ttl);
    const reads = this.#pendingReads.get(key);
    if (reads && reads.size > 0) await Promise.allSettled([...reads]);
  }

  async #cacheGet(key: string): Promise<CacheEntry | undefined> {
    try {
      return await this.#deps.cache.get(key);
    } catch (err) {
      this.#cacheFailed('get', err);
      return undefined;
    }
  }

  /**
   * A caller stopped waiting on its cache read. A shared cache (Redis) answers a miss by claiming the key for this
   * process, and other instances wait on that claim; when nobody here makes the call after all (no flight for the key
   * once the read has missed), release it so they go at once instead of after the claim's time-out.
   */
  #releaseAbandonedClaim(key: string, read: Promise<CacheEntry | undefined>): void {
    if (!this.#deps.cache.release) return;
    void read.then((entry) => {
      if (entry !== undefined) return;
      // After the other callers of this read have had their turn to start the call (microtasks).
      setImmediate(() => {
        if (!this.#flights.has(key)) void this.#releaseClaim(key);
      });
    });
  }

  async #releaseClaim(key: string): Promise<void> {
    try {
      await this.#deps.cache.release?.(key);
    } catch (err) {
      this.#cacheFailed('release', err);
    }
  }

  #write(key: string, entry: CacheEntry, ttl: number): Promise<void> {
    const p = this.#deps.cache.set(key, entry, ttl).catch((err: unknown) => this.#cacheFailed('set', err));
    this.#pendingWrites.add(p);
    void p.finally(() => this.#pendingWrites.delete(p));
    return p;
  }

  /** A cache backend that broke its never-throw promise: count it, log it, carry on without it. */
  #cacheFailed(op: string, err: unknown): void {
    this.#counts.cacheErrors += 1;
    this.#deps.logger.warn({ op, err }, 'tool cache failed; calling the tool directly');
  }

  #succeed<T>(
    request: ToolRequest,
    source: string,
    started: number,
    cache: CacheStatus,
    attempts: number,
    fetched: Fetched,
    background: boolean,
  ): ToolResult<T> {
    this.#count(cache);
    const metric = this.#metricBase(request, cache, started, attempts, background);
    this.#emit(metric);
    return { data: fetched.data as T, source, fetchedAt: fetched.fetchedAt, cache, ms: metric.ms };
  }

  #count(cache: CacheStatus): void {
    if (cache === 'hit') this.#counts.hits += 1;
    else if (cache === 'miss') this.#counts.misses += 1;
    else this.#counts.coalesced += 1;
  }

  #metricBase(
    request: ToolRequest,
    cache: CacheStatus,
    started: number,
    attempts: number,
    background: boolean,
  ): ToolCallMetric {
    return {
      server: request.server,
      tool: request.tool,
      // The call's canonical key, the same under any data settings (callers match it with `cacheKey(request)`).
      key: cacheKey(request),
      cache,
      ms: round(performance.now() - started),
      attempts: cache === 'miss' ? attempts : 0,
      at: new Date().toISOString(),
      ...(background ? { priority: 'background' as const } : {}),
    };
  }

  #emit(metric: ToolCallMetric): void {
    for (const listener of this.#listeners) {
      try {
        listener(metric);
      } catch (err) {
        this.#deps.logger.warn({ err }, 'a tool metric listener threw');
      }
    }
  }
}
