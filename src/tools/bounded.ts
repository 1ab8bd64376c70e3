/**
 * One bound on a backend operation (a cache read or write, a Redis command): a slow backend must never hold up a
 * tool call. The abandoned operation keeps running; its late rejection is swallowed (it was already counted by the
 * caller when the bound fired).
 */
import pTimeout from 'p-timeout';

/**
 * Run `fn`, rejecting with `error` when it has not settled within `ms` milliseconds.
 * @throws `error` on timeout; whatever `fn` throws otherwise.
 */
export function bounded<T>(fn: () => Promise<T>, ms: number, error: Error): Promise<T> {
  const work = Promise.resolve().then(fn);
  work.catch(() => {});
  return pTimeout(work, { milliseconds: ms, message: error });
}
