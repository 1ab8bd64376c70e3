/**
 * SEC's 10 requests per second across processes: two processes sending SEC requests through the real upstream
 * client share one limit through a real Redis and stay within 10 in any second as the SEC stand-in counts them,
 * with no 429 (with a limit per process each, they get 429s); Redis that cannot be reached falls back to the
 * in-process limit with one warning; a closed limit starts no more requests (a stopping data server's queued work
 * is not sent beside the other instances' requests).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, REPO_ROOT } from '../../../src/config.js';
import { BundledProvider } from '../../../src/mcp-server/providers/bundled.js';
import { buildProviders } from '../../../src/mcp-server/providers/registry.js';
import { UpstreamClosedError } from '../../../src/mcp-server/upstream/errors.js';
import { createStartLimiter } from '../../../src/mcp-server/upstream/start-limiter.js';
import { peakPerWindow } from '../../helpers/http-stand-in.js';
import { liveEnv, refusedUrl } from '../../helpers/live-env.js';
import { captureLogger } from '../../helpers/log-capture.js';
import { redisSkipReason, startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { type SecStandIn, startSecStandIn } from '../../helpers/sec-stand-in.js';

/**
 * A TCP proxy to `target` that holds every connection until {@link GatedProxy.open}: a Redis whose connection takes
 * as long as the test wants.
 */
