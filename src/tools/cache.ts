/**
 * The tool cache: a small {@link ToolCache} interface over keyv, so backends plug in behind one contract (SQLite
 * file today via {@link createSqliteCache}; a Redis backend wraps a `@keyv/redis` Keyv in {@link KeyvToolCache}).
 *
 * A cache is an optimisation, never a dependency: every failure (keyv `'error'` events, a locked, deleted or corrupt
 * file, an operation that throws or hangs past its timeout) is counted, logged and answered as a miss / a skipped
 * write. After a failure the cache is bypassed for a cool-down, so a broken backend costs one timeout, not one per call.
 */

import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import {
  type Degradations,
  processDegradations,
  STORAGE_CAUSES,
  type StorageCause,
  storageCause,
  storageHint,
} from '../degradations.js';
import { type Logger, logger as rootLogger } from '../log.js';
import { isDamagedDatabase, moveAside, pathProblem } from '../sqlite-files.js';
import { bounded } from './bounded.js';
import { type CacheCompressionOptions, cacheCompression } from './cache-compression.js';

/** How long one cache operation may take before it counts as failed, ms. */
const DEFAULT_OP_TIMEOUT_MS = 1000;

/** When a cached answer stops being valid and when its grace window ends (ISO timestamps; see `freshness.ts`). */
export interface EntryValidity {
  /** Served as it is until then. */
  validUntil?: string;
  /** Served stale, and refreshed in the background, until then; a miss after it. */
  staleUntil?: string;
}

/** What the cache stores per key: a successful tool payload, or a definitive "data unavailable" answer. */
export type CacheEntry =
  | ({ kind: 'data'; data: unknown; fetchedAt: string } & EntryValidity)
  | ({ kind: 'unavailable'; message: string; fetchedAt: string } & EntryValidity);

/**
 * A tool-result cache backend. `get` and `set` never throw and never hang past their timeout: failures are counted
 * in {@link ToolCache.errors} and answered as a miss (get) or a no-op (set).
 */
export interface ToolCache {
  /** The entry under `key`, or `undefined` when absent, expired, unreadable or the cache is failing. */
  get(key: string): Promise<CacheEntry | undefined>;
  /** Store `entry` under `key` for `ttlMs` milliseconds. Resolves even when the write failed. */
  set(key: string, entry: CacheEntry, ttlMs: number): Promise<void>;
  /** Backend failures so far (errors, timeouts, unreadable entries). */
  readonly errors: number;
  /** Release the backend (close the file / connection). Idempotent. */
  close(): Promise<void>;
  /**
   * Optional, for backends shared by several processes: a `get` that missed may have claimed `key` for this caller
   * (the Redis cache takes a short lock so that one instance calls the tool while the others wait for its answer).
   * A caller that will not `set` the key after all (its call failed) calls this to let the others go at once.
   * Never throws.
   */
  release?(key: string): Promise<void>;
}

/** Tuning for {@link KeyvToolCache}. */
export interface KeyvToolCacheOptions {
  /** Bound on each get/set, ms. @default 1000 */
  opTimeoutMs?: number;
  /** After a failure, skip the cache for this long, ms. @default 5000 */
  cooldownMs?: number;
  /** Where failures are logged. @default the root logger */
  logger?: Logger;
  /** Names the backend in logs, e.g. the SQLite path. */
  label?: string;
  /** Where failures are counted and warned once per cause. @default the process's ({@link processDegradations}) */
  degradations?: Degradations;
  /**
   * The backend's own view of its connection (a Redis client's `isReady`). When given, a failure is judged by it: a
   * timeout on a live connection is a miss for that one operation (no cool-down); a failure on a connection that
   * is down is `is unreachable`.
   */
  connected?: () => boolean;
}

class CacheTimeoutError extends Error {
  constructor(op: string, ms: number) {
    super(`cache ${op} did not finish within ${ms} ms`);
    this.name = 'CacheTimeoutError';
  }
}

