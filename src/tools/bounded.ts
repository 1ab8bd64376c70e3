/**
 * One bound on a backend operation (a cache read or write, a Redis command): a slow backend must never hold up a
 * tool call. The abandoned operation keeps running; its late rejection is swallowed (it was already counted by the
 * caller when the bound fired).
 *
 * The bound is judged after the I/O that finished meanwhile has been handled: Node runs due timers before it reads
 * finished I/O, so on a loaded machine, where the event loop was busy for longer than the bound, the timer would fire
 * first and call an operation late whose answer was already waiting (the live bench at `--tool-concurrency 16` lost
 * warm cache hits that way). When the timer fires, the operation gets that one turn of the loop (a `setImmediate`,
 * which runs after the loop's I/O phase) before it counts as timed out.
 */
import pTimeout from 'p-timeout';

/**
 * Run `fn`, rejecting with `error` when it has not settled within `ms` milliseconds (and the I/O done by then has
 * been handled, see the module comment).
 * @throws `error` on timeout; whatever `fn` throws otherwise.
 */
export function bounded<T>(fn: () => Promise<T>, ms: number, error: Error): Promise<T> {
  const work = Promise.resolve().then(fn);
  let settled = false;
  work.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  return pTimeout(work, {
    milliseconds: ms,
    fallback: () =>
      new Promise<T>((resolve, reject) => {
        setImmediate(() => (settled ? work.then(resolve, reject) : reject(error)));
      }),
  });
}
