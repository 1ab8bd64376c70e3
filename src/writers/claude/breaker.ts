/**
 * When to stop asking Claude. A failed call (stalled, past its deadline, overloaded after the SDK's retries, no
 * connection) trips two breakers: the run's own, so the run's other calls go straight to the template writer (and those
 * in flight stop), and the process's, shared by every run, so the runs that start during a cool-off do not wait for
 * Claude either. After the cool-off the next calls try Claude again; a success closes the breaker, a failure starts a
 * new cool-off.
 *
 * Our own small class rather than a circuit-breaker library (opossum, cockatiel): those wrap a promise-returning call,
 * while a Claude call here is a stream whose text reaches the reader as it arrives, and the breaker must also stop the
 * calls already in flight.
 */

/** Options of {@link ClaudeBreaker}. */
export interface ClaudeBreakerOptions {
  /** How long Claude is left alone after a failure, ms (0: never). */
  coolOffMs: number;
  /** Clock, epoch ms. @default Date.now */
  now?: () => number;
}

/** The process-wide breaker: open for `coolOffMs` after a failure. */
export class ClaudeBreaker {
  readonly #coolOffMs: number;
  readonly #now: () => number;
  #trippedAt: number | undefined;
  #reason = '';

  constructor(options: ClaudeBreakerOptions) {
    this.#coolOffMs = options.coolOffMs;
    this.#now = options.now ?? Date.now;
  }

  /** Why Claude should not be asked now (the last failure, in plain words), or `undefined` when it may be. */
  blocked(): string | undefined {
    if (this.#trippedAt === undefined) return undefined;
    const left = this.#trippedAt + this.#coolOffMs - this.#now();
    if (left <= 0) return undefined;
    return `${this.#reason}; Claude is tried again in ${Math.ceil(left / 1000)} s`;
  }

  /** Record a failure: Claude is left alone for the cool-off from now. */
  trip(reason: string): void {
    if (this.#coolOffMs <= 0) return;
    this.#trippedAt = this.#now();
    this.#reason = reason;
  }

  /** Record a success: Claude answers again. */
  succeeded(): void {
    this.#trippedAt = undefined;
  }
}