function isEntry(v: unknown): v is CacheEntry {
  if (v === null || typeof v !== 'object') return false;
  const e = v as Record<string, unknown>;
  if (typeof e.fetchedAt !== 'string') return false;
  return (e.kind === 'data' && 'data' in e) || (e.kind === 'unavailable' && typeof e.message === 'string');
}

/**
 * A {@link ToolCache} over Keyv. Listens for keyv's `'error'` events, turns on `throwOnErrors` so failed reads
 * surface, bounds every operation with a timeout, and bypasses the backend for a cool-down after a failure. When
 * `shouldReopen` says the backend is gone (e.g. its file was deleted), a fresh Keyv is built with `open`.
 * @example A Redis backend for several instances (bound its connection, or a get on a down Redis never returns):
 * new KeyvToolCache(() => new Keyv({
 *   store: new KeyvRedis(config.cacheUrl, { connectionTimeout: 1000, throwOnConnectError: true }),
 *   namespace: 'tools',
 * }), { label: config.cacheUrl });
 */
export class KeyvToolCache implements ToolCache {
  #errors = 0;
  #closed = false;
  #bypassUntil = 0;
  /** Errors already counted from a keyv `'error'` event, so the same error thrown by the op is not counted twice. */
  readonly #emitted = new WeakSet<object>();
  readonly #open: () => Keyv;
  #keyv: Keyv;
  readonly #opTimeoutMs: number;
  readonly #cooldownMs: number;
  readonly #log: Logger;
  readonly #label: string;
  readonly #degradations: Degradations;
  readonly #shouldReopen: ((err: unknown) => boolean) | undefined;
  readonly #connected: (() => boolean) | undefined;
  readonly #explain: (() => string | undefined) | undefined;
  /** The cause of the last failure and when it happened (a timeout right after a failure shares its cause). */
  #lastFailure: { cause: StorageCause; at: number } | undefined;

  /**
   * @param open builds the Keyv (called once now, and again to reopen a backend that is gone).
   */
  constructor(
    open: () => Keyv,
    options: KeyvToolCacheOptions & {
      shouldReopen?: (err: unknown) => boolean;
      /** Plain words for a failure, said instead of the backend's message (e.g. "its folder is a file"). */
      explain?: () => string | undefined;
    } = {},
  ) {
    this.#open = open;
    this.#opTimeoutMs = options.opTimeoutMs ?? DEFAULT_OP_TIMEOUT_MS;
    this.#cooldownMs = options.cooldownMs ?? 5000;
    this.#log = options.logger ?? rootLogger;
    this.#label = options.label ?? 'cache';
    this.#degradations = options.degradations ?? processDegradations;
    this.#shouldReopen = options.shouldReopen;
    this.#connected = options.connected;
    this.#explain = options.explain;
    this.#keyv = this.#connect();
  }

  get errors(): number {
    return this.#errors;
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    if (!this.#usable()) return undefined;
    const keyv = this.#keyv;
    try {
      const value: unknown = await this.#bounded('get', () => keyv.get(key));
      if (value === undefined || value === null) return undefined;
      if (!isEntry(value)) {
        this.#fail('get', new Error(`unreadable cache entry under ${key}`), keyv, false);
        return undefined;
      }
      return value;
    } catch (err) {
      this.#fail('get', err, keyv);
      return undefined;
    }
  }

  async set(key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    if (!this.#usable()) return;
    const keyv = this.#keyv;
    try {
      await this.#bounded('set', () => keyv.set(key, entry, ttlMs));
    } catch (err) {
      this.#fail('set', err, keyv);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#disconnect(this.#keyv);
  }

  #connect(): Keyv {
    const keyv = this.#open();
    keyv.throwOnErrors = true;
    keyv.on('error', (err: unknown) => {
      if (err !== null && typeof err === 'object') this.#emitted.add(err);
      this.#record('event', err, true);
    });
    return keyv;
  }

  async #disconnect(keyv: Keyv): Promise<void> {
    try {
      await this.#bounded('close', () => keyv.disconnect());
    } catch (err) {
      this.#log.debug({ err, cache: this.#label }, 'tool cache did not close cleanly');
    }
  }

  #usable(): boolean {
    return !this.#closed && Date.now() >= this.#bypassUntil;
  }

