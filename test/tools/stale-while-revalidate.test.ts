/**
 * Stale-while-revalidate in the tool gateway: an answer past its validity but within its grace window is served at
 * once, marked stale, and refreshed once in the background; the next call gets the refreshed answer; past the grace
 * window it is a plain miss. Order-based, on a fake clock: a scripted MCP client whose calls answer only when the test
 * releases them, so "at once" means "before the refresh was answered", never a measured time.
 */
import { describe, expect, it } from 'vitest';
import { GRACE_MS, req, scriptedClient, useSwrGateways, VALID_MS } from './scripted-client.js';

describe('tool gateway: stale-while-revalidate', () => {
  const open = useSwrGateways();

  it('serves a stale answer at once to 100 callers, refreshes it once, and the next call gets the new answer', async () => {
    const server = scriptedClient();
    const clock = { now: Date.parse('2026-12-07T15:00:00Z') };
    const { gw } = open(server.client, clock);
    const first = gw.call(req);
    await server.answer({ price: 1 });
    expect((await first).data).toEqual({ price: 1 });
    await server.settle();

    clock.now += VALID_MS + 1; // past its validity, within its grace window
    const burst = await Promise.all(Array.from({ length: 100 }, () => gw.call(req)));
    // Every caller was answered before the refresh was: the old value, marked stale, as a cache hit.
    await server.settle();
    expect(server.waiting()).toBe(1);
    expect(server.calls()).toBe(2);
    for (const r of burst) {
      expect(r.data).toEqual({ price: 1 });
      expect(r.cache).toBe('hit');
      expect(r.stale).toEqual({
        fetchedAt: '2026-12-07T15:00:00.000Z',
        validUntil: '2026-12-07T15:01:00.000Z',
        refreshing: true,
      });
    }
    expect(gw.stats()).toMatchObject({ stale: 100, refreshes: 1, backgroundServerCalls: 1 });

    await server.answer({ price: 2 });
    const next = await gw.call(req);
    expect(next).toMatchObject({ data: { price: 2 }, cache: 'hit' });
    expect(next.stale).toBeUndefined();
    expect(server.calls()).toBe(2);
  });

  it('past the grace window the answer is a plain miss: the caller waits for the server', async () => {
    const server = scriptedClient();
    const clock = { now: Date.parse('2026-12-07T15:00:00Z') };
    const { gw } = open(server.client, clock);
    const first = gw.call(req);
    await server.answer({ price: 1 });
    await first;
    await server.settle();

    clock.now += VALID_MS + GRACE_MS + 1;
    let landed = false;
    const late = gw.call(req).then((r) => {
      landed = true;
      return r;
    });
    await server.settle();
    expect(server.calls()).toBe(2);
    expect(landed).toBe(false); // not served the expired answer: waiting for the server's
    await server.answer({ price: 3 });
    const r = await late;
    expect(r).toMatchObject({ data: { price: 3 }, cache: 'miss' });
    expect(r.stale).toBeUndefined();
    expect(gw.stats()).toMatchObject({ stale: 0, refreshes: 0 });
  });

  it('a refresh that fails is logged once, rejects nothing, and the stale answer is served until it succeeds', async () => {
    const server = scriptedClient();
    const clock = { now: Date.parse('2026-12-07T15:00:00Z') };
    const { gw, warnings } = open(server.client, clock);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const first = gw.call(req);
      await server.answer({ price: 1 });
      await first;
      await server.settle();

      clock.now += VALID_MS + 1;
      const stale = await Promise.all([gw.call(req), gw.call(req), gw.call(req)]);
      expect(stale.map((r) => r.data)).toEqual([{ price: 1 }, { price: 1 }, { price: 1 }]);
      await server.fail('the data server is down');
      await server.settle();
      expect(warnings()).toEqual(['background refresh failed']);

      // Still stale, still served, and a new refresh is tried.
      const again = await gw.call(req);
      expect(again).toMatchObject({ data: { price: 1 }, cache: 'hit', stale: { refreshing: true } });
      expect(server.calls()).toBe(3);
      await server.answer({ price: 4 });
      expect((await gw.call(req)).data).toEqual({ price: 4 });
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
