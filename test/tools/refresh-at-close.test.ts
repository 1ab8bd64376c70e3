/**
 * Background refreshes and a short-lived process (issue 12, defect: offline, `npm run research -- NVDA` run again
 * after the fallback prices' 5 minutes printed "Finished" and then held the exit 1.8–3.4 s, starting the data server
 * only to refresh answers from hosts that could not be reached). A stale fallback answer whose live hosts still cannot
 * be reached is not refreshed at all; a refresh that can succeed is waited for at close within its bound, and one past
 * the bound is dropped with the stale answer left as it was. Order-based: a scripted client answers only when the test
 * says, and host probes answer when the test resolves them; no test measures time.
 */
import { describe, expect, it, vi } from 'vitest';
import type { HostProbe } from '../../src/tools/reachability.js';
import { req, scriptedClient, useSwrGateways, VALID_MS } from './scripted-client.js';

/** A probe whose answers the test gives, per call, in order. */
function scriptedProbe() {
  const asked: string[] = [];
  const pending: ((reachable: boolean) => void)[] = [];
  const probe: HostProbe = (host) => {
    asked.push(host);
    return new Promise((resolve) => pending.push(resolve));
  };
  return {
    probe,
    asked: () => [...asked],
    /** Answer every probe waiting. */
    answerAll(reachable: boolean) {
      for (const resolve of pending.splice(0)) resolve(reachable);
    },
  };
}

const YAHOO = 'query1.finance.yahoo.com';
const STOOQ = 'stooq.com';

/** A fallback answer: the bundle answered because both live price hosts could not be reached. */
function fallback(price: number) {
  return {
    price,
    provenance: {
      provider: 'bundled',
      live: false,
      tried: [
        {
          provider: 'yahoo',
          outcome: 'failed',
          reason: `${YAHOO} could not be reached (ENOTFOUND).`,
          unreachable: YAHOO,
        },
        {
          provider: 'stooq',
          outcome: 'failed',
          reason: `${STOOQ} could not be reached (ENOTFOUND).`,
          unreachable: STOOQ,
        },
      ],
    },
  };
}