  /** Run `op` with a timeout; a late rejection of a timed-out op is swallowed (it was already counted). */
  #bounded<T>(op: string, fn: () => Promise<T>): Promise<T> {
    return bounded(fn, this.#opTimeoutMs, new CacheTimeoutError(op, this.#opTimeoutMs));
  }

  /** A failed operation on `keyv`: count it (unless its `'error'` event already did), maybe reopen the backend. */
  #fail(op: string, err: unknown, keyv: Keyv, cooldown = true): void {
    const counted = err !== null && typeof err === 'object' && this.#emitted.delete(err);
    if (!counted) this.#record(op, err, cooldown);
    if (!this.#closed && keyv === this.#keyv && this.#shouldReopen?.(err)) {
      this.#log.info({ cache: this.#label }, 'tool cache backend is gone or was replaced; reopening it');
      this.#keyv = this.#connect();
      // The fresh backend is usable at once: no cool-down, or the next run would find the cache still empty.
      this.#bypassUntil = 0;
      void this.#disconnect(keyv);
    }
  }

  /** Count a failure; warn it once per cause (see {@link Degradations}). */
  #record(op: string, err: unknown, cooldown: boolean): void {
    // An operation still under way when the cache was closed (a readiness probe at shutdown) fails on the closed
    // store: that is the close, not a fault of the cache.
    if (this.#closed) {
      this.#log.debug({ err, cache: this.#label, op }, 'a tool cache operation was cut off by closing the cache');
      return;
    }
    this.#errors += 1;
    const now = Date.now();
    const message = err instanceof Error ? err.message : String(err);
    let cause = storageCause(err);
    const last = this.#lastFailure;
    if (this.#connected?.() === false) cause = STORAGE_CAUSES.unreachable;
    else if (cause === STORAGE_CAUSES.slow && this.#connected) cooldown = false;
    // Without a connection state, a timeout right after another failure (a locked file) is the same fault.
    else if (cause === STORAGE_CAUSES.slow && last && now - last.at <= this.#cooldownMs) cause = last.cause;
    if (cooldown) this.#bypassUntil = now + this.#cooldownMs;
    this.#lastFailure = { cause, at: now };
    // A damaged file is moved aside by `shouldReopen`, which says so itself.
    if (cause === STORAGE_CAUSES.damaged && this.#shouldReopen) return;
    const why = (cause === STORAGE_CAUSES.cannotOpen && this.#explain?.()) || message;
    this.#degradations.note(this.#log, {
      part: 'tool cache',
      cause,
      message: `The tool cache ${this.#label} ${cause} (${why}); calling tools directly for now: ${storageHint(cause, this.#label)}.`,
      fields: { cache: this.#label, op, cacheErrors: this.#errors, detail: message },
    });
  }
}

/** The SQLite cache's bound on one operation, in op timeouts (see {@link SqliteCacheOptions.hangTimeoutMs}). */
export const SQLITE_HANG_FACTOR = 10;

/** Options for {@link createSqliteCache}. */
export interface SqliteCacheOptions extends KeyvToolCacheOptions {
  /** How large entries are compressed (`CACHE_COMPRESSION`). @default brotli, entries from 1024 bytes */
  compression?: CacheCompressionOptions;
  /** SQLite busy timeout, ms: how long a write waits for another process's lock. @default the op timeout (1000) */
  busyTimeout?: number;
  /**
   * Bound on one operation, ms, for a file that hangs: SQLite ends a wait for a lock itself (`busyTimeout`), so an
   * operation that outlasts the op timeout without one is late because the process is starved of CPU (a loaded
   * machine: the answer comes, a turn of the event loop later), and is waited for up to this bound instead of
   * answered as a miss (which would call the tool again: more work for the starved process).
   * @default {@link SQLITE_HANG_FACTOR} × the op timeout
   */
  hangTimeoutMs?: number;
}

/**
 * Open (creating folders as needed) the SQLite-file tool cache at `filePath` (`config.cachePath`), keyv 5 on
 * `@keyv/sqlite` 4. Never throws: a file that cannot be opened gives a cache that counts the failure and misses; a
 * file that is not a SQLite database or is damaged is moved aside (`<file>.damaged-<ms>`) and a fresh cache started.
 */
export async function createSqliteCache(filePath: string, options: SqliteCacheOptions = {}): Promise<ToolCache> {
  const label = options.label ?? filePath;
  const log = options.logger ?? rootLogger;
  const degradations = options.degradations ?? processDegradations;
  const open = () => {
    try {
      mkdirSync(path.dirname(filePath), { recursive: true });
    } catch (err) {
      // SQLite's own SQLITE_CANTOPEN on the first operation is the warning; this only adds the reason.
      log.debug({ err, cache: label }, 'could not create the tool cache folder');
    }
    // Waiting on another process's lock longer than an operation may take is pointless (the operation has given
    // up by then) and only keeps the process alive at exit.
    const busyTimeout = options.busyTimeout ?? options.opTimeoutMs ?? DEFAULT_OP_TIMEOUT_MS;
    const store = new KeyvSqlite({ uri: `sqlite://${filePath}`, busyTimeout });
    // @keyv/sqlite opens the file in a promise that nothing listens to until the first query: a file that cannot be
    // opened (its folder is a file, no permission) would reject it unhandled and end the process. Listen now; the
    // failure itself reaches us as the store's 'error' event and on every operation.
    store.query('SELECT 1').catch(() => undefined);
    return new Keyv({ store, namespace: 'tools', ...(compression ? { compression } : {}) });
  };
  // A deleted file (or folder) makes SQLite refuse writes on the old handle: open a fresh file instead (unless the
  // folder cannot be made: then reopening would fail the same way, again and again). A file that is not a SQLite
  // database (or is damaged) would fail every run for ever: move it aside and start a fresh one.
  const shouldReopen = (err: unknown): boolean => {
    if (!existsSync(filePath)) return canMakeFolder(path.dirname(filePath));
    if (!isDamagedDatabase(err)) return false;
    let aside: string;
    try {
      aside = moveAside(filePath);
    } catch (moveErr) {
      degradations.note(log, {
        part: 'tool cache',
        cause: STORAGE_CAUSES.damaged,
        message: `The tool cache ${label} is damaged or not a SQLite database and could not be moved aside (${moveErr instanceof Error ? moveErr.message : String(moveErr)}); calling tools directly: remove the file.`,
        fields: { cache: label },
      });
      return false;
    }
    degradations.note(log, {
      part: 'tool cache',
      cause: STORAGE_CAUSES.damaged,
      message: `The tool cache ${label} was damaged or not a SQLite database; moved it to ${aside} and started a fresh cache.`,
      fields: { cache: label, movedTo: aside },
    });
    return true;
  };
  const explain = () => pathProblem(filePath);
  const compression = await cacheCompression(options.compression);
  // A file has no connection to lose: an operation that outlives its bound (a hung file; a lock ends at the busy
  // timeout) is a miss for that operation, and the next one is tried at once.
  const connected = () => true;
  const opTimeoutMs = options.opTimeoutMs ?? DEFAULT_OP_TIMEOUT_MS;
  const cache = new KeyvToolCache(open, {
    ...options,
    opTimeoutMs: options.hangTimeoutMs ?? opTimeoutMs * SQLITE_HANG_FACTOR,
    label,
    shouldReopen,
    degradations,
    explain,
    connected,
  });
  // Touch the store at once: this surfaces a corrupt, locked or unopenable file before the first real call.
  await cache.get('__open__');
  return cache;
}

/** Whether `dir` is, or can be made, a folder (false when a part of it is a file, or permissions forbid it). */
function canMakeFolder(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    return true;
  } catch {
    return false;
  }
}
