import path from 'node:path';
import Keyv from 'keyv';
import sqlite3 from 'sqlite3';
import { describe, expect, it } from 'vitest';
import { DataUnavailableError, ToolFailedError } from '../../src/errors.js';
import { answeredFrom, KeyvToolCache, type ToolCache, type ToolCallMetric } from '../../src/tools/index.js';
import { useTestGateways } from './helpers.js';

type Count = { n: number; args: Record<string, unknown> };

describe('tool gateway (cache, single-flight, metrics) against a real MCP server', () => {
  const gateways = useTestGateways();
  const { open } = gateways;

  it('10 concurrent identical calls on a cold cache make exactly one server call', async () => {
    const gw = await open();
    const metrics: ToolCallMetric[] = [];
    gw.onMetric((m) => metrics.push(m));
    const results = await Promise.all(
      Array.from({ length: 10 }, () => gw.call<Count>({ server: 'test', tool: 'count', args: { ticker: 'nvda' } })),
    );
    expect(new Set(results.map((r) => r.data.n))).toEqual(new Set([1]));
    expect(results[0]?.data.args).toEqual({ ticker: 'NVDA' });
    expect(results.filter((r) => r.cache === 'miss')).toHaveLength(1);
    expect(results.filter((r) => r.cache === 'coalesced')).toHaveLength(9);
    expect(gw.stats()).toMatchObject({ calls: 10, misses: 1, coalesced: 9, hits: 0, serverCalls: 1, errors: 0 });
    expect(metrics).toHaveLength(10);
    expect(metrics.find((m) => m.cache === 'miss')).toMatchObject({ server: 'test', tool: 'count', attempts: 1 });
    expect(metrics.filter((m) => m.cache === 'coalesced').every((m) => m.attempts === 0)).toBe(true);
    expect(results[0]?.source).toBe('test/count');

    // Warm: served from the cache, same fetchedAt; `fresh` goes to the server and refreshes the cache.
    const warm = await gw.call<Count>({ server: 'test', tool: 'count', args: { ticker: 'NVDA' } });
    expect(warm).toMatchObject({ cache: 'hit', data: { n: 1 }, fetchedAt: results[0]?.fetchedAt });
    const fresh = await gw.call<Count>({ server: 'test', tool: 'count', args: { ticker: 'NVDA' } }, { fresh: true });
    expect(fresh).toMatchObject({ cache: 'miss', data: { n: 2 } });
    await new Promise((r) => setTimeout(r, 50));
    const after = await gw.call<Count>({ server: 'test', tool: 'count', args: { ticker: 'NVDA' } });
    expect(after).toMatchObject({ cache: 'hit', data: { n: 2 } });
    expect(gw.stats().serverCalls).toBe(2);
  });

  it('a second gateway on the same cache file gets hits (persistence)', async () => {
    const first = await open();
    await first.call({ server: 'test', tool: 'count', args: { tag: 'persist' } });
    await first.close();
    const second = await open();
    const again = await second.call<Count>({ server: 'test', tool: 'count', args: { tag: 'persist' } });
    expect(again).toMatchObject({ cache: 'hit', data: { n: 1 } });
    expect(second.stats()).toMatchObject({ hits: 1, serverCalls: 0 });
  });

  it('never caches errors, except definitive "data unavailable" answers', async () => {
    const gw = await open();
    const failing = { server: 'test', tool: 'fail', args: { code: 'some_other_code', message: 'Upstream broke.' } };
    await expect(gw.call(failing)).rejects.toBeInstanceOf(ToolFailedError);
    await expect(gw.call(failing)).rejects.toThrow(/Upstream broke/);
    expect(gw.stats()).toMatchObject({ serverCalls: 2, errors: 2, hits: 0 });

    const unavailable = {
      server: 'test',
      tool: 'fail',
      args: { code: 'tickerdesk_data_unavailable', message: 'No analyst coverage for ZZZ.' },
    };
    const metrics: ToolCallMetric[] = [];
    gw.onMetric((m) => metrics.push(m));
    const first = await gw.call(unavailable).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(DataUnavailableError);
    expect(answeredFrom(first)).toBe('miss');
    await new Promise((r) => setTimeout(r, 50));
    const second = gw.call(unavailable);
    await expect(second).rejects.toBeInstanceOf(DataUnavailableError);
    await expect(second).rejects.toThrow('No analyst coverage for ZZZ.');
    // Callers can tell the cached answer from a call made (a warm run counts it as served from the cache).
    expect(answeredFrom(await second.catch((e: unknown) => e))).toBe('hit');
    expect(answeredFrom(new DataUnavailableError('not from the gateway'))).toBeUndefined();
    expect(gw.stats().serverCalls).toBe(3);
    expect(metrics.map((m) => [m.cache, m.error?.code])).toEqual([
      ['miss', 'tickerdesk_data_unavailable'],
      ['hit', 'tickerdesk_data_unavailable'],
    ]);
  });

  it('keeps serving calls when the cache file is corrupt, counting the error, then caches in a fresh file', async () => {
    const { mkdirSync, readdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(gateways.dir(), { recursive: true });
    writeFileSync(path.join(gateways.dir(), 'cache.sqlite'), 'garbage, not SQLite '.repeat(100));
    const gw = await open();
    const a = await gw.call<Count>({ server: 'test', tool: 'count', args: { tag: 'c' } });
    const b = await gw.call<Count>({ server: 'test', tool: 'count', args: { tag: 'c' } });
    expect([a.data.n, a.cache]).toEqual([1, 'miss']);
    // The damaged file was moved aside and a fresh cache started, so the twin call is served from it.
    expect([b.data.n, b.cache]).toEqual([1, 'hit']);
    expect(readdirSync(gateways.dir()).some((f) => f.startsWith('cache.sqlite.damaged-'))).toBe(true);
    expect(gw.stats().cacheErrors).toBeGreaterThan(0);
    expect(gw.stats().errors).toBe(0);
  });

  it('keeps serving calls while another connection holds an EXCLUSIVE lock on the cache file', async () => {
    const gw = await open();
    await gw.call({ server: 'test', tool: 'count', args: { tag: 'before-lock' } });
    const other = new sqlite3.Database(path.join(gateways.dir(), 'cache.sqlite'));
    await new Promise<void>((resolve, reject) => other.exec('BEGIN EXCLUSIVE', (e) => (e ? reject(e) : resolve())));
    try {
      const during = await gw.call<Count>({ server: 'test', tool: 'count', args: { tag: 'during-lock' } });
      expect(during.cache).toBe('miss');
      const again = await gw.call<Count>({ server: 'test', tool: 'count', args: { tag: 'during-lock' } });
      expect(again.data.n).toBeGreaterThanOrEqual(2);
      expect(gw.stats().cacheErrors).toBeGreaterThan(0);
      expect(gw.stats().errors).toBe(0);
    } finally {
      await new Promise<void>((resolve) => other.exec('ROLLBACK', () => other.close(() => resolve())));
    }
  });

  it('a caller whose cache read began before the answer was written joins the flight, not the server', async () => {
    const inner = new KeyvToolCache(() => new Keyv());
    const delays = [0, 400];
    const slowReads: ToolCache = {
      get: (key) => {
        const delay = delays.shift() ?? 0;
        return inner.get(key).then((v) => new Promise((r) => setTimeout(() => r(v), delay)));
      },
      set: (key, entry, ttl) => inner.set(key, entry, ttl),
      close: () => inner.close(),
      get errors() {
        return inner.errors;
      },
    };
    const gw = await open({}, { cache: slowReads });
    await gw.call({ server: 'test', tool: 'count', args: { tag: 'warm-up' } }, { fresh: true });
    const req = { server: 'test', tool: 'sleep', args: { ms: 100 } };
    const first = gw.call(req);
    await new Promise((r) => setTimeout(r, 30));
    const late = gw.call(req);
    expect((await first).cache).toBe('miss');
    expect(await late).toMatchObject({ cache: 'hit', data: { slept: 100 } });
    expect(gw.stats().serverCalls).toBe(2);
  });

  it('has no ticker directory for a server that publishes none', async () => {
    const gw = await open();
    expect(await gw.knownTickers?.('test')).toBeUndefined();
    expect(gw.stats().serverCalls).toBe(0);
  });

  it('rejects an unknown server with a plain message and a metric', async () => {
    const gw = await open();
    const metrics: ToolCallMetric[] = [];
    const off = gw.onMetric((m) => metrics.push(m));
    await expect(gw.call({ server: 'nope', tool: 'x', args: {} })).rejects.toThrow(/No MCP server named "nope"/);
    off();
    await expect(gw.call({ server: 'nope', tool: 'x', args: {} })).rejects.toThrow();
    expect(metrics).toHaveLength(1);
    expect(metrics[0]?.error?.code).toBe('tickerdesk_tool_failed');
  });

  it('an aborted caller stops waiting while the shared call completes for others', async () => {
    const gw = await open();
    const controller = new AbortController();
    const req = { server: 'test', tool: 'sleep', args: { ms: 300 } };
    const waiting = gw.call(req);
    const aborted = gw.call(req, { signal: controller.signal });
    controller.abort();
    await expect(aborted).rejects.toThrow();
    await expect(waiting).resolves.toMatchObject({ data: { slept: 300 }, cache: 'miss' });
    expect(gw.stats().serverCalls).toBe(1);
  });
  it('a caller that gives up while its cache read takes a shared claim releases that claim (no call will fill it)', async () => {
    // A shared cache (Redis) answers a miss by claiming the key for this caller; other instances wait on the claim.
    let endRead!: () => void;
    const readDone = new Promise<void>((resolve) => {
      endRead = resolve;
    });
    const released: string[] = [];
    const claiming: ToolCache = {
      get: async () => {
        await readDone;
        return undefined; // a miss: the key is now claimed for this caller
      },
      set: async () => undefined,
      release: async (key) => {
        released.push(key);
      },
      errors: 0,
      close: async () => undefined,
    };
    const gw = await open({}, { cache: claiming });
    const controller = new AbortController();
    const call = gw.call({ server: 'test', tool: 'count', args: { tag: 'gave-up' } }, { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toThrow();
    endRead();
    await expect.poll(() => released, { timeout: 5000 }).toHaveLength(1);
    expect(gw.stats().serverCalls).toBe(0);
  });

  it('a caller that gives up does not release a claim another caller is using for its call', async () => {
    let endRead!: () => void;
    const readDone = new Promise<void>((resolve) => {
      endRead = resolve;
    });
    const events: string[] = [];
    const claiming: ToolCache = {
      get: async () => {
        await readDone;
        return undefined;
      },
      set: async () => {
        events.push('set');
      },
      release: async () => {
        events.push('release');
      },
      errors: 0,
      close: async () => undefined,
    };
    const gw = await open({}, { cache: claiming });
    const req = { server: 'test', tool: 'sleep', args: { ms: 200 } };
    const controller = new AbortController();
    const staying = gw.call(req);
    const leaving = gw.call(req, { signal: controller.signal });
    controller.abort();
    await expect(leaving).rejects.toThrow();
    endRead();
    await expect(staying).resolves.toMatchObject({ data: { slept: 200 } });
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual(['set']);
  });
});
