/**
 * Upstream accounting: one {@link UpstreamRequestMetric} per HTTP request a live provider sends, and the per-scope
 * {@link UpstreamUsage} totals (requests, bytes, 429s, latency per host) that a tool result carries back to the
 * gateway and the run record. A scope is opened per tool call with {@link trackUpstream}; requests made inside it
 * (through the shared upstream client) are counted in it, however deep in the provider they are made.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** One upstream HTTP request (one attempt). */
export interface UpstreamRequestMetric {
  host: string;
  /** HTTP status, or 0 when no answer came (unreachable host, timeout, broken body). */
  status: number;
  /** Body bytes as sent on the wire (`content-length` when given, else the decoded body). */
  bytes: number;
  /** From sending the request to the end of the body, ms (limiter waits not included). */
  ms: number;
  /** 1 for the first attempt, 2 for the first retry… */
  attempt: number;
  at: string;
}

/** Totals per host. `ms` is the sum of request latencies (mean = ms / requests). */
export interface UpstreamHostUsage {
  requests: number;
  bytes: number;
  throttled: number;
  ms: number;
  /** Requests by HTTP status (`"200"`, `"429"`; `"0"`: no answer), for the Prometheus counters. */
  statuses?: Record<string, number>;
}

/** Upstream requests made for one tool call (or one run, summed): requests, bytes, 429s, per host. */
export interface UpstreamUsage {
  requests: number;
  bytes: number;
  /** Answers 429 (too many requests). */
  throttled: number;
  hosts: Record<string, UpstreamHostUsage>;
}

/** An empty {@link UpstreamUsage}. */
export function emptyUsage(): UpstreamUsage {
  return { requests: 0, bytes: 0, throttled: 0, hosts: {} };
}

function hostOf(usage: UpstreamUsage, name: string): UpstreamHostUsage {
  let host = usage.hosts[name];
  if (!host) {
    host = { requests: 0, bytes: 0, throttled: 0, ms: 0 };
    usage.hosts[name] = host;
  }
  return host;
}

/** Add one request to `usage` (mutates it). */
export function addRequest(usage: UpstreamUsage, m: UpstreamRequestMetric): void {
  usage.requests += 1;
  usage.bytes += m.bytes;
  if (m.status === 429) usage.throttled += 1;
  const host = hostOf(usage, m.host);
  host.requests += 1;
  host.bytes += m.bytes;
  host.ms = Math.round((host.ms + m.ms) * 10) / 10;
  if (m.status === 429) host.throttled += 1;
  addStatuses(host, { [String(m.status)]: 1 });
}

/** Add status counts into `host` (mutates it). */
function addStatuses(host: UpstreamHostUsage, statuses: Record<string, number> | undefined): void {
  if (!statuses) return;
  host.statuses ??= {};
  for (const [status, n] of Object.entries(statuses)) host.statuses[status] = (host.statuses[status] ?? 0) + n;
}

/** Add `b` into `a` (mutates `a`) and return `a`. */
export function mergeUsage(a: UpstreamUsage, b: UpstreamUsage): UpstreamUsage {
  a.requests += b.requests;
  a.bytes += b.bytes;
  a.throttled += b.throttled;
  for (const [name, h] of Object.entries(b.hosts)) {
    const host = hostOf(a, name);
    host.requests += h.requests;
    host.bytes += h.bytes;
    host.throttled += h.throttled;
    host.ms = Math.round((host.ms + h.ms) * 10) / 10;
    addStatuses(host, h.statuses);
  }
  return a;
}

const scopes = new AsyncLocalStorage<UpstreamUsage[]>();

/** Count `m` in every open scope of the current async context (nested scopes each see it). */
export function recordInScopes(m: UpstreamRequestMetric): void {
  for (const usage of scopes.getStore() ?? []) addRequest(usage, m);
}

/**
 * Run `fn` in an accounting scope that counts into `usage` (also when `fn` fails). Work started inside and shared
 * with other callers (a single-flight fetch) is counted in the scope of the caller that started it.
 */
export function inUpstreamScope<T>(usage: UpstreamUsage, fn: () => Promise<T>): Promise<T> {
  const outer = scopes.getStore() ?? [];
  return scopes.run([...outer, usage], fn);
}

/** The priority of upstream requests made for a tool call: `background` for work nobody waits on yet. */
export type UpstreamPriority = 'user' | 'background';

const priorities = new AsyncLocalStorage<UpstreamPriority>();

/**
 * Run `fn` with every upstream request it makes at `priority` (unless a request names its own): a tool call the
 * gateway sent from its background lane (smart prefetch, prewarm) queues its requests behind every user request for
 * the same host. Work started inside and shared with other callers (a memo's fetch) keeps the priority of the caller
 * that started it.
 */
export function withUpstreamPriority<T>(priority: UpstreamPriority, fn: () => Promise<T>): Promise<T> {
  return priorities.run(priority, fn);
}

/** The priority of the current tool call's upstream requests ({@link withUpstreamPriority}); `user` outside one. */
export function upstreamPriority(): UpstreamPriority {
  return priorities.getStore() ?? 'user';
}

/** An error that carries the upstream requests made for the answer it ends (a "no data" answer, a failure). */
interface CarriesUsage {
  upstream?: UpstreamUsage;
}

/**
 * Mark `err` with the upstream requests made before it was thrown (when there were any), so that a "no data" answer
 * or a failure is accounted like an answer: in the tool result's `_meta.upstream`, the bundle part and the run
 * record. Returns `err`.
 */
export function withUsage<E>(err: E, usage: UpstreamUsage | undefined): E {
  if (usage && usage.requests > 0 && err instanceof Error) (err as CarriesUsage).upstream = usage;
  return err;
}

/** The upstream requests `err` carries itself (see {@link withUsage}); a cause's are not its own. */
export function usageOf(err: unknown): UpstreamUsage | undefined {
  return err instanceof Error && Object.hasOwn(err, 'upstream') ? (err as CarriesUsage).upstream : undefined;
}

/** `value` read as an {@link UpstreamUsage} (from a tool result's `_meta`), or `undefined` when it is not one. */
export function usageFromJson(value: unknown): UpstreamUsage | undefined {
  const v = value as Partial<UpstreamUsage> | null | undefined;
  if (!v || typeof v !== 'object') return undefined;
  if (typeof v.requests !== 'number' || typeof v.bytes !== 'number' || typeof v.throttled !== 'number')
    return undefined;
  if (!v.hosts || typeof v.hosts !== 'object') return undefined;
  return { requests: v.requests, bytes: v.bytes, throttled: v.throttled, hosts: v.hosts };
}
