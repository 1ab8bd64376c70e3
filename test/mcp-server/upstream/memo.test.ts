/**
 * The live providers' promise memo: one load per key in flight, an answer kept for its time, a failure dropped unless
 * the memo is told it is definitive (then kept for the time it is given). Time is the fake clock's.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PromiseMemo } from '../../../src/mcp-server/upstream/memo.js';

class NotFound extends Error {}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-12-07T12:00:00Z'));
});
afterEach(() => vi.useRealTimers());

/** A load that counts its calls and answers (or fails with) what `next` says. */
function loader(next: () => Promise<string>) {
  const calls: number[] = [];
  const load = () => {
    calls.push(calls.length + 1);
    return next();
  };
  return { calls, load };
}

describe('PromiseMemo', () => {
  it('shares a load in flight and keeps its answer for its time, then loads again', async () => {
    const memo = new PromiseMemo<string>(60_000);
    const l = loader(async () => 'a');
    const [x, y] = await Promise.all([memo.get('k', l.load), memo.get('k', l.load)]);
    expect([x, y]).toEqual(['a', 'a']);
    expect(await memo.get('k', l.load)).toBe('a');
    expect(l.calls).toHaveLength(1);
    vi.setSystemTime(Date.now() + 60_001);
    await memo.get('k', l.load);
    expect(l.calls).toHaveLength(2);
  });

  it('drops a failure at once unless it is definitive; a definitive one is kept for its own time', async () => {
    const memo = new PromiseMemo<string>(60_000, {
      keepFailureMs: (err) => (err instanceof NotFound ? 1000 : undefined),
    });
    const flaky = loader(async () => {
      throw new Error('timed out');
    });
    await expect(memo.get('slow', flaky.load)).rejects.toThrow('timed out');
    await expect(memo.get('slow', flaky.load)).rejects.toThrow('timed out');
    expect(flaky.calls).toHaveLength(2);

    const missing = loader(async () => {
      throw new NotFound('404');
    });
    await expect(memo.get('gone', missing.load)).rejects.toThrow('404');
    await expect(memo.get('gone', missing.load)).rejects.toBeInstanceOf(NotFound);
    expect(missing.calls).toHaveLength(1);
    vi.setSystemTime(Date.now() + 1001);
    await expect(memo.get('gone', missing.load)).rejects.toThrow('404');
    expect(missing.calls).toHaveLength(2);
  });

  it('loads anew on fresh, sharing only a load in flight', async () => {
    const memo = new PromiseMemo<string>(60_000);
    let n = 0;
    const load = async () => `v${++n}`;
    expect(await memo.get('k', load)).toBe('v1');
    const [a, b] = await Promise.all([memo.fresh('k', load), memo.fresh('k', load)]);
    expect([a, b]).toEqual(['v2', 'v2']);
    expect(await memo.get('k', load)).toBe('v2');
  });

  it('keeps at most max keys, dropping the oldest', async () => {
    const memo = new PromiseMemo<string>(60_000, { max: 2 });
    const l = loader(async () => 'x');
    for (const k of ['a', 'b', 'c']) await memo.get(k, l.load);
    await memo.get('c', l.load);
    await memo.get('b', l.load);
    expect(l.calls).toHaveLength(3);
    await memo.get('a', l.load);
    expect(l.calls).toHaveLength(4);
  });
});
