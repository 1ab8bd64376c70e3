/**
 * A keyed promise memo for live providers: one fetch per key in flight (callers asking at the same time share it),
 * the answer kept for a given time, a failure not kept unless the memo is told it is definitive (an immutable document
 * that answered 404 stays missing for a while: asking again would only repeat the request). In-process only; the tool
 * gateway's cache is the persistent layer, this one saves repeated upstream requests inside one server process (the
 * ticker map, a submissions document read by the profile, news and statements tools of one run, a Form 4 filing
 * read again when the gateway recomputes an answer).
 */
import { DataUnavailableError } from '../../errors.js';

/**
 * A {@link PromiseMemoOptions.keepFailureMs} that keeps a source's "no data" answer (`DataUnavailableError`: a 404
 * for the symbol, an empty series) 15 minutes, as long as a price series is kept, and drops every other failure.
 */
export function keepNoData(err: unknown): number | undefined {
  return err instanceof DataUnavailableError ? 15 * 60_000 : undefined;
}

interface Held<T> {
  promise: Promise<T>;
  /** Epoch ms after which the answer is fetched again; Infinity while in flight. */
  until: number;
}

/** Options of {@link PromiseMemo}. */
export interface PromiseMemoOptions {
  /** Most keys kept (oldest dropped first). @default 500 */
  max?: number;
  /**
   * How long a failure is kept, ms, by the error: a number keeps it (a definitive answer, e.g. HTTP 404 for a
   * document that never changes once filed), `undefined` drops it at once (asked again on the next call).
   * @default every failure dropped
   */
  keepFailureMs?: (err: unknown) => number | undefined;
}

/** See the module comment. `keepMs` is how long an answer is kept, ms. */
export class PromiseMemo<T> {
  readonly #held = new Map<string, Held<T>>();
  readonly #keepMs: number;
  readonly #max: number;
  readonly #keepFailureMs: ((err: unknown) => number | undefined) | undefined;

  /** @param keepMs how long an answer is kept, ms. @param options the bound and which failures are kept. */
  constructor(keepMs: number, options: PromiseMemoOptions = {}) {
    this.#keepMs = keepMs;
    this.#max = options.max ?? 500;
    this.#keepFailureMs = options.keepFailureMs;
  }

  /** The in-flight answer for `key`, else the result of `load()` now (kept once it succeeds): never a kept one. */
  fresh(key: string, load: () => Promise<T>): Promise<T> {
    const held = this.#held.get(key);
    if (held && held.until !== Number.POSITIVE_INFINITY) this.#held.delete(key);
    return this.get(key, load);
  }

  /** The kept or in-flight answer (or kept failure) for `key`, else the result of `load()` (kept as configured). */
  get(key: string, load: () => Promise<T>): Promise<T> {
    const held = this.#held.get(key);
    if (held && held.until > Date.now()) return held.promise;
    const entry: Held<T> = { promise: load(), until: Number.POSITIVE_INFINITY };
    this.#held.delete(key);
    this.#held.set(key, entry);
    while (this.#held.size > this.#max) {
      const oldest = this.#held.keys().next().value;
      if (oldest === undefined) break;
      this.#held.delete(oldest);
    }
    entry.promise.then(
      () => {
        entry.until = Date.now() + this.#keepMs;
      },
      (err: unknown) => {
        const keep = this.#keepFailureMs?.(err);
        if (keep !== undefined && keep > 0) entry.until = Date.now() + keep;
        else if (this.#held.get(key) === entry) this.#held.delete(key);
      },
    );
    return entry.promise;
  }
}
