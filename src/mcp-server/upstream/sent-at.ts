/**
 * When a request actually left this process: the moment Node's fetch (undici) wrote its headers to the socket, told
 * by undici's documented diagnostics channels (`undici:request:create` ties undici's request to the caller through
 * an AsyncLocalStorage context, `undici:client:sendHeaders` marks the write). A rate window counted from this moment,
 * not from when the request was started, still holds when this process stalls between the two (a busy event loop,
 * a first fetch loading undici, a new connection): the stall moves the window instead of squeezing it.
 *
 * A fetch that does not go through undici (a test's own `fetch`) or fails before writing is taken as written when it
 * settles: later than the truth, so a window counted from it errs on the safe side.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';

interface Tracker {
  written: (at: number) => void;
}

const context = new AsyncLocalStorage<Tracker>();
const trackers = new WeakMap<object, Tracker>();
let subscribed = false;

function subscribe(): void {
  if (subscribed) return;
  subscribed = true;
  diagnostics.subscribe('undici:request:create', (message) => {
    const tracker = context.getStore();
    const request = (message as { request?: object }).request;
    if (tracker && request) trackers.set(request, tracker);
  });
  diagnostics.subscribe('undici:client:sendHeaders', (message) => {
    const request = (message as { request?: object }).request;
    if (request) trackers.get(request)?.written(Date.now());
  });
}

/** A request being sent, and when it was written. */
export interface TrackedSend<T> {
  /** What `send` resolves to. */
  result: Promise<T>;
  /** Resolves with the time (ms since the epoch) the request's headers were written, or `send` settled if sooner. */
  sentAt: Promise<number>;
}

/**
 * Call `send` (which makes one fetch) and learn when its request was written to the socket (see the module comment).
 * Never rejects through `sentAt`; `result` rejects as `send` does.
 */
export function trackSentAt<T>(send: () => Promise<T>): TrackedSend<T> {
  subscribe();
  let resolveSent!: (at: number) => void;
  const sentAt = new Promise<number>((resolve) => {
    resolveSent = resolve;
  });
  let done = false;
  const tracker: Tracker = {
    written: (at) => {
      if (done) return;
      done = true;
      resolveSent(at);
    },
  };
  const result = context.run(tracker, send);
  result.then(
    () => tracker.written(Date.now()),
    () => tracker.written(Date.now()),
  );
  return { result, sentAt };
}
