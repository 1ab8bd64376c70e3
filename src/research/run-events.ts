/**
 * A small typed wrapper over node:events' EventEmitter for a run's events ({@link RunEvents}). Listeners that throw
 * are logged and skipped: whoever listens can never break a run. Once closed (after `runFinished`/`runFailed`),
 * later emits are dropped, so work abandoned by a cancelled or failed run cannot produce stray events.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from '../log.js';
import type { RunEvents, RunListener } from './types.js';

/** Typed emitter of run events. */
export class RunEmitter {
  readonly #emitter = new EventEmitter();
  readonly #logger: Logger | undefined;
  #closed = false;

  /** @param logger where listener errors are reported (at `warn`). */
  constructor(logger?: Logger) {
    this.#logger = logger;
    // Front ends, the metrics recorder and tests may all listen to one run.
    this.#emitter.setMaxListeners(50);
  }

  /** Subscribe to event `event`. */
  on<K extends keyof RunEvents>(event: K, listener: RunListener<K>): void {
    this.#emitter.on(event, listener);
  }

  /** Unsubscribe a listener added with {@link on}. */
  off<K extends keyof RunEvents>(event: K, listener: RunListener<K>): void {
    this.#emitter.off(event, listener);
  }

  /** True once a final event (`runFinished`/`runFailed`) was emitted. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Call every listener of `event` with `payload`, in subscription order. A listener's exception is logged, never
   * thrown. Returns false (and calls nobody) when the emitter is closed.
   */
  emit<K extends keyof RunEvents>(event: K, payload: RunEvents[K]): boolean {
    if (this.#closed) return false;
    if (event === 'runFinished' || event === 'runFailed') this.#closed = true;
    for (const listener of this.#emitter.listeners(event) as RunListener<K>[]) {
      try {
        listener(payload);
      } catch (err) {
        this.#logger?.warn({ err, event }, 'a run event listener threw; the run goes on');
      }
    }
    return true;
  }
}
