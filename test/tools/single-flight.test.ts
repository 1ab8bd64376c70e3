import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../src/tools/single-flight.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('SingleFlight', () => {
  it('shares one promise among identical in-flight calls; the first leads', async () => {
    const sf = new SingleFlight<number>();
    let runs = 0;
    const fn = async () => {
      runs += 1;
      await tick();
      return 42;
    };
    const flights = Array.from({ length: 10 }, () => sf.run('k', fn));
    expect(flights.filter((f) => f.leader)).toHaveLength(1);
    expect(flights.every((f) => !f.settled)).toBe(true);
    expect(new Set(flights.map((f) => f.promise)).size).toBe(1);
    expect(await Promise.all(flights.map((f) => f.promise))).toEqual(Array(10).fill(42));
    expect(runs).toBe(1);
    await tick();
    expect(sf.size).toBe(0);
    expect(sf.run('k', fn).leader).toBe(true);
  });

  it('keeps different keys apart and shares rejections too', async () => {
    const sf = new SingleFlight<string>();
    const a = sf.run('a', async () => 'A');
    const b = sf.run('b', async () => {
      throw new Error('boom');
    });
    const b2 = sf.run('b', async () => 'never');
    expect(b2.leader).toBe(false);
    expect(await a.promise).toBe('A');
    await expect(b.promise).rejects.toThrow('boom');
    await expect(b2.promise).rejects.toThrow('boom');
  });

  it('stays joinable while held, except for callers that want a fresh answer', async () => {
    const sf = new SingleFlight<number>();
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const first = sf.run('k', async (hold) => {
      hold(held);
      return 1;
    });
    expect(await first.promise).toBe(1);
    const joined = sf.run('k', async () => 2);
    expect(joined).toMatchObject({ leader: false, settled: true });
    expect(await joined.promise).toBe(1);
    const fresh = sf.run('k', async () => 3, false);
    expect(fresh.leader).toBe(true);
    expect(await fresh.promise).toBe(3);
    release();
    await tick();
    expect(sf.size).toBe(0);
  });
});
