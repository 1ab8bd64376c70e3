/**
 * The one upstream HTTP client every live provider uses: a per-host queue (p-queue) that keeps requests within the
 * host's rate and serves user runs before background work such as Form 4 fetching (priorities). Without a burst,
 * starts are evenly spaced (p-queue's strict interval: one per `1000 / perSecond` ms). With a burst (SEC), the queue
 * has `burst` places and a request keeps its place until `burst × 1000 / perSecond` ms after it was written to the
 * socket (`./sent-at.ts`) and it is done: a few requests to an idle host go at once, a long run of them averages
 * `perSecond`, and no window of that length ever holds more than `burst` requests as written, even when this
 * process stalls between starting a request and writing it. Then a timeout per attempt, retries with
 * jittered backoff that honour `Retry-After` (p-retry), gzip accepted, and a metric per request (host, status, bytes,
 * latency) counted into the caller's accounting scope (`./usage.ts`).
 *
 * A host that cannot be reached (DNS failure, connection refused or reset), or that takes the connection and sends
 * nothing in the whole timeout (it hangs), fails at once, is not retried, and is remembered as down for `downMs`, so
 * the next calls fall through to the next provider without trying it again — each with the same words as the first
 * ("… could not be reached (ECONNREFUSED).", "… did not answer within 5000 ms.": {@link noAnswer}).
 */
import { AsyncResource } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import PQueue from 'p-queue';
import pRetry, { AbortError } from 'p-retry';
import { UpstreamFormatError, UpstreamHttpError, UpstreamTimeoutError, UpstreamUnreachableError } from './errors.js';
import { parseJsonBody } from './json-body.js';
import { trackSentAt } from './sent-at.js';
import type { StartLimiter } from './start-limiter.js';
import { recordInScopes, type UpstreamRequestMetric, upstreamPriority } from './usage.js';

/** Limits for one host. */
export interface HostPolicy {
  /** Most requests per second, on average over a long run of them. */
  perSecond: number;
  /**
   * Most requests at once: at most `burst` written in any rolling window of `burst × 1000 / perSecond` ms, each
   * counted from the moment it was written to the socket. With 1, starts are spaced evenly (one every
   * 1000 / perSecond ms). With the host's own per-second limit (SEC: 10 at `perSecond` 9, a window of 1111 ms), a
   * short run of requests (one report's) goes at once instead of one every 111 ms, a long run still averages
   * `perSecond`, and any second holds at most `burst` arrivals unless one reaches the host more than
   * `1000 × burst / perSecond − 1000` ms (SEC: 111 ms) later than its write against the others. With a burst, at
   * most `burst` requests are in flight (`concurrency` is not used).
   * @default 1
   */
  burst?: number;
  /**
   * Hosts whose policies name the same group share one queue, so one limit covers them together (SEC's fair-access
   * limit counts `data.sec.gov` and `www.sec.gov` as one client: group `sec`). A host being down is still per host.
   * @default the host name: a queue of its own
   */
  group?: string;
  /** Most requests in flight at once. @default 4 */
  concurrency?: number;
  /** Headers sent with every request to this host (e.g. SEC's required `User-Agent`). */
  headers?: Record<string, string>;
  /** Also retry HTTP 403 (SEC answers 403 when its fair-access limit is exceeded). @default false */
  retryForbidden?: boolean;
  /**
   * Claims each request start after the queue's own limit (SEC with `CACHE_URL` on Redis: `./start-limiter.ts`,
   * shared across instances): the queue keeps this process within the host's rate, the limiter holds every instance
   * together to one start per `1000 / perSecond` ms slot.
   */
  limiter?: StartLimiter;
}