describe('tool gateway: background refreshes and close', () => {
  const open = useSwrGateways();

  /** Cache `value` through a first gateway, then move the clock past its validity (within its grace window). */
  async function staleEntry(value: unknown, clock: { now: number }, store: Map<string, unknown>) {
    const server = scriptedClient();
    const { gw } = open(server.client, clock, { store });
    const first = gw.call(req);
    await server.answer(value);
    await first;
    await gw.close();
    clock.now += VALID_MS + 1;
  }

  it('does not refresh a stale fallback answer while its unreachable hosts still cannot be reached', async () => {
    const clock = { now: Date.parse('2026-12-07T15:00:00Z') };
    const store = new Map<string, unknown>();
    await staleEntry(fallback(1), clock, store);

    const server = scriptedClient();
    const probe = scriptedProbe();
    const { gw, warnings } = open(server.client, clock, { store, probeHost: probe.probe });
    const burst = await Promise.all(Array.from({ length: 10 }, () => gw.call(req)));
    for (const r of burst) expect(r).toMatchObject({ data: fallback(1), cache: 'hit', stale: { refreshing: true } });
    // One probe per host for the whole burst, and nothing sent before the hosts answer.
    expect(probe.asked()).toEqual([YAHOO, STOOQ]);
    await server.settle();
    expect(server.calls()).toBe(0);

    probe.answerAll(false);
    await gw.refreshed();
    expect(server.calls()).toBe(0);
    expect(gw.stats()).toMatchObject({ stale: 10, refreshes: 0, refreshesSkipped: 1, serverCalls: 0 });
    expect(warnings()).toEqual([]);

    // The stale answer stays as it was; the next call serves it and asks the hosts again.
    const again = await gw.call(req);
    expect(again).toMatchObject({ data: fallback(1), fetchedAt: '2026-12-07T15:00:00.000Z', stale: {} });
    expect(probe.asked()).toEqual([YAHOO, STOOQ, YAHOO, STOOQ]);
    probe.answerAll(false);
    await gw.close();
    expect(server.calls()).toBe(0);
  });

  it('refreshes a stale fallback answer as soon as one of its hosts can be reached', async () => {
    const clock = { now: Date.parse('2026-12-07T15:00:00Z') };
    const store = new Map<string, unknown>();
    await staleEntry(fallback(1), clock, store);

    const server = scriptedClient();
    const probe = scriptedProbe();
    const { gw } = open(server.client, clock, { store, probeHost: probe.probe });
    await gw.call(req);
    await server.settle();
    probe.answerAll(true);
    await server.answer({ price: 2, provenance: { provider: 'yahoo', live: true, tried: [] } });
    await gw.refreshed();
    expect(gw.stats()).toMatchObject({ refreshes: 1, refreshesSkipped: 0, serverCalls: 1, backgroundServerCalls: 1 });
    expect((await gw.call(req)).data).toMatchObject({ price: 2 });
  });

  it('close() waits for a probe under way and for the refresh it allows, so the next process gets the new answer', async () => {
    const clock = { now: Date.parse('2026-12-07T15:00:00Z') };
    const store = new Map<string, unknown>();
    await staleEntry(fallback(1), clock, store);

    const server = scriptedClient();
    const probe = scriptedProbe();
    const { gw } = open(server.client, clock, { store, probeHost: probe.probe });
    await gw.call(req);
    let closed = false;
    const closing = gw.close().then(() => {
      closed = true;
    });
    await server.settle();
    expect(closed).toBe(false); // waiting on the probe
    probe.answerAll(true);
    await server.settle();
    expect(server.calls()).toBe(1);
    expect(closed).toBe(false); // waiting on the refresh
    await server.answer({ price: 2, provenance: { provider: 'yahoo', live: true, tried: [] } });
    await closing;

    const next = scriptedClient();
    const { gw: later } = open(next.client, clock, { store });
    const r = await later.call(req);
    expect(r).toMatchObject({ data: { price: 2 }, cache: 'hit' });
    expect(r.stale).toBeUndefined();
    expect(next.calls()).toBe(0);
  });

  it('close() waits for a refresh under way up to its bound, then drops it: the stale answer stays as it was, and is refreshed next time', async () => {
    const clock = { now: Date.parse('2026-12-07T15:00:00Z') };
    const store = new Map<string, unknown>();
    await staleEntry({ price: 1 }, clock, store);

    const server = scriptedClient();
    const { gw, warnings } = open(server.client, clock, { store });
    expect(await gw.call(req)).toMatchObject({ data: { price: 1 }, stale: { refreshing: true } });
    await server.settle();
    expect(server.waiting()).toBe(1); // the refresh was sent and has no answer
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let closed = false;
    try {
      const closing = gw.close().then(() => {
        closed = true;
      });
      await server.settle();
      vi.advanceTimersByTime(4999);
      await server.settle();
      expect(closed).toBe(false); // within the default bound of 5000 ms: still waiting for the refresh
      vi.advanceTimersByTime(1);
      await closing;
    } finally {
      vi.useRealTimers();
    }
    // Closed without its answer: the call was failed by the closing connection, quietly.
    expect(server.waiting()).toBe(0);
    expect(warnings()).toEqual([]);

    const next = scriptedClient();
    const { gw: later } = open(next.client, clock, { store });
    const r = await later.call(req);
    expect(r).toMatchObject({ data: { price: 1 }, fetchedAt: '2026-12-07T15:00:00.000Z', stale: { refreshing: true } });
    await next.answer({ price: 3 });
    await later.refreshed();
    expect(later.stats()).toMatchObject({ refreshes: 1 });
    expect((await later.call(req)).data).toEqual({ price: 3 });
  });

  it('close() with refreshCloseWaitMs 0 does not wait for refreshes (it threw before)', async () => {
    const clock = { now: Date.parse('2026-12-07T15:00:00Z') };
    const store = new Map<string, unknown>();
    await staleEntry({ price: 1 }, clock, store);

    const server = scriptedClient();
    const { gw } = open(server.client, clock, { store, refreshCloseWaitMs: 0 });
    await gw.call(req);
    await server.settle();
    expect(server.waiting()).toBe(1);
    await gw.close();
    expect(server.waiting()).toBe(0);
    const next = scriptedClient();
    const { gw: later } = open(next.client, clock, { store });
    expect(await later.call(req)).toMatchObject({ data: { price: 1 }, stale: { refreshing: true } });
    await next.answer({ price: 3 });
    await later.refreshed();
  });
});
