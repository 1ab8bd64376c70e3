/**
 * Where report threads' context is kept: one {@link ThreadRecord} per channel + `thread_ts`, and the latest finished
 * run per ticker (for "what's changed since the last report"), in keyv on a SQLite file (`threads.sqlite` beside the
 * tool cache and the run log) or on Redis with `CACHE_URL`, so a restarted process or another instance answers in an
 * old thread.
 *
 * A store is an aid, never a dependency of a run: every failure (keyv `'error'` events, a locked or damaged file, a
 * Redis that is down, an operation past its bound) is logged and answered as "no record" (get) or a skipped write.
 */
import type Keyv from 'keyv';
import { type KeyvStoreOptions, openKeyvStore } from '../keyv-open.js';
import type { Logger } from '../log.js';
import { bounded } from '../tools/bounded.js';
import type { PreviousRun, ThreadKey, ThreadRecord } from './types.js';

/** How long a thread's context is kept after its last write, ms: 30 days. */
export const THREAD_TTL_MS = 30 * 24 * 3600_000;

/** Keeps thread records and the latest run per ticker. Never throws, never hangs past its bound. */
export interface ThreadStore {
  /** The record of the thread, or undefined when it is not a report thread (or the store cannot answer). */
  get(key: ThreadKey): Promise<ThreadRecord | undefined>;
  /** Write (replace) the thread's record; kept {@link THREAD_TTL_MS} from now. */
  set(record: ThreadRecord): Promise<void>;
  /** The latest finished run of `ticker` (normalised) that was recorded, if any. */
  latestRun(ticker: string): Promise<PreviousRun | undefined>;
  /** Record `run` as the latest finished run of `ticker`. */
  setLatestRun(ticker: string, run: PreviousRun): Promise<void>;
  /** Close the file or connection. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link openThreadStore}: the logger and the time bounds. */
export type ThreadStoreOptions = KeyvStoreOptions;

/** Where to keep it: Redis at `redisUrl` when set, else the SQLite file at `sqlitePath`. */
export interface ThreadStoreLocation {
  sqlitePath: string;
  redisUrl?: string | undefined;
}

const threadId = (key: ThreadKey) => `thread:${key.channel}:${key.threadTs}`;
const tickerId = (ticker: string) => `latest:${ticker.toUpperCase()}`;

function isRecord(value: unknown): value is ThreadRecord {
  if (value === null || typeof value !== 'object') return false;
  const r = value as Partial<ThreadRecord>;
  return r.version === 1 && typeof r.runId === 'string' && typeof r.ticker === 'string' && Array.isArray(r.findings);
}

/** A {@link ThreadStore} over one Keyv. */
export class KeyvThreadStore implements ThreadStore {
  readonly #keyv: Keyv;
  readonly #log: Logger;
  readonly #opTimeoutMs: number;
  readonly #label: string;
  #closed = false;
  #warned = false;

  /** @param keyv a Keyv (namespace `threads`); its `'error'` events are logged here. */
  constructor(keyv: Keyv, options: { logger: Logger; opTimeoutMs?: number; label: string }) {
    this.#keyv = keyv;
    this.#log = options.logger;
    this.#opTimeoutMs = options.opTimeoutMs ?? 1000;
    this.#label = options.label;
    keyv.throwOnErrors = true;
    keyv.on('error', (err: unknown) => this.#fail('event', err));
  }

  async get(key: ThreadKey): Promise<ThreadRecord | undefined> {
    const value = await this.#op('get', () => this.#keyv.get(threadId(key)));
    return isRecord(value) ? value : undefined;
  }

  async set(record: ThreadRecord): Promise<void> {
    await this.#op('set', () => this.#keyv.set(threadId(record.key), record, THREAD_TTL_MS));
  }

  async latestRun(ticker: string): Promise<PreviousRun | undefined> {
    const value = (await this.#op('get', () => this.#keyv.get(tickerId(ticker)))) as PreviousRun | undefined;
    return value && typeof value.runId === 'string' && Array.isArray(value.figures) ? value : undefined;
  }

  async setLatestRun(ticker: string, run: PreviousRun): Promise<void> {
    await this.#op('set', () => this.#keyv.set(tickerId(ticker), run, THREAD_TTL_MS));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#op('close', () => this.#keyv.disconnect(), true);
  }

  async #op<T>(op: string, fn: () => Promise<T>, closing = false): Promise<T | undefined> {
    if (this.#closed && !closing) return undefined;
    try {
      return await bounded(
        fn,
        this.#opTimeoutMs,
        new Error(`thread store ${op} did not finish within ${this.#opTimeoutMs} ms`),
      );
    } catch (err) {
      this.#fail(op, err);
      return undefined;
    }
  }

  /** Warn once per process (then debug): follow-ups in new threads still work from memory-less context. */
  #fail(op: string, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    const line = `The thread store ${this.#label} failed (${message}); follow-up questions in report threads may go unanswered until it works again.`;
    if (this.#warned) this.#log.debug({ op, err: message }, line);
    else this.#log.warn({ op, err: message }, line);
    this.#warned = true;
  }
}

/**
 * Open the thread store: Redis (namespace `tickerdesk:threads`) when `location.redisUrl` is set, else the SQLite
 * file (folders created; a damaged file moved aside to `<file>.damaged-<ms>`). Never throws: a store that cannot be
 * opened logs and answers "no record".
 */
export async function openThreadStore(
  location: ThreadStoreLocation,
  options: ThreadStoreOptions,
): Promise<ThreadStore> {
  return openKeyvStore(
    location,
    options,
    { namespace: 'threads', what: 'thread store' },
    (keyv, o) => new KeyvThreadStore(keyv, o),
  );
}
