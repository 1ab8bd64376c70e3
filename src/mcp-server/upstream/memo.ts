/**
 * A keyed promise memo for live providers: one fetch per key in flight (callers asking at the same time share it),
 * the answer kept for a given time, a failure never kept. In-process only; the tool gateway's cache is the
 * persistent layer, this one saves repeated upstream requests inside one server process (the ticker map, a
 * submissions document read by the profile, news and statements tools of one run).
 */

interface Held<T> {
  promise: Promise<T>;
  /** Epoch ms after which the answer is fetched again; Infinity while in flight. */
  until: number;
}

/** See the module comment. `keepMs` is how long an answer is kept, ms. */
export class PromiseMemo<T> {
  readonly #held = new Map<string, Held<T>>();
  readonly #keepMs: number;
  readonly #max: number;

  /** @param keepMs how long an answer is kept, ms. @param max most keys kept (oldest dropped first). @default 500 */
  constructor(keepMs: number, max = 500) {
    this.#keepMs = keepMs;
    this.#max = max;
  }

  /** The in-flight answer for `key`, else the result of `load()` now (kept once it succeeds): never a kept one. */
  fresh(key: string, load: () => Promise<T>): Promise<T> {
    const held = this.#held.get(key);
    if (held && held.until !== Number.POSITIVE_INFINITY) this.#held.delete(key);
    return this.get(key, load);
  }

  /** The kept or in-flight answer for `key`, else the result of `load()` (kept once it succeeds). */
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
      () => {
        if (this.#held.get(key) === entry) this.#held.delete(key);
      },
    );
    return entry.promise;
  }
}
