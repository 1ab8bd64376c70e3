/**
 * Watchlists on a real redis-server shared by two instances (two stores, two connections): edits to one channel's
 * list made at the same time from both are all kept, each answer names what it did, and two channels' first lists
 * created at once are both listed (the lists were read, changed and written whole, so the last writer won). Lists
 * written before the change (channels in a keyv record) are still listed and are folded into the Redis set.
 *
 * The stores use their own Redis database (not 0), so the digest tests sharing the server never see these channels.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient, type RedisClient } from '../../src/tools/redis-client.js';
import { Watchlists } from '../../src/watchlists/service.js';
import { openWatchlistStore, type WatchlistStore } from '../../src/watchlists/store.js';
import { captureLogger } from '../helpers/log-capture.js';
import { redisSkipReason, startTestRedis, type TestRedis } from '../helpers/redis-server.js';

const skip = redisSkipReason();
if (skip) console.warn(skip);

const DB = 11;
const PREFIX = 'tickerdesk:watchlists::';
const channelId = () => `C0${randomUUID().slice(0, 8).toUpperCase()}`;
const where = (channel: string, user: string) => ({ channel, user, teamId: 'T0TEST' });

describe.skipIf(skip !== undefined)('watchlists on one Redis shared by two instances', () => {
  let redis: TestRedis;
  let url: string;
  let raw: RedisClient;
  const stores: WatchlistStore[] = [];
  const channels: string[] = [];
  const open = async () => {
    const store = await openWatchlistStore(
      { sqlitePath: '', redisUrl: url },
      { logger: captureLogger().logger, opTimeoutMs: 10_000 },
    );
    stores.push(store);
    return store;
  };
  const channel = () => {
    const c = channelId();
    channels.push(c);
    return c;
  };

  beforeAll(async () => {
    redis = await startTestRedis();
    const u = new URL(redis.url);
    u.pathname = `/${DB}`;
    url = u.toString();
    raw = createRedisClient(url, { connectTimeoutMs: 10_000 });
    await raw.connect();
  });
  afterAll(async () => {
    await Promise.allSettled(stores.map((s) => s.close()));
    if (raw?.isOpen) {
      const keys = channels.flatMap((c) => [`${PREFIX}list:${c}`, `${PREFIX}digest:${c}`]);
      if (keys.length > 0) await raw.del(keys);
      if (channels.length > 0) await raw.sRem(`${PREFIX}channel-set`, channels);
      await raw.close();
    }
    await redis?.stop();
  });

  it('watch and unwatch from both at once: every edit is kept and each answer names its own', async () => {
    const c = channel();
    const [a, b] = [new Watchlists({ store: await open() }), new Watchlists({ store: await open() })];
    await a.watch(where(c, 'U0SETUP'), ['AAPL', 'MSFT', 'AMZN', 'GOOGL']);
    const adds = ['NVDA', 'AMD', 'INTC', 'QCOM', 'AVGO', 'TXN', 'MU', 'ADI'];
    const outcomes = await Promise.all([
      ...adds.map((t, i) => (i % 2 === 0 ? a : b).watch(where(c, `U0ADD${i}`), [t])),
      a.unwatch(where(c, 'U0DROP1'), ['AAPL']),
      b.unwatch(where(c, 'U0DROP2'), ['MSFT']),
      b.unwatch(where(c, 'U0DROP3'), ['AMZN']),
    ]);
    const stored = await stores[0]?.get(c);
    expect([...(stored?.tickers ?? [])].sort()).toEqual(['GOOGL', ...adds].sort());
    expect(outcomes.slice(0, adds.length).map((o) => ('added' in o ? o.added : []))).toEqual(adds.map((t) => [t]));
    expect(outcomes.slice(adds.length).map((o) => ('removed' in o ? o.removed : []))).toEqual([
      ['AAPL'],
      ['MSFT'],
      ['AMZN'],
    ]);
    expect(await stores[1]?.channels()).toContain(c);
  });

  it('two channels’ first lists, created at once from the two instances, are both listed; an emptied one is not', async () => {
    const [s1, s2] = [await open(), await open()];
    const pairs = Array.from({ length: 6 }, () => [channel(), channel()] as const);
    await Promise.all(
      pairs.flatMap(([c1, c2]) => [
        new Watchlists({ store: s1 }).watch(where(c1, 'U0ONE'), ['NVDA']),
        new Watchlists({ store: s2 }).watch(where(c2, 'U0TWO'), ['AMD']),
      ]),
    );
    const mine = (list: string[]) => list.filter((c) => channels.includes(c));
    const all = pairs.flat();
    expect(mine(await s1.channels())).toEqual(expect.arrayContaining(all));
    const [gone] = all;
    await new Watchlists({ store: s2 }).unwatch(where(gone ?? '', 'U0TWO'), ['NVDA']);
    expect(await s1.channels()).not.toContain(gone);
    expect(await s1.get(gone ?? '')).toBeUndefined();
  });

  it('lists kept before the Redis set (channels in a keyv record) are still listed, and the next edit folds them in', async () => {
    const old = channel();
    await raw.set(
      `${PREFIX}list:${old}`,
      JSON.stringify({ value: { channel: old, tickers: ['IBM'], updatedAt: '2026-12-01T15:00:00Z', updatedBy: 'U0' } }),
    );
    await raw.set(`${PREFIX}channels`, JSON.stringify({ value: [old] }));
    const store = await open();
    expect(await store.channels()).toContain(old);
    expect((await store.get(old))?.tickers).toEqual(['IBM']);

    const fresh = channel();
    await new Watchlists({ store }).watch(where(fresh, 'U0NEW'), ['ORCL']);
    expect(await raw.exists(`${PREFIX}channels`)).toBe(0);
    expect(await raw.sIsMember(`${PREFIX}channel-set`, old)).toBe(1);
    expect(await store.channels()).toEqual(expect.arrayContaining([old, fresh]));
    const again = await new Watchlists({ store }).watch(where(old, 'U0NEW'), ['IBM', 'SAP']);
    expect(again.already).toEqual(['IBM']);
    expect(again.list?.tickers).toEqual(['IBM', 'SAP']);
  });
});