/** Options of {@link UpstreamClient}. */
export interface UpstreamClientOptions {
  /** Limits by host name (`data.sec.gov`, `127.0.0.1:4100`); hosts not listed get `defaultPolicy`. */
  hosts?: Record<string, HostPolicy>;
  /** @default 5 requests per second, 4 in flight */
  defaultPolicy?: HostPolicy;
  /** Timeout per attempt (request sent to body read), ms. @default 10000 */
  timeoutMs?: number;
  /** Retries after the first attempt for 429, 5xx, timeouts and broken bodies (403 where allowed). @default 2 */
  retries?: number;
  /** First retry delay, ms (doubled per retry, times a random 1–2) when no `Retry-After` is given. @default 250 */
  retryMinMs?: number;
  /** Longest `Retry-After` honoured, ms; a longer one ends the request (the chain moves on). @default 10000 */
  maxRetryAfterMs?: number;
  /** How long an unreachable host is skipped, ms. @default 30000 */
  downMs?: number;
  /** Called for every request attempt. */
  onRequest?: (metric: UpstreamRequestMetric) => void;
  /** The fetch to use. @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** Options of one request. */
export interface UpstreamRequestOptions {
  /** Extra headers for this request. */
  headers?: Record<string, string>;
  /**
   * `background` requests wait behind every `user` request queued for the same host.
   * @default the priority of the tool call being answered (`withUpstreamPriority`), else 'user'
   */
  priority?: 'user' | 'background';
  signal?: AbortSignal;
}

/** A successful (2xx) answer, body read in full. */
export interface UpstreamResponse {
  url: string;
  status: number;
  headers: Headers;
  body: Buffer;
  /** The body as UTF-8 text. */
  text(): string;
}

/** An answer read by {@link UpstreamClient.getJson}: its JSON, parsed within the attempt. */
interface Received extends UpstreamResponse {
  json?: unknown;
}

const UNREACHABLE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** The system error code under a fetch failure (`TypeError: fetch failed` → cause.code), if any. */
function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** `Retry-After` in ms: seconds, or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

interface HostState {
  policy: HostPolicy;
  queue: PQueue;
  /** With a burst: how long after its write a request keeps its place in the queue, ms; else undefined. */
  holdMs: number | undefined;
  downUntil: number;
  /** Why the host is skipped until `downUntil`: the error its skipped requests fail with, worded as when it was found. */
  downError: () => Error;
}

/**
 * The one wording of a host that took the connection and sent nothing in the whole timeout (a host that hangs), on
 * the request that found it and on every request skipped while it is held down.
 * @example noAnswer('data.sec.gov', 5000) === 'data.sec.gov did not answer within 5000 ms.'
 */
export function noAnswer(host: string, timeoutMs: number): string {
  return `${host} did not answer within ${timeoutMs} ms.`;
}

/** A failed attempt that may be retried, with the wait the host asked for. */
class RetryableAttempt extends Error {
  constructor(
    readonly final: Error,
    readonly waitMs: number | undefined,
  ) {
    super(final.message);
  }
}

/**
 * Shared upstream HTTP client (one per MCP server process). See the module comment.
 * @example
 * const upstream = new UpstreamClient({ hosts: { 'data.sec.gov': { perSecond: 8, headers: { 'user-agent': ua } } } });
 * const res = await upstream.get('https://data.sec.gov/submissions/CIK0001045810.json');
 */
export class UpstreamClient {
  readonly #options: UpstreamClientOptions;
  readonly #hosts = new Map<string, HostState>();
  /** Queues by host group (`HostPolicy.group`, else the host name). */
  readonly #queues = new Map<string, PQueue>();
  readonly #fetch: typeof fetch;

