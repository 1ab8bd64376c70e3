/**
 * The tool gateway's contract: the only way the research pipeline touches data.
 * A {@link ToolRequest} goes in; a {@link ToolResult} comes back, served from the cache, coalesced with an
 * identical in-flight call (single-flight), or called on an MCP server through a concurrency-limited queue.
 */

/** One tool call. `server` names a mounted MCP server (`tickerdesk` is ours). */
export interface ToolRequest {
  server: string;
  tool: string;
  /** JSON-serialisable arguments; `ticker` is normalised (upper case) before keying. */
  args: Record<string, unknown>;
}

/** How a result was obtained. `coalesced` = shared the promise of an identical in-flight call. */
export type CacheStatus = 'hit' | 'miss' | 'coalesced';

/**
 * The mark of an answer served from the cache past its validity, within its grace window (stale-while-revalidate):
 * it is served at once while a refresh runs in the background, and the next call gets the refreshed answer.
 */
export interface StaleMarker {
  /** When the answer was fetched (ISO). */
  fetchedAt: string;
  /** When its validity ended (ISO). */
  validUntil: string;
  /** A refresh was started (or joined) in the background. */
  refreshing: true;
}

/** A successful tool call's result. */
export interface ToolResult<T = unknown> {
  /** The tool's structured payload (see `src/mcp-server/shapes.ts` for our server's shapes). */
  data: T;
  /** `server/tool` that produced it, e.g. `tickerdesk/get_company_financials`. */
  source: string;
  /** When the data was fetched from the tool (ISO timestamp); older than now on a cache hit. */
  fetchedAt: string;
  cache: CacheStatus;
  /** Time this call took as seen by the caller, ms. */
  ms: number;
  /** Present when the answer was served stale (a `hit` past its validity) while it is refreshed. */
  stale?: StaleMarker;
  /** A cached answer with a validator (`validators.ts`): the check that found it still current. */
  validatedBy?: ToolResult;
}

/** One metric per gateway call, emitted whether it succeeded or not. */
export interface ToolCallMetric {
  server: string;
  tool: string;
  /**
   * Canonical key of the call (`cacheKey(request)`), the same under any data settings; the cache stores the answer
   * under it in the server's scope (the gateway's `keyScopes`).
   */
  key: string;
  cache: CacheStatus;
  /** Caller-visible latency, ms. */
  ms: number;
  /** Attempts made against the server (0 for hits and coalesced calls). */
  attempts: number;
  /** Error code and message when the call failed. */
  error?: { code: string; message: string };
  at: string;
  /** `background` for a call made ahead of need (smart prefetch); absent for a user's call. */
  priority?: CallPriority;
}

/** A tool as its server lists it (`tools/list`): what a model needs to call it. */
export interface ToolDefinition {
  name: string;
  title?: string;
  description?: string;
  /** JSON Schema of the arguments (`type: 'object'`, `properties`, `required` …). */
  inputSchema: { type: 'object'; properties?: Record<string, unknown>; required?: string[]; [k: string]: unknown };
}

/** Options for one call. */
export interface CallOptions {
  /** Skip the cache read (still writes the fresh result). `--fresh` in the CLI. */
  fresh?: boolean;
  /** Aborts waiting for this call (the shared in-flight call keeps going for other callers). */
  signal?: AbortSignal;
  /**
   * `background` (smart prefetch, prewarm): the call waits in the gateway's background lane — at most
   * `backgroundConcurrency` in flight, and each queued behind every `user` call — so it never takes a user's place.
   * A `user` call for the same key joins the flight and lifts it out of the lane at once. @default 'user'
   */
  priority?: CallPriority;
}

/** Who a call is for: a person waiting (`user`) or work done ahead of need (`background`). */
export type CallPriority = 'user' | 'background';

/** Counters since the gateway was created. */
export interface GatewayStats {
  calls: number;
  hits: number;
  misses: number;
  coalesced: number;
  errors: number;
  /** Cache backend failures (keyv `error` events, failed reads/writes) that degraded to direct calls. */
  cacheErrors: number;
  /** Calls actually sent to an MCP server (attempts, including retries). */
  serverCalls: number;
  /** Hits served stale (past their validity, within their grace window), each refreshed in the background. */
  stale?: number;
  /** Background refreshes of stale answers started (one per key at a time). */
  refreshes?: number;
  /**
   * Stale fallback answers not refreshed because every live host that failed them still could not be reached (a
   * probe before the refresh, `reachability.ts`): no server call was made for them.
   */
  refreshesSkipped?: number;
  /**
   * Of {@link serverCalls}, those sent for `background` calls (a flight a user call joined before it was sent counts
   * as a user call). Absent from gateways without a background lane.
   */
  backgroundServerCalls?: number;
}

/**
 * The tool gateway. Implementations: `McpToolGateway` (cache → single-flight → p-queue → MCP client).
 * @throws ToolTimeoutError, ToolFailedError, UnknownTickerError (from the tool's `isError` result), McpConnection errors.
 */
export interface ToolGateway {
  call<T = unknown>(request: ToolRequest, options?: CallOptions): Promise<ToolResult<T>>;
  /** Subscribe to per-call metrics; returns an unsubscribe function. */
  onMetric(listener: (metric: ToolCallMetric) => void): () => void;
  stats(): GatewayStats;
  /**
   * Optional: every ticker mounted server `server` covers, read once from its ticker directory resource
   * (`tickerdesk://tickers`), or `undefined` when the server publishes none or it could not be read. A ticker
   * missing from the set is unknown to that server.
   */
  knownTickers?(server: string): Promise<ReadonlySet<string> | undefined>;
  /**
   * Optional: the tool names mounted server `server` lists (`tools/list`), starting it first if it is not running.
   * @throws McpConnectionError when it cannot be started; ToolFailedError for a server that is not mounted.
   */
  serverTools?(server: string): Promise<string[]>;
  /**
   * Optional: the tools mounted server `server` lists, with descriptions and input schemas (for a model's tool use).
   * @throws as {@link serverTools}.
   */
  serverToolDefinitions?(server: string): Promise<ToolDefinition[]>;
  /**
   * Optional: resolves once the background refreshes of stale answers under way have landed (or failed). Never
   * rejects.
   */
  refreshed?(): Promise<void>;
  /** Optional: whether the tool cache answers now (an entry written is read back). Never throws. */
  cacheReachable?(): Promise<boolean>;
  /**
   * Optional: the answer the cache holds for `request` (valid, or past its validity within its grace window), without
   * calling a server or refreshing anything: for a view that shows what is at hand ("last close if cached").
   * `undefined` when the cache holds none, or a "no data" answer, or cannot say. Never throws.
   */
  peek?<T = unknown>(request: ToolRequest): Promise<{ data: T; fetchedAt: string } | undefined>;
  /** Close MCP connections and the cache. Idempotent. */
  close(): Promise<void>;
}