async function gatedProxy(target: string): Promise<{ url: string; open(): void; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  const held: net.Socket[] = [];
  const sockets = new Set<net.Socket>();
  let opened = false;
  const pipe = (client: net.Socket) => {
    const upstream = net.connect(Number(port), hostname);
    sockets.add(upstream);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  };
  const server = net.createServer((client) => {
    sockets.add(client);
    client.pause();
    if (opened) pipe(client);
    else held.push(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: own } = server.address() as net.AddressInfo;
  return {
    url: `redis://127.0.0.1:${own}`,
    open() {
      opened = true;
      for (const client of held.splice(0)) pipe(client);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const skip = redisSkipReason();
if (skip) console.warn(skip);

/** Run the worker; resolves with the statuses it got. */
function worker(env: Record<string, string>): Promise<{ statuses: (number | string)[] }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'test', 'helpers', 'sec-limit-worker.ts')],
    { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`worker exited ${code}: ${err.slice(-2000)}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { statuses: (number | string)[] });
    });
  });
}

/** Two workers of `count` requests each at `perSecond`, started together against `sec`. */
async function twoWorkers(sec: SecStandIn, count: number, perSecond: number, redisUrl?: string) {
  const env = {
    SEC_URL: sec.url,
    COUNT: String(count),
    PER_SECOND: String(perSecond),
    LIMIT_NAME: `sec-${randomUUID()}`,
    // Both start at the same moment, after the slower one has loaded.
    START_AT: String(Date.now() + 4000),
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
  };
  return Promise.all([worker(env), worker(env)]);
}

describe.skipIf(skip !== undefined)('the SEC request limit shared through Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(() => redis?.stop());

  it('keeps two processes together within 10 requests in any second, with no 429', async () => {
    // 6 per second shared: alone, the two would send 12. (The stand-in stamps arrivals, not starts: on a loaded
    // machine a process held up between claiming its slot and sending lands next to the next slot's request, so the
    // test leaves more room under 10 than SEC_MAX_RPS 8 does.)
    const sec = await startSecStandIn();
    try {
      const results = await twoWorkers(sec, 24, 6, redis.url);
      expect(results.flatMap((r) => r.statuses)).toEqual(Array(48).fill(200));
      expect(sec.requests).toHaveLength(48);
      expect(sec.throttled()).toBe(0);
      expect(peakPerWindow(sec.requests)).toBeLessThanOrEqual(10);
    } finally {
      await sec.close();
    }
  });

  it('starts no SEC request once closed: a stopping data server sends nothing more', async () => {
    // Before, a closed limiter claimed its slots in this process: a data server that had closed it (stdin closed)
    // sent its queued Form 4 requests at its own rate beside the other instances' for up to 2 s, and 10 CLI runs
    // sharing Redis put up to 29 requests in one second before SEC (159 answered 429).
    const sec = await startSecStandIn();
    try {
      const config = loadConfig({ ...liveEnv(sec, { url: sec.url }), CACHE_URL: redis.url });
      const built = buildProviders(config.data, new BundledProvider(config.dataDir));
      expect((await built.provider.profile('NVDA')).provenance?.provider).toBe('sec-edgar');
      const sent = sec.requests.length;
      expect(sent).toBeGreaterThan(0);
      await built.close();
      const after = await built.provider.profile('AAPL');
      expect(after.provenance?.provider).toBe('bundled');
      expect(after.provenance?.tried).toEqual([
        {
          provider: 'sec-edgar',
          outcome: 'failed',
          reason: 'No request to sec starts: its request limit was closed (the data server is stopping).',
        },
      ]);
      expect(sec.requests).toHaveLength(sent);
    } finally {
      await sec.close();
    }
  });

  it('rejects a caller waiting for a slot when it is closed', async () => {
    // One start in 1000 s: the second caller waits for the next slot.
    const limiter = createStartLimiter({ name: `closed-${randomUUID()}`, perSecond: 0.001, redisUrl: redis.url });
    await limiter.acquire();
    const waiting = limiter.acquire();
    await limiter.close();
    await expect(waiting).rejects.toBeInstanceOf(UpstreamClosedError);
    await expect(limiter.acquire()).rejects.toThrow('No request to closed-');
  });

  it('claims the slot the clock is in once Redis has connected, not the one it was in when asked', async () => {
    // Before, the slot was read before the first use's wait for the connection: the first caller claimed a slot that
    // had passed meanwhile, and the second the current one at once, so each data server's first two SEC requests
    // went together. Here the connection is held until the clock has left the slot both callers asked in.
    const proxy = await gatedProxy(redis.url);
    // What the limiter loads on first use, loaded now: its first claim is then asked for at once.
    await import('rate-limiter-flexible');
    const { createRedisClient } = await import('../../../src/tools/redis-client.js');
    const name = `late-${randomUUID()}`;
    const slotMs = 250;
    const limiter = createStartLimiter({
      name,
      perSecond: 1000 / slotMs,
      redisUrl: proxy.url,
      connectTimeoutMs: 30_000,
    });
    const slotAt = () => Math.floor(Date.now() / slotMs);
    try {
      const asked = slotAt();
      const first = limiter.acquire();
      const second = limiter.acquire();
      while (slotAt() <= asked) await sleep(slotMs / 5);
      const connectedIn = slotAt();
      proxy.open();
      await Promise.all([first, second]);
      const client = createRedisClient(redis.url, { connectTimeoutMs: 5000 });
      await client.connect();
      try {
        // Each slot key lives a second after its claim: both are still there.
        const slots = (await client.keys(`tickerdesk:upstream:${name}:*`)).map((k) => Number(k.split(':').at(-1)));
        expect(slots).toHaveLength(2);
        expect(Math.min(...slots)).toBeGreaterThanOrEqual(connectedIn);
      } finally {
        await client.close();
      }
    } finally {
      await limiter.close();
      await proxy.close();
    }
  });

  it('is what keeps them there: with a limit per process, the same two processes get 429s', async () => {
    const sec = await startSecStandIn();
    try {
      await twoWorkers(sec, 24, 8);
      expect(sec.throttled()).toBeGreaterThan(0);
      expect(peakPerWindow(sec.requests.filter((r) => r.status === 200))).toBeGreaterThan(8);
    } finally {
      await sec.close();
    }
  });
});

describe('the SEC request limit without Redis', () => {
  it('falls back to the in-process limit when Redis cannot be reached, with one warning', async () => {
    const redisUrl = (await refusedUrl()).replace('http:', 'redis:');
    const sec = await startSecStandIn();
    const log = captureLogger('warn');
    try {
      const config = loadConfig({ ...liveEnv(sec, { url: sec.url }), CACHE_URL: redisUrl });
      expect(config.data.sharedLimit.redisUrl).toBe(redisUrl);
      const built = buildProviders(config.data, new BundledProvider(config.dataDir), {}, log.logger);
      const listing = await Promise.all(
        ['NVDA', 'AAPL', 'MSFT'].map((t) => built.provider.profile(t).then((p) => p.name)),
      );
      expect(listing).toEqual(['NVIDIA CORP', 'Apple Inc.', 'MICROSOFT CORP']);
      await built.close();
      const warnings = log.warnings();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /could not be reached for the shared sec request limit; this data server limits its own/,
      );
      expect(peakPerWindow(sec.requests)).toBeLessThanOrEqual(9);
    } finally {
      await sec.close();
    }
  });
});