  constructor(options: UpstreamClientOptions = {}) {
    this.#options = options;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  /** Whether `host` was found unreachable within the last `downMs` (requests to it fail at once). */
  isDown(host: string): boolean {
    return (this.#hosts.get(host)?.downUntil ?? 0) > Date.now();
  }

  /**
   * GET `url`, queued and rate-limited for its host, retried as configured.
   * @throws UpstreamUnreachableError (DNS, refused; at once, no retry), UpstreamHttpError (non-2xx after retries),
   *   UpstreamTimeoutError (no answer in time — at once while a host that hung is skipped — or a broken body, after
   *   retries); the abort reason when `signal` aborts.
   */
  get(url: string, options: UpstreamRequestOptions = {}): Promise<UpstreamResponse> {
    return this.#get(url, options, undefined);
  }

  /**
   * GET a JSON document (as {@link get}, with `accept: application/json`), parsed. A body whose JSON stops short — a
   * gzip body cut off on the way decodes quietly to the part that came — is a broken answer, as a reset mid-body is:
   * retried, then "<host>'s answer broke off (truncated gzip body)."
   * @param what what the provider expected, for a body that is not JSON ("HTML instead of {what}").
   * @throws as {@link get} (UpstreamTimeoutError for a body that stays truncated); UpstreamFormatError when the body
   *   is whole but not JSON (not retried).
   */
  async getJson(url: string, what: string, options: UpstreamRequestOptions = {}): Promise<unknown> {
    const headers = { accept: 'application/json', ...options.headers };
    return (await this.#get(url, { ...options, headers }, what)).json;
  }

  /** `get`, reading the body as JSON within each attempt when `json` (what is expected) is given. */
  async #get(url: string, options: UpstreamRequestOptions, json: string | undefined): Promise<Received> {
    const host = new URL(url).host;
    const state = this.#state(host);
    if (state.downUntil > Date.now()) throw state.downError();
    const retries = this.#options.retries ?? 2;
    const minMs = this.#options.retryMinMs ?? 250;
    let attempt = 0;
    try {
      return await pRetry(
        async () => {
          attempt += 1;
          try {
            return await this.#queued(state, host, url, attempt, options, json);
          } catch (err) {
            if (err instanceof RetryableAttempt) {
              const wait = err.waitMs ?? minMs * 2 ** (attempt - 1) * (1 + Math.random());
              if (attempt > retries || wait > (this.#options.maxRetryAfterMs ?? 10_000))
                throw new AbortError(err.final);
              await sleep(wait, undefined, options.signal ? { signal: options.signal } : undefined);
              throw err;
            }
            throw new AbortError(err instanceof Error ? err : new Error(String(err)));
          }
        },
        // The wait is taken above (it depends on Retry-After); p-retry only counts and stops.
        { retries, minTimeout: 0, maxTimeout: 0, factor: 1, randomize: false },
      );
    } catch (err) {
      throw err instanceof RetryableAttempt ? err.final : err;
    }
  }

  #state(host: string): HostState {
    let state = this.#hosts.get(host);
    if (!state) {
      const policy = this.#options.hosts?.[host] ?? this.#options.defaultPolicy ?? { perSecond: 5 };
      const group = policy.group ?? host;
      const burst = Math.max(1, Math.floor(policy.burst ?? 1));
      let queue = this.#queues.get(group);
      if (!queue) {
        // A burst: `burst` places, each kept until the request's window from its write has passed (`#queued`).
        // Else strict: one start per interval in a sliding window (not fixed windows, which admit twice as many
        // across a window's edge).
        queue =
          burst > 1
            ? new PQueue({ concurrency: burst })
            : new PQueue({
                concurrency: policy.concurrency ?? 4,
                intervalCap: 1,
                interval: 1000 / policy.perSecond,
                strict: true,
              });
        this.#queues.set(group, queue);
      }
      state = {
        policy,
        queue,
        holdMs: burst > 1 ? (burst * 1000) / policy.perSecond : undefined,
        downUntil: 0,
        downError: () => new UpstreamUnreachableError(host, 'down'),
      };
      this.#hosts.set(host, state);
    }
    return state;
  }

  /** One attempt: wait for a queue slot (by priority, spaced by the host's rate), then send. */
  #queued(
    state: HostState,
    host: string,
    url: string,
    attempt: number,
    options: UpstreamRequestOptions,
    json: string | undefined,
  ): Promise<Received> {
    const priority = (options.priority ?? upstreamPriority()) === 'background' ? 0 : 10;
    // Bound to the caller's async context: p-queue starts a waiting task from whatever finished before it (another
    // caller's request, a timer), and the request must be counted in the accounting scope of the caller that made it.
    const ready = async () => {
      if (state.downUntil > Date.now()) throw state.downError();
      options.signal?.throwIfAborted();
      await state.policy.limiter?.acquire(options.signal);
    };
    const { holdMs } = state;
    if (holdMs === undefined) {
      const task = AsyncResource.bind(async () => {
        await ready();
        return this.#send(state, host, url, attempt, options, json);
      });
      return state.queue.add(task, { priority }) as Promise<Received>;
    }
    // A burst: the caller gets its answer as soon as it is read, while the request keeps its place in the queue
    // until `holdMs` after it was written (and it is done), so no `holdMs` window holds more than `burst` writes.
    return new Promise<Received>((resolve, reject) => {
      const task = AsyncResource.bind(async () => {
        await ready();
        const { result, sentAt } = trackSentAt(() => this.#send(state, host, url, attempt, options, json));
        result.then(resolve, reject);
        // The global timer (not timers/promises): the same clock Date.now() and p-queue's intervals run on.
        const held = sentAt.then(
          // Unref'd: a place held after the last request keeps no stopping process alive.
          (at) => new Promise<void>((done) => setTimeout(done, Math.max(0, at + holdMs - Date.now())).unref?.()),
        );
        await Promise.allSettled([result, held]);
      });
      state.queue.add(task, { priority }).catch(reject);
    });
  }

  async #send(
    state: HostState,
    host: string,
    url: string,
    attempt: number,
    options: UpstreamRequestOptions,
    json: string | undefined,
  ): Promise<Received> {
    const timeoutMs = this.#options.timeoutMs ?? 10_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const started = performance.now();
    let status = 0;
    let bytes = 0;
    try {
      const res = await this.#fetch(url, {
        headers: { 'accept-encoding': 'gzip, deflate', ...state.policy.headers, ...options.headers },
        signal,
      });
      status = res.status;
      const body = Buffer.from(await res.arrayBuffer());
      bytes = Number(res.headers.get('content-length')) || body.length;
      if (res.ok) {
        const received: Received = { url, status, headers: res.headers, body, text: () => body.toString('utf8') };
        if (json !== undefined) received.json = readJson(host, received, json);
        return received;
      }
      const failure = new UpstreamHttpError(host, status);
      const retryable = status === 429 || status >= 500 || (status === 403 && state.policy.retryForbidden === true);
      if (retryable) throw new RetryableAttempt(failure, retryAfterMs(res.headers.get('retry-after')));
      throw failure;
    } catch (err) {
      if (err instanceof RetryableAttempt || err instanceof UpstreamHttpError || err instanceof UpstreamFormatError) {
        throw err;
      }
      options.signal?.throwIfAborted();
      const code = errorCode(err);
      if (status === 0 && code && UNREACHABLE_CODES.has(code)) {
        state.downUntil = Date.now() + (this.#options.downMs ?? 30_000);
        state.downError = () => new UpstreamUnreachableError(host, code);
        throw new UpstreamUnreachableError(host, code, { cause: err });
      }
      if (status === 0 && timeout.aborted) {
        // Not a byte in the whole timeout (a host that takes connections and never answers): like a refused
        // connection, not retried and skipped for a while, so the chain reaches its next source (the bundle) well
        // within the caller's own tool timeout instead of waiting out every attempt of every live source. Skipped
        // requests say what this one says: the host did not answer (it took the connection, so it is not called
        // unreachable, which the gateway would take for a host a probe cannot reach either).
        state.downUntil = Date.now() + (this.#options.downMs ?? 30_000);
        state.downError = () => new UpstreamTimeoutError(host, noAnswer(host, timeoutMs));
        throw new UpstreamTimeoutError(host, noAnswer(host, timeoutMs), { cause: err });
      }
      const what = timeout.aborted
        ? `${host} did not finish its answer within ${timeoutMs} ms.`
        : `${host}'s answer broke off (${code ?? (err instanceof Error ? err.message : String(err))}).`;
      throw new RetryableAttempt(new UpstreamTimeoutError(host, what, { cause: err }), undefined);
    } finally {
      const metric: UpstreamRequestMetric = {
        host,
        status,
        bytes,
        ms: Math.round((performance.now() - started) * 10) / 10,
        attempt,
        at: new Date().toISOString(),
      };
      recordInScopes(metric);
      this.#options.onRequest?.(metric);
    }
  }
}

/** The JSON of a whole answer; one whose JSON stops short is a broken body, retried as one (see `parseJsonBody`). */
function readJson(host: string, res: UpstreamResponse, what: string): unknown {
  try {
    return parseJsonBody(host, res.text(), what, res.headers.get('content-encoding'));
  } catch (err) {
    if (err instanceof UpstreamTimeoutError) throw new RetryableAttempt(err, undefined);
    throw err;
  }
}
