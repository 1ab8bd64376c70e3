/**
 * Two tool gateways with their own Redis connections and their own MCP server processes (two instances in one
 * test process) sharing one Redis: a call made by both at the same moment reaches a server once, and a call that
 * fails in one instance is handed to the waiting one at once (its lock released, not left to run out).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { logger } from '../../src/log.js';
import { createToolGateway, openToolCache, type RedisToolCache } from '../../src/tools/index.js';
import type { ToolCallMetric, ToolGateway } from '../../src/tools/types.js';
import { freePort, redisSkipReason, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { removeDir, tempDir, testConfig, testServerSpec } from './helpers.js';

const skip = redisSkipReason();
if (skip) console.warn(skip);

describe.skipIf(skip !== undefined)('tool gateways sharing a Redis cache', () => {
  let redis: TestRedis;
  let dir: string;
  const gateways: ToolGateway[] = [];

  /** One instance: its own cache connection, its own test MCP server, metrics recorded. */
  const instance = async (env: Record<string, string> = {}) => {
    const config = testConfig(dir, { CACHE_URL: redis.url, ...env });
    const cache = (await openToolCache(config, { logger })) as RedisToolCache;
    const gateway = await createToolGateway(config, { servers: { test: testServerSpec(dir) }, cache });
    gateways.push(gateway);
    const metrics: ToolCallMetric[] = [];
    gateway.onMetric((m) => metrics.push(m));
    return { gateway, cache, metrics };
  };

  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    await Promise.allSettled(gateways.splice(0).map((g) => g.close()));
    removeDir(dir);
  });

  it('CACHE_URL gives a Redis cache', async () => {
    const { cache } = await instance();
    expect(cache.constructor.name).toBe('RedisToolCache');
  });

  it('with Redis down, calls go straight to the server: answered, counted as cache errors, after the 1 s bound', async () => {
    const config = testConfig(dir, { CACHE_URL: `redis://127.0.0.1:${await freePort()}` });
    const gateway = await createToolGateway(config, { servers: { test: testServerSpec(dir) }, serverBundle: false });
    gateways.push(gateway);
    const result = await gateway.call({ server: 'test', tool: 'count', args: { tag: randomUUID() } });
    expect(result.cache).toBe('miss');
    expect(gateway.stats()).toMatchObject({ serverCalls: 1, errors: 0 });
    expect(gateway.stats().cacheErrors).toBeGreaterThanOrEqual(1);
  });

  it('the same call made by two instances at the same moment reaches a server once', async () => {
    const a = await instance();
    const b = await instance();
    // Spawn both servers first, so the two calls below really overlap.
    await Promise.all([a, b].map((i) => i.gateway.call({ server: 'test', tool: 'count', args: {} }, { fresh: true })));
    const request = { server: 'test', tool: 'sleep', args: { ms: 400, tag: randomUUID() } };
    const [ra, rb] = await Promise.all([a.gateway.call(request), b.gateway.call(request)]);
    expect(ra.data).toEqual(rb.data);
    expect(a.gateway.stats().serverCalls + b.gateway.stats().serverCalls).toBe(3); // 2 warm-ups + 1
    expect([ra.cache, rb.cache].sort()).toEqual(['hit', 'miss']);
    const waiter = ra.cache === 'hit' ? a : b;
    expect(waiter.cache.lockStats()).toMatchObject({ waited: 1, joined: 1, timeouts: 0 });
  });

  it('ten calls in each of two instances at once still make one server call', async () => {
    const a = await instance();
    const b = await instance();
    await Promise.all([a, b].map((i) => i.gateway.call({ server: 'test', tool: 'count', args: {} }, { fresh: true })));
    const request = { server: 'test', tool: 'sleep', args: { ms: 300, tag: randomUUID() } };
    const calls = [a, b].flatMap((i) => Array.from({ length: 10 }, () => i.gateway.call(request)));
    const results = await Promise.all(calls);
    expect(new Set(results.map((r) => JSON.stringify(r.data))).size).toBe(1);
    expect(a.gateway.stats().serverCalls + b.gateway.stats().serverCalls).toBe(3);
  });

  it('a server without a ticker directory does not hold other instances up (the claim on its key is released)', async () => {
    const a = await instance();
    const b = await instance();
    const [da, db] = await Promise.all([a.gateway.knownTickers?.('test'), b.gateway.knownTickers?.('test')]);
    expect(da).toBeUndefined();
    expect(db).toBeUndefined();
    // Had the first reader kept its claim, the other would have waited until it gave up (a time-out).
    expect(a.cache.lockStats().timeouts + b.cache.lockStats().timeouts).toBe(0);
  });

  it('a call that fails in one instance is handed to the waiting instance at once (lock released, no time-out)', async () => {
    // Each server hangs on its first `flaky` call; the 300 ms attempt timeout fails it. Without the release, the
    // waiter would wait until it gave up (TOOL_TIMEOUT_MS × 1 + 5 s) and count a time-out.
    const env = { TOOL_TIMEOUT_MS: '300', TOOL_RETRIES: '0' };
    const a = await instance(env);
    const b = await instance(env);
    await Promise.all([a, b].map((i) => i.gateway.call({ server: 'test', tool: 'count', args: {} }, { fresh: true })));
    const request = {
      server: 'test',
      tool: 'flaky',
      args: { key: randomUUID(), failTimes: 1, mode: 'hang', hangMs: 5000 },
    };
    const first = a.gateway.call(request);
    await new Promise((r) => setTimeout(r, 100)); // a holds the lock and its call is under way
    const second = b.gateway.call(request);
    await expect(first).rejects.toMatchObject({ code: 'tickerdesk_tool_timeout' });
    await expect(second).rejects.toMatchObject({ code: 'tickerdesk_tool_timeout' });
    expect(b.cache.lockStats()).toMatchObject({ waited: 1, acquired: 1, timeouts: 0 });
    expect(b.metrics.at(-1)).toMatchObject({ cache: 'miss', attempts: 1 });
  });
});
