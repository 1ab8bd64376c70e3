/**
 * Where a "data unavailable" answer came from. The gateway caches a definitive "the data set lacks this" answer
 * like a result, and serves it again as a `DataUnavailableError`; this records, per thrown error, whether that
 * answer came from the cache, from another caller's call in flight, or from the server, so that callers can count
 * a cached "no data" as served from the cache rather than as a call made.
 */
import { DataUnavailableError } from '../errors.js';
import { usageOf, withUsage } from '../mcp-server/upstream/usage.js';
import type { CacheStatus } from './types.js';

/**
 * A fresh `DataUnavailableError` with the message of `err`, marked as answered from `from` (a fresh error per
 * caller, since callers that share one call in flight each see it from a different place).
 */
export function unavailableFrom(err: DataUnavailableError, from: CacheStatus): DataUnavailableError {
  // The upstream requests behind the answer are this caller's only when its call was the one sent (`miss`).
  const fresh = new DataUnavailableError(err.message, { cause: err, answeredFrom: from });
  return from === 'miss' ? withUsage(fresh, usageOf(err)) : fresh;
}

/**
 * `err` as a caller that did not send the call sees it (a `hit` or `coalesced` failure): the same error without the
 * upstream requests it carries, which belong to the caller that sent the call (see `withUsage`); `err` itself when it
 * carries none.
 */
export function withoutUsage(err: unknown): unknown {
  if (!(err instanceof Error) || usageOf(err) === undefined) return err;
  const copy = Object.create(Object.getPrototypeOf(err) as object, Object.getOwnPropertyDescriptors(err)) as Error;
  delete (copy as { upstream?: unknown }).upstream;
  return copy;
}

/**
 * Where the gateway got a "data unavailable" answer: `hit` (the cache), `coalesced` (another caller's call in
 * flight) or `miss` (the server). `undefined` for any other error, or one not thrown by the gateway.
 */
export function answeredFrom(err: unknown): CacheStatus | undefined {
  return err instanceof DataUnavailableError ? err.answeredFrom : undefined;
}
