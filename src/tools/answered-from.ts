/**
 * Where a "data unavailable" answer came from. The gateway caches a definitive "the data set lacks this" answer
 * like a result, and serves it again as a `DataUnavailableError`; this records, per thrown error, whether that
 * answer came from the cache, from another caller's call in flight, or from the server, so that callers can count
 * a cached "no data" as served from the cache rather than as a call made.
 */
import { DataUnavailableError } from '../errors.js';
import type { CacheStatus } from './types.js';

/**
 * A fresh `DataUnavailableError` with the message of `err`, marked as answered from `from` (a fresh error per
 * caller, since callers that share one call in flight each see it from a different place).
 */
export function unavailableFrom(err: DataUnavailableError, from: CacheStatus): DataUnavailableError {
  return new DataUnavailableError(err.message, { cause: err, answeredFrom: from });
}

/**
 * Where the gateway got a "data unavailable" answer: `hit` (the cache), `coalesced` (another caller's call in
 * flight) or `miss` (the server). `undefined` for any other error, or one not thrown by the gateway.
 */
export function answeredFrom(err: unknown): CacheStatus | undefined {
  return err instanceof DataUnavailableError ? err.answeredFrom : undefined;
}
