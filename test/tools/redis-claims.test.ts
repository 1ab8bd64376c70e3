/**
 * Run claims (run de-duplication across instances) on a real redis-server, and the in-memory store that a single
 * instance uses: a delivery claimed by one instance is refused to the others until it expires or is released, and a
 * Redis that cannot be reached grants claims (fail open), counted.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Degradations } from '../../src/degradations.js';
import { type ClaimStore, createMemoryClaims, createRedisClaims, openClaimStore } from '../../src/tools/run-claims.js';
import { freePort, redisSkipReason, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { testConfig } from './helpers.js';

const skip = redisSkipReason();
if (skip) console.warn(skip);

describe('in-memory claims (one instance)', () => {
  it('grants a key once until it expires or is released', async () => {
    let t = 1000;
    const claims = createMemoryClaims(() => t);
    expect(await claims.claim('slack:delivery:Ev1', 100)).toBe(true);
    expect(await claims.claim('slack:delivery:Ev1', 100)).toBe(false);
    t += 101;
    expect(await claims.claim('slack:delivery:Ev1', 100)).toBe(true);
    await claims.release('slack:delivery:Ev1');
    expect(await claims.claim('slack:delivery:Ev1', 100)).toBe(true);
  });

  it('is what a config without CACHE_URL gets', async () => {
    const store = openClaimStore(testConfig('/tmp'));
    expect(store.errors).toBe(0);
    expect(await store.claim('k', 1000)).toBe(true);
    expect(await store.claim('k', 1000)).toBe(false);
  });
});

describe.skipIf(skip !== undefined)('Redis claims (several instances)', () => {
  let redis: TestRedis;
  const open: ClaimStore[] = [];
  const make = (url: string, prefix: string) => {
    const store = createRedisClaims(url, { prefix });
    open.push(store);
    return store;
  };

  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await Promise.allSettled(open.map((s) => s.close()));
    await redis?.stop();
  });

  it('a redelivered request reaching two instances at once starts one run', async () => {
    const prefix = `test:${randomUUID()}:claim:`;
    const instances = [make(redis.url, prefix), make(redis.url, prefix), make(redis.url, prefix)];
    const granted = await Promise.all(instances.map((c) => c.claim('slack:delivery:Ev0123', 15 * 60_000)));
    expect(granted.filter(Boolean)).toHaveLength(1);
    for (const c of instances) expect(c.errors).toBe(0);
  });

  it('a released claim can be taken by another instance; only its holder can release it', async () => {
    const prefix = `test:${randomUUID()}:claim:`;
    const a = make(redis.url, prefix);
    const b = make(redis.url, prefix);
    expect(await a.claim('slack:running:C1:NVDA', 60_000)).toBe(true);
    await b.release('slack:running:C1:NVDA'); // b holds nothing: no effect
    expect(await b.claim('slack:running:C1:NVDA', 60_000)).toBe(false);
    await a.release('slack:running:C1:NVDA');
    expect(await b.claim('slack:running:C1:NVDA', 60_000)).toBe(true);
  });

  it('a claim expires after its TTL', async () => {
    const prefix = `test:${randomUUID()}:claim:`;
    const a = make(redis.url, prefix);
    const b = make(redis.url, prefix);
    expect(await a.claim('k', 100)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(await b.claim('k', 100)).toBe(true);
  });

  it('CACHE_URL gives Redis claims', async () => {
    const prefix = `test:${randomUUID()}:claim:`;
    const fromConfig = openClaimStore(testConfig('/tmp', { CACHE_URL: redis.url }));
    open.push(fromConfig);
    const other = make(redis.url, 'tickerdesk:claim:');
    const key = `${prefix}x`;
    expect(await fromConfig.claim(key, 60_000)).toBe(true);
    expect(await other.claim(key, 60_000)).toBe(false);
    await fromConfig.release(key);
  });

  it('an unreachable Redis grants claims after its 1 s bound, counted', async () => {
    const port = await freePort();
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const store = createRedisClaims(`redis://127.0.0.1:${port}`, {
      prefix: 'test:down:',
      logger: pino({ level: 'warn' }, sink),
      degradations: new Degradations(),
    });
    open.push(store);
    expect(await store.claim('k', 1000)).toBe(true);
    expect(store.errors).toBe(1);
    // The bound ended the wait (said in the warning), not a measured time.
    expect(lines.join('')).toContain('Redis did not answer within 1000 ms');
    // A second failure is counted, not warned again (one warning per cause per process).
    expect(await store.claim('k2', 1000)).toBe(true);
    expect(store.errors).toBe(2);
    expect(lines).toHaveLength(1);
  });
});
