/**
 * The bound on a backend operation: an operation that settles in time is answered; one still under way when the bound
 * fires is given up on with the error; and one whose answer was already waiting when a busy event loop let the timer
 * fire late is answered, not given up on (the loop is held with Atomics.wait, no CPU spent; the answer is a message
 * on a MessagePort, handled in the loop's I/O phase as a SQLite or socket answer is).
 */
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { bounded } from '../../src/tools/bounded.js';

/** Hold the event loop for `ms` (the thread sleeps; timers due meanwhile fire late). */
function holdLoop(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const timedOut = new Error('bound reached');

describe('bounded', () => {
  it('answers an operation that settles in time, and passes on its failure', async () => {
    await expect(bounded(async () => 'v', 1000, timedOut)).resolves.toBe('v');
    await expect(
      bounded(
        async () => {
          throw new Error('failed');
        },
        1000,
        timedOut,
      ),
    ).rejects.toThrow('failed');
  });

  it('gives up with the error on an operation still under way when the bound fires', async () => {
    const never = new Promise<string>(() => {});
    await expect(bounded(() => never, 5, timedOut)).rejects.toBe(timedOut);
  });

  it('answers an operation whose answer was waiting when a busy loop let the timer fire late', async () => {
    const { port1, port2 } = new MessageChannel();
    try {
      const answer = new Promise<string>((resolve) => port1.once('message', (m: string) => resolve(m)));
      // From the loop's check phase (as after a setImmediate), so that its next turn begins with the due timers.
      const read = await new Promise<{ bound: Promise<string> }>((started) => {
        setImmediate(() => {
          const bound = bounded(() => answer, 5, timedOut);
          // The answer arrives while the loop is busy for longer than the bound.
          port2.postMessage('cached');
          holdLoop(50);
          started({ bound });
        });
      });
      await expect(read.bound).resolves.toBe('cached');
    } finally {
      port1.close();
    }
  });
});
