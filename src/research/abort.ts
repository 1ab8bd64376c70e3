/**
 * Helpers that let a run stop promptly on cancel even when the work it waits for ignores its AbortSignal
 * (a tool that never answers, a writer that never yields).
 */
import { asTickerdeskError, RunCancelledError, TickerdeskError } from '../errors.js';

/** The error a cancelled run fails with: the signal's reason when it is a TickerdeskError, else a plain one. */
export function abortReason(signal: AbortSignal): TickerdeskError {
  const reason: unknown = signal.reason;
  if (reason instanceof TickerdeskError) return reason;
  if (reason instanceof Error && reason.name !== 'AbortError') return asTickerdeskError(reason);
  return new RunCancelledError(undefined, { cause: reason });
}

/**
 * A signal of its own for one task of a run (a tool call, an analyst, a section): it aborts when `parent` does, with
 * the same reason, but adds no listener to `parent` (`AbortSignal.any` links them without one). Each task's waits
 * then listen on their task's signal, so a run with many tasks waiting at once never piles their listeners on the
 * run signal (Node warns past 10: `MaxListenersExceededWarning`).
 */
export function taskSignal(parent: AbortSignal): AbortSignal {
  return AbortSignal.any([parent]);
}

/**
 * Settle like `promise`, or reject with {@link abortReason} as soon as `signal` aborts, whichever comes first.
 * A promise left behind by an abort has its rejection swallowed (nobody waits for it any more).
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {});
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
