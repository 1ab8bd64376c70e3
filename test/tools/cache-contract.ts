/**
 * The contract every {@link ToolCache} backend satisfies (in the manner of keyv's adapter test suite). Run it with
 * a factory per backend: SQLite today (`cache.test.ts`), Redis when that backend lands.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CacheEntry, ToolCache } from '../../src/tools/cache.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const entry = (data: unknown): CacheEntry => ({ kind: 'data', data, fetchedAt: '2026-11-30T08:00:00.000Z' });

/** Register the ToolCache contract tests for a backend built by `create` (a fresh, empty cache each time). */
export function describeToolCacheContract(name: string, create: () => Promise<ToolCache>): void {
  describe(`ToolCache contract: ${name}`, () => {
    const open: ToolCache[] = [];
    const make = async () => {
      const c = await create();
      open.push(c);
      return c;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((c) => c.close()));
    });

    it('misses an absent key, then round-trips data and negative entries', async () => {
      const cache = await make();
      expect(await cache.get('absent')).toBeUndefined();
      const data = entry({ revenue: 60_922_000_000, unit: 'USD', period: 'FY2024', nested: { list: [1, 'a', null] } });
      const unavailable: CacheEntry = { kind: 'unavailable', message: 'No analyst coverage.', fetchedAt: 'x' };
      await cache.set('k', data, 60_000);
      await cache.set('u', unavailable, 60_000);
      expect(await cache.get('k')).toEqual(data);
      expect(await cache.get('u')).toEqual(unavailable);
      expect(cache.errors).toBe(0);
    });

    it('overwrites a key', async () => {
      const cache = await make();
      await cache.set('k', entry(1), 60_000);
      await cache.set('k', entry(2), 60_000);
      expect(await cache.get('k')).toEqual(entry(2));
    });

    it('expires entries after their TTL', async () => {
      const cache = await make();
      await cache.set('short', entry('s'), 50);
      await cache.set('long', entry('l'), 60_000);
      await sleep(120);
      expect(await cache.get('short')).toBeUndefined();
      expect(await cache.get('long')).toEqual(entry('l'));
    });

    it('treats an unreadable entry as a miss and counts it', async () => {
      const cache = await make();
      await cache.set('k', { nonsense: true } as unknown as CacheEntry, 60_000);
      expect(await cache.get('k')).toBeUndefined();
      expect(cache.errors).toBe(1);
    });

    it('close is idempotent; later calls miss without throwing', async () => {
      const cache = await make();
      await cache.close();
      await cache.close();
      expect(await cache.get('k')).toBeUndefined();
      await cache.set('k', entry(1), 1000);
    });
  });
}
