/**
 * Single-flight: identical calls in flight (same key) share one promise, so a burst of the same question costs one
 * answer. The first caller leads; the others follow.
 */

/** The shared promise of a key, whether this caller started it, and whether it had already answered when joined. */
export interface Flight<T> {
  promise: Promise<T>;
  leader: boolean;
  /** True when joined after the flight answered (it was only held open, e.g. for its cache write). */
  settled: boolean;
}

/**
 * A table of in-flight promises by key.
 * @example
 * const sf = new SingleFlight<number>();
 * const a = sf.run('k', async () => 42); // a.leader === true
 * const b = sf.run('k', async () => 0);  // b.leader === false, b.promise === a.promise
 */
export class SingleFlight<T> {
  readonly #inflight = new Map<string, { promise: Promise<T>; settled: boolean }>();

  /** Keys currently in flight. */
  get size(): number {
    return this.#inflight.size;
  }

  /** Whether a flight for `key` is under way (or held open after answering). */
  has(key: string): boolean {
    return this.#inflight.has(key);
  }

  /**
   * Join the flight for `key`, or start it with `fn`. `fn` may call `hold(p)` to keep the key joinable until `p`
   * settles (for example until the result is written to the cache), without delaying the callers' answer.
   * With `joinSettled: false` (a caller that wants a fresh answer) a flight that has already answered is not joined;
   * a new one starts.
   */
  run(key: string, fn: (hold: (p: Promise<unknown>) => void) => Promise<T>, joinSettled = true): Flight<T> {
    const existing = this.#inflight.get(key);
    if (existing && (joinSettled || !existing.settled))
      return { promise: existing.promise, leader: false, settled: existing.settled };
    const holds: Promise<unknown>[] = [];
    const promise = Promise.resolve().then(() => fn((p) => holds.push(p)));
    const flight = { promise, settled: false };
    this.#inflight.set(key, flight);
    const release = async () => {
      flight.settled = true;
      await Promise.allSettled(holds);
      if (this.#inflight.get(key) === flight) this.#inflight.delete(key);
    };
    promise.then(release, release);
    return { promise, leader: true, settled: false };
  }
}
