/**
 * `BackgroundLane` on its own (the gateway's tests cover it through calls): the order attempts reach the queue in,
 * a promoted background attempt, and the refresh bookkeeping (probe first, one probe per key, a bounded drain).
 * Order-based: attempts and probes end only when the test resolves them.
 */
import { describe, expect, it } from 'vitest';
import { BackgroundLane, Lane } from '../../src/tools/background-lane.js';

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

/** An attempt that records when it starts and ends when `release()` is called. */
function attempt(name: string, started: string[]) {
  let release = () => {};
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    run: async () => {
      started.push(name);
      await done;
      return name;
    },
    release: () => release(),
  };
}

describe('BackgroundLane', () => {
  it('sends a user attempt before a background one waiting for the same slot, and a promoted one as a user', async () => {
    const lanes = new BackgroundLane({ concurrency: 1, backgroundConcurrency: 1 });
    const started: string[] = [];
    const first = attempt('first', started);
    const bg = attempt('background', started);
    const promoted = attempt('promoted', started);
    const user = attempt('user', started);
    const results = [lanes.enqueue(first.run, undefined)];
    results.push(lanes.enqueue(bg.run, new Lane()));
    const lane = new Lane();
    let settled!: () => void;
    lanes.hold('k', lane, new Promise<void>((resolve) => (settled = resolve)));
    results.push(lanes.enqueue(promoted.run, lane));
    await settle();
    results.push(lanes.enqueue(user.run, undefined));
    lanes.promote('k');
    expect(lane.background).toBe(false);
    for (const a of [first, user, promoted, bg]) {
      await settle();
      a.release();
    }
    expect(await Promise.all(results)).toEqual(['first', 'background', 'promoted', 'user']);
    expect(started).toEqual(['first', 'user', 'promoted', 'background']);
    settled();
  });

  it('refreshes at once without hosts, after a probe with them (one per key), and skips when none answers', async () => {
    const asked: string[] = [];
    const answers: ((ok: boolean) => void)[] = [];
    const lanes = new BackgroundLane({
      concurrency: 2,
      probeHost: (host) => {
        asked.push(host);
        return new Promise((resolve) => answers.push(resolve));
      },
    });
    const calls: string[] = [];
    const start = (key: string) => async () => {
      calls.push(key);
    };
    const skipped = (key: string) => () => calls.push(`skipped ${key}`);

    lanes.refresh('plain', undefined, start('plain'), skipped('plain'));
    lanes.refresh('down', ['a.example'], start('down'), skipped('down'));
    lanes.refresh('down', ['a.example'], start('down'), skipped('down')); // probe under way: nothing more
    lanes.refresh('back', ['b.example'], start('back'), skipped('back'));
    await settle();
    expect(asked).toEqual(['a.example', 'b.example']);
    expect(lanes.refreshing()).toHaveLength(2);
    answers[0]?.(false);
    answers[1]?.(true);
    await Promise.all(lanes.refreshing());
    expect(calls).toEqual(['plain', 'skipped down', 'back']);
    expect(lanes.refreshing()).toEqual([]);
  });

  it('drain(0) does not wait for a refresh under way', async () => {
    const lanes = new BackgroundLane({ concurrency: 1 });
    lanes.refresh(
      'k',
      undefined,
      () => new Promise<void>(() => {}),
      () => {},
    );
    await lanes.drain(0);
    expect(lanes.refreshing()).toHaveLength(1);
  });
});
