/**
 * Whether a cached answer is fresh, stale or expired, by the gateway's clock: each entry carries the end of its
 * validity and of its grace window (stamped when it is written, from `ttl.ts`'s {@link Freshness}). A fresh entry is
 * served as it is; a stale one (past its validity, within its grace window) is served at once, marked, and refreshed
 * in the background; an expired one is a miss. Entries written without these stamps (by an older version) are fresh
 * for as long as the cache keeps them.
 */
import type { CacheEntry } from './cache.js';
import type { Freshness } from './ttl.js';
import type { StaleMarker } from './types.js';

/** What a cached entry is worth now. */
export type EntryState = 'fresh' | 'stale' | 'expired';

/**
 * `entry` with its validity and grace window stamped from `nowMs` (epoch ms), and how long the cache must keep it
 * (ms): its validity plus its grace.
 */
export function stamp<E extends CacheEntry>(
  entry: E,
  freshness: Freshness,
  nowMs: number,
): { entry: E; ttlMs: number } {
  const validUntil = nowMs + freshness.validMs;
  const staleUntil = validUntil + freshness.graceMs;
  return {
    entry: { ...entry, validUntil: new Date(validUntil).toISOString(), staleUntil: new Date(staleUntil).toISOString() },
    ttlMs: freshness.validMs + freshness.graceMs,
  };
}

/** The state of `entry` at `nowMs` (epoch ms). "No data" answers are never served stale. */
export function entryState(entry: CacheEntry, nowMs: number): EntryState {
  if (!entry.validUntil) return 'fresh';
  if (nowMs < Date.parse(entry.validUntil)) return 'fresh';
  if (entry.kind === 'data' && entry.staleUntil && nowMs < Date.parse(entry.staleUntil)) return 'stale';
  return 'expired';
}

/** The marker a stale answer carries: when it was fetched and when its validity ended. */
export function staleMarker(entry: CacheEntry): StaleMarker {
  return { fetchedAt: entry.fetchedAt, validUntil: entry.validUntil ?? entry.fetchedAt, refreshing: true };
}
