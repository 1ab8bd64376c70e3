/**
 * The tool gateway's two lanes into its call queue, and the bookkeeping of the work it does in the background.
 *
 * Background calls (smart prefetch, prewarm, refreshes of stale answers) take a second lane: a p-queue of
 * `backgroundConcurrency` slots in front of the main queue, where they then wait behind every user call (p-queue
 * priorities). So background work holds at most that many of the main queue's slots and never goes ahead of a user's
 * call; a user call that joins a background flight lifts it out of the lane at once (its attempt is queued, or
 * re-prioritised, as a user call).
 *
 * Refreshes of stale answers are tracked here until they land (or are skipped), so that the gateway can wait for them
 * (`refreshed()`) and bound that wait when it closes. A refresh of a fallback answer whose live hosts could not be
 * reached first asks those hosts (`reachability.ts`), one probe per key at a time, and starts only if one answers.
 */
import { randomUUID } from 'node:crypto';
import PQueue from 'p-queue';
import pTimeout from 'p-timeout';
import { anyReachable, type HostProbe } from './reachability.js';

/** p-queue priorities of the main queue: a user's call goes before any background call waiting there. */
const USER_PRIORITY = 10;
const BACKGROUND_PRIORITY = 0;

/**
 * A background flight's place: in the background lane until it is sent, or until a user call joins the flight and
 * {@link Lane.promote}s it.
 */
export class Lane {
  #background = true;
  #onPromote: (() => void) | undefined;

  /** Whether the flight is still in the background lane (its attempts go as background calls). */
  get background(): boolean {
    return this.#background;
  }

  /** Called (once) when a user call joins; replaces the previous attempt's hook. */
  onPromote(fn: (() => void) | undefined): void {
    this.#onPromote = fn;
  }

  /** Lift the flight into the user lane (idempotent). */
  promote(): void {
    if (!this.#background) return;
    this.#background = false;
    this.#onPromote?.();
  }
}

/** Options of {@link BackgroundLane}. */
export interface BackgroundLaneOptions {
  /** Slots of the main queue: server calls in flight at once, user and background together. */
  concurrency: number;
  /** Background calls in flight at once. @default a quarter of `concurrency`, at least 1 */
  backgroundConcurrency?: number;
  /** How a refresh's unreachable hosts are asked. @default `probeHost` (reachability.ts) */
  probeHost?: HostProbe;
}

/**
 * The gateway's main queue with the background lane in front of it, and the background refreshes under way.
 * @example
 * const lanes = new BackgroundLane({ concurrency: 64, backgroundConcurrency: 2 });
 * const lane = new Lane();
 * lanes.hold(key, lane, flight); // until the flight settles, a user call can lanes.promote(key)
 * await lanes.enqueue(() => client.callTool(…), lane);
 */
export class BackgroundLane {
  readonly #queue: PQueue;
  /** Holds background attempts until they may enter {@link #queue}. */
  readonly #background: PQueue;
  /** Background flights not yet lifted into the user lane, by key. */
  readonly #lanes = new Map<string, Lane>();
  /** Background refreshes of stale answers under way (with the probes of unreachable hosts before them). */
  readonly #refreshes = new Set<Promise<void>>();
  /** Keys whose refresh waits on a probe of the hosts that failed their answer. */
  readonly #probing = new Set<string>();
  readonly #probeHost: HostProbe | undefined;

  constructor(options: BackgroundLaneOptions) {
    this.#queue = new PQueue({ concurrency: options.concurrency });
    this.#background = new PQueue({
      concurrency: options.backgroundConcurrency ?? Math.max(1, Math.floor(options.concurrency / 4)),
    });
    this.#probeHost = options.probeHost;
  }

  /** Keep `lane` as the place of `key`'s background flight until `flight` settles (so {@link promote} finds it). */
  hold(key: string, lane: Lane, flight: Promise<unknown>): void {
    this.#lanes.set(key, lane);
    const done = () => {
      if (this.#lanes.get(key) === lane) this.#lanes.delete(key);
    };
    flight.then(done, done);
  }

  /** A user waits on `key`'s answer now: its background flight, if any, goes in the user lane. */
  promote(key: string): void {
    this.#lanes.get(key)?.promote();
  }

  /**
   * Queue one attempt: a user's straight into the main queue; a background one first through the background lane
   * (one of its slots, held until the attempt ends), then into the main queue behind every user call. Promoted while
   * it waits, it goes to the main queue as a user call at once (or is moved up there, if already queued).
   * @returns what `run` returns, or its rejection.
   */
  enqueue<T>(run: () => Promise<T>, lane: Lane | undefined): Promise<T> {
    if (!lane?.background) return this.#queue.add(run, { priority: USER_PRIORITY });
    return new Promise<T>((resolve, reject) => {
      const id = randomUUID();
      let sent: Promise<T> | undefined;
      const send = (priority: number): Promise<T> => {
        if (sent) return sent;
        sent = this.#queue.add(run, { priority, id });
        sent.then(resolve, reject);
        return sent;
      };
      lane.onPromote(() => {
        if (!sent) {
          send(USER_PRIORITY);
          return;
        }
        try {
          this.#queue.setPriority(id, USER_PRIORITY);
        } catch {
          // Already running: nothing to move.
        }
      });
      this.#background
        .add(async () => {
          await send(BACKGROUND_PRIORITY).catch(() => undefined);
        })
        .catch(reject);
    });
  }

  /**
   * Refresh `key` in the background with `start` (which resolves when the refresh has landed or failed, never
   * rejecting): at once when `hosts` is `undefined`; else only when a probe finds one of `hosts` (the live hosts that
   * could not be reached for the stale answer) reachable now, calling `skipped` instead when none is. Nothing is
   * started while a probe for `key` is under way. A probe that ends while the gateway closes still starts its refresh:
   * {@link drain} waits for both.
   */
  refresh(key: string, hosts: readonly string[] | undefined, start: () => Promise<void>, skipped: () => void): void {
    if (this.#probing.has(key)) return;
    if (!hosts) {
      this.#track(start());
      return;
    }
    this.#probing.add(key);
    this.#track(
      anyReachable(hosts, this.#probeHost).then(async (reachable) => {
        this.#probing.delete(key);
        if (reachable) return start();
        skipped();
      }),
    );
  }

  /** The refreshes (and probes) under way now. */
  refreshing(): Promise<void>[] {
    return [...this.#refreshes];
  }

  /**
   * Wait for the refreshes under way, at most `waitMs` (0: not at all); resolves then even if some are still under
   * way (the caller drops them by closing their connections). Never rejects.
   */
  async drain(waitMs: number): Promise<void> {
    // (p-timeout refuses a bound of 0.)
    if (waitMs <= 0 || this.#refreshes.size === 0) return;
    await pTimeout(Promise.allSettled([...this.#refreshes]), { milliseconds: waitMs, fallback: () => undefined });
  }

  #track(p: Promise<void>): void {
    this.#refreshes.add(p);
    void p.finally(() => this.#refreshes.delete(p));
  }
}
