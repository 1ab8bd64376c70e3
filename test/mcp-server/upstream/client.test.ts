/**
 * The shared upstream client against the SEC stand-in: SEC's 10-per-second limit is never crossed by a burst, 429s
 * are answered after Retry-After, user requests go before queued background ones, an unreachable host fails at once
 * and is then skipped, and every request is counted in the scope that made it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { UpstreamClient } from '../../../src/mcp-server/upstream/client.js';
import {
  UpstreamHttpError,
  UpstreamTimeoutError,
  UpstreamUnreachableError,
} from '../../../src/mcp-server/upstream/errors.js';
import { emptyUsage, inUpstreamScope, withUpstreamPriority } from '../../../src/mcp-server/upstream/usage.js';
import { peakPerWindow } from '../../helpers/http-stand-in.js';
import { refusedUrl } from '../../helpers/live-env.js';
import { type SecStandIn, startSecStandIn } from '../../helpers/sec-stand-in.js';

const UA = { 'user-agent': 'tickerdesk tests tests@example.com' };
let sec: SecStandIn;

beforeAll(async () => {
  // Shared by the fault tests, which count requests and check wordings: without SEC's per-second limit, so the
  // requests of the tests before cannot draw a 429 that a test did not script. The rate tests have stand-ins of their
  // own with the limit.
  sec = await startSecStandIn({ limitPerSecond: 10_000 });
});
afterAll(() => sec.close());
afterEach(() => sec.clearFaults());

function client(perSecond = 8, extra: Partial<ConstructorParameters<typeof UpstreamClient>[0]> = {}) {
  return new UpstreamClient({
    hosts: { [sec.host]: { perSecond, concurrency: 4, headers: UA } },
    retryMinMs: 10,
    ...extra,
  });
}

/**
 * Run `test` on a SEC stand-in of its own with no practical rate limit: for tests of order, which a 429 (the shared
 * stand-in still counting the requests of the tests before, within its second) would reorder through a retry.
 */
async function withOwnStandIn(test: (own: SecStandIn) => Promise<void>): Promise<void> {
  const own = await startSecStandIn({ limitPerSecond: 10_000 });
  try {
    await test(own);
    expect(own.throttled()).toBe(0);
  } finally {
    await own.close();
  }
}

describe('UpstreamClient', () => {
  it('spreads a burst of 30 requests so that no second holds more than 10, and gets no 429', async () => {
    // Its own stand-in: SEC's per-second count must see this client's requests alone.
    const own = await startSecStandIn();
    try {
      const upstream = new UpstreamClient({ hosts: { [own.host]: { perSecond: 8, concurrency: 4, headers: UA } } });
      const paths = Array.from({ length: 30 }, (_, i) => `${own.url}/submissions/CIK0001045810.json?n=${i}`);
      const bodies = await Promise.all(paths.map((p) => upstream.get(p)));
      expect(bodies.every((b) => b.status === 200 && b.body.length > 0)).toBe(true);
      expect(own.requests).toHaveLength(30);
      expect(own.requests.every((r) => r.status === 200)).toBe(true);
      expect(own.throttled()).toBe(0);
      expect(peakPerWindow(own.requests)).toBeLessThanOrEqual(10);
    } finally {
      await own.close();
    }
  });

  it("sends 30 requests in SEC's bursts with never more than 10 in any 1.25 s, so 8 a second on average", async () => {
    // Send times on a fake clock: the guarantee itself, whatever the machine's load does to arrival times.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const sentAt: number[] = [];
      const fetchStub = (async () => {
        sentAt.push(Date.now());
        return new Response('{}', { status: 200 });
      }) as typeof fetch;
      const policy = { perSecond: 8, burst: 10, concurrency: 10, headers: UA };
      const upstream = new UpstreamClient({ hosts: { 'sec.test': policy }, fetch: fetchStub });
      const all = Promise.all(Array.from({ length: 30 }, (_, i) => upstream.get(`http://sec.test/r${i}`)));
      await vi.advanceTimersByTimeAsync(5000);
      await all;
      expect(sentAt).toHaveLength(30);
      const t0 = sentAt[0] as number;
      for (let i = 10; i < 30; i++)
        expect((sentAt[i] as number) - (sentAt[i - 10] as number)).toBeGreaterThanOrEqual(1250);
      expect(sentAt.map((t) => t - t0)).toEqual([
        ...Array(10).fill(0),
        ...Array(10).fill(1250),
        ...Array(10).fill(2500),
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends up to its burst to an idle host at once, then one more each time a start leaves the window', async () => {
    // SEC's policy: 8 a second on average, at most 10 in any 1.25 s. The clock is faked: only the order counts.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const sent: string[] = [];
      const fetchStub = (async (url: string | URL | Request) => {
        sent.push(String(url));
        return new Response('{}', { status: 200 });
      }) as typeof fetch;
      const policy = { perSecond: 8, burst: 10, concurrency: 10, headers: UA };
      const upstream = new UpstreamClient({ hosts: { 'sec.test': policy }, fetch: fetchStub });
      const all = Promise.all(Array.from({ length: 13 }, (_, i) => upstream.get(`http://sec.test/r${i}`)));
      await vi.advanceTimersByTimeAsync(0);
      expect(sent).toHaveLength(10); // one report's requests: at once, not one every 125 ms
      await vi.advanceTimersByTimeAsync(1249);
      expect(sent).toHaveLength(10); // none of the 10 has left the 1.25 s window yet
      await vi.advanceTimersByTimeAsync(1);
      expect(sent).toHaveLength(13);
      expect(sent).toEqual(Array.from({ length: 13 }, (_, i) => `http://sec.test/r${i}`));
      await all;
    } finally {
      vi.useRealTimers();
    }
  });

  it('counts a burst window from when each request was written, so a stall before the write does not squeeze it', async () => {
    // The stub fetch "writes" (settles) 300 ms after it is called, as a stalled process would; the window (2 in any
    // 1000 ms) must then run from 300, not from the start at 0.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const t0 = Date.now();
      const calledAt: number[] = [];
      const fetchStub = (async () => {
        calledAt.push(Date.now() - t0);
        await new Promise((resolve) => setTimeout(resolve, 300));
        return new Response('{}', { status: 200 });
      }) as typeof fetch;
      const policy = { perSecond: 2, burst: 2, headers: UA };
      const upstream = new UpstreamClient({ hosts: { 'sec.test': policy }, fetch: fetchStub });
      const all = Promise.all(Array.from({ length: 3 }, (_, i) => upstream.get(`http://sec.test/r${i}`)));
      await vi.advanceTimersByTimeAsync(1299);
      expect(calledAt).toEqual([0, 0]);
      await vi.advanceTimersByTimeAsync(1);
      expect(calledAt).toEqual([0, 0, 1300]);
      await vi.advanceTimersByTimeAsync(300);
      await all;
    } finally {
      vi.useRealTimers();
    }
  });

  it("holds two hosts of one group (SEC's data and www hosts) to one limit together", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const sent: string[] = [];
      const fetchStub = (async (url: string | URL | Request) => {
        sent.push(new URL(String(url)).host);
        return new Response('{}', { status: 200 });
      }) as typeof fetch;
      const policy = { perSecond: 9, burst: 10, group: 'sec', concurrency: 10, headers: UA };
      const upstream = new UpstreamClient({
        hosts: { 'data.sec.test': policy, 'www.sec.test': policy, 'other.test': { perSecond: 9, burst: 10 } },
        fetch: fetchStub,
      });
      const hosts = ['data.sec.test', 'www.sec.test'];
      const all = Promise.all([
        ...Array.from({ length: 14 }, (_, i) => upstream.get(`http://${hosts[i % 2]}/r${i}`)),
        ...Array.from({ length: 3 }, (_, i) => upstream.get(`http://other.test/r${i}`)),
      ]);
      await vi.advanceTimersByTimeAsync(0);
      // 10 of SEC's 14 at once (not 10 per host), and the other host's 3 beside them.
      expect(sent.filter((h) => h.endsWith('sec.test'))).toHaveLength(10);
      expect(sent.filter((h) => h === 'other.test')).toHaveLength(3);
      await vi.advanceTimersByTimeAsync(1110);
      expect(sent.filter((h) => h.endsWith('sec.test'))).toHaveLength(10);
      await vi.advanceTimersByTimeAsync(2); // 10 × 1000 / 9 = 1111.1 ms after the first ten
      expect(sent.filter((h) => h.endsWith('sec.test'))).toHaveLength(14);
      await all;
    } finally {
      vi.useRealTimers();
    }
  });

  it('spaces starts evenly without a burst: one every 1000 / perSecond ms', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      let sent = 0;
      const fetchStub = (async () => {
        sent += 1;
        return new Response('{}', { status: 200 });
      }) as typeof fetch;
      const upstream = new UpstreamClient({ hosts: { 'sec.test': { perSecond: 8, headers: UA } }, fetch: fetchStub });
      const all = Promise.all(Array.from({ length: 3 }, (_, i) => upstream.get(`http://sec.test/r${i}`)));
      await vi.advanceTimersByTimeAsync(0);
      expect(sent).toBe(1);
      await vi.advanceTimersByTimeAsync(124);
      expect(sent).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(sent).toBe(2);
      await vi.advanceTimersByTimeAsync(125);
      expect(sent).toBe(3);
      await all;
    } finally {
      vi.useRealTimers();
    }
  });

  it('waits Retry-After on a 429, then answers; counts the 429 and the bytes in the scope', async () => {
    sec.fault(/companyfacts\/CIK0000320193/, { kind: 'status', status: 429, retryAfter: '0' }, 1);
    const usage = emptyUsage();
    const res = await inUpstreamScope(usage, () => client().get(`${sec.url}/api/xbrl/companyfacts/CIK0000320193.json`));
    expect(JSON.parse(res.text()).entityName).toBe('Apple Inc.');
    expect(usage.requests).toBe(2);
    expect(usage.throttled).toBe(1);
    expect(usage.hosts[sec.host]?.requests).toBe(2);
    expect(usage.bytes).toBeGreaterThan(1000);
  });

  it('gives up after its retries on 5xx, and does not retry a 404', async () => {
    sec.fault(/CIK0000789019/, { kind: 'status', status: 503 });
    const usage = emptyUsage();
    const failing = inUpstreamScope(usage, () =>
      client(8, { retries: 2 }).get(`${sec.url}/submissions/CIK0000789019.json`),
    );
    await expect(failing).rejects.toBeInstanceOf(UpstreamHttpError);
    expect(usage.requests).toBe(3);
    sec.clearFaults();
    const missing = emptyUsage();
    const notFound = inUpstreamScope(missing, () => client().get(`${sec.url}/submissions/CIK0000000001.json`));
    await expect(notFound).rejects.toMatchObject({ status: 404 });
    expect(missing.requests).toBe(1);
  });

  it('retries a truncated gzip body as a broken answer, and names it so when it stays truncated', async () => {
    // Regression (issue 12): a gzip body cut short decodes quietly to the part that came, and was reported as "a body
    // that is not JSON". Its own stand-in: only these requests count against SEC's 10 a second there.
    const own = await startSecStandIn();
    try {
      const url = `${own.url}/submissions/CIK0000320193.json`;
      const upstream = () =>
        new UpstreamClient({ hosts: { [own.host]: { perSecond: 8, headers: UA } }, retries: 2, retryMinMs: 10 });
      own.fault(/CIK0000320193/, { kind: 'truncated-gzip' }, 1);
      const once = emptyUsage();
      const doc = await inUpstreamScope(once, () => upstream().getJson(url, 'JSON for submissions'));
      expect(doc).toMatchObject({ cik: '0000320193' });
      expect(once.requests).toBe(2);

      own.fault(/CIK0000320193/, { kind: 'truncated-gzip' });
      const always = emptyUsage();
      const failing = inUpstreamScope(always, () => upstream().getJson(url, 'JSON for submissions'));
      await expect(failing).rejects.toThrow(
        new UpstreamTimeoutError(own.host, `${own.host}'s answer broke off (truncated gzip body).`),
      );
      expect(always.requests).toBe(3);

      own.clearFaults();
      own.fault(/CIK0000320193/, { kind: 'html' });
      const html = emptyUsage();
      const foreign = inUpstreamScope(html, () => upstream().getJson(url, 'JSON for submissions'));
      // A whole answer that is not JSON is not retried.
      await expect(foreign).rejects.toThrow(`${own.host} answered with HTML instead of JSON for submissions.`);
      expect(html.requests).toBe(1);
      expect(own.throttled()).toBe(0);
    } finally {
      await own.close();
    }
  });

  it('ends a hanging request at its timeout', async () => {
    sec.fault(/\/files\/hang$/, { kind: 'hang' });
    const upstream = client(8, { timeoutMs: 500, retries: 0 });
    await expect(upstream.get(`${sec.url}/files/hang`)).rejects.toBeInstanceOf(UpstreamTimeoutError);
  });

  it('does not retry a host that sent nothing in the whole timeout, and skips it afterwards, as a refused one', async () => {
    // Regression: a host that takes connections and never answers cost every retry of every live source (3 × 8 s per
    // source), so the chain never reached the bundle within the gateway's 15 s tool timeout and the run had no prices.
    sec.fault(/\/files\/silent$/, { kind: 'hang' });
    const upstream = client(8, { timeoutMs: 300, retries: 3 });
    const usage = emptyUsage();
    await expect(inUpstreamScope(usage, () => upstream.get(`${sec.url}/files/silent`))).rejects.toThrow(
      new UpstreamTimeoutError(sec.host, `${sec.host} did not answer within 300 ms.`),
    );
    expect(usage.requests).toBe(1);
    expect(upstream.isDown(sec.host)).toBe(true);
    // Skipped in the same words (regression, issue 12: "… could not be reached (no answer within 300 ms)").
    const skipped = inUpstreamScope(usage, () => upstream.get(`${sec.url}/files/silent`));
    await expect(skipped).rejects.toThrow(
      new UpstreamTimeoutError(sec.host, `${sec.host} did not answer within 300 ms.`),
    );
    await expect(skipped).rejects.not.toBeInstanceOf(UpstreamUnreachableError);
    expect(usage.requests).toBe(1); // the second request was never sent
  });

  it('fails at once on a refused connection, without retries, and skips the host afterwards', async () => {
    const nobody = await refusedUrl();
    const upstream = new UpstreamClient({ retries: 3 });
    const usage = emptyUsage();
    await expect(inUpstreamScope(usage, () => upstream.get(`${nobody}/a`))).rejects.toBeInstanceOf(
      UpstreamUnreachableError,
    );
    expect(usage.requests).toBe(1);
    expect(upstream.isDown(new URL(nobody).host)).toBe(true);
    await expect(inUpstreamScope(usage, () => upstream.get(`${nobody}/b`))).rejects.toThrow(/ECONNREFUSED/);
    expect(usage.requests).toBe(1); // the second request was never sent
  });

  it('serves queued user requests before queued background ones', async () => {
    await withOwnStandIn(async (own) => {
      const upstream = new UpstreamClient({ hosts: { [own.host]: { perSecond: 50, concurrency: 1, headers: UA } } });
      const order: string[] = [];
      const get = (tag: string, priority: 'user' | 'background') =>
        upstream.get(`${own.url}/files/company_tickers_exchange.json?${tag}`, { priority }).then(() => order.push(tag));
      await Promise.all([
        get('first', 'user'),
        get('bg1', 'background'),
        get('bg2', 'background'),
        get('user2', 'user'),
      ]);
      expect(order).toEqual(['first', 'user2', 'bg1', 'bg2']);
    });
  });

  it("queues a background tool call's requests behind user requests, and keeps a request's own priority", async () => {
    await withOwnStandIn(async (own) => {
      const upstream = new UpstreamClient({ hosts: { [own.host]: { perSecond: 50, concurrency: 1, headers: UA } } });
      const order: string[] = [];
      const get = (tag: string, priority?: 'user' | 'background') =>
        upstream
          .get(`${own.url}/files/company_tickers_exchange.json?${tag}`, priority ? { priority } : {})
          .then(() => order.push(tag));
      await Promise.all([
        get('first'),
        withUpstreamPriority('background', () => get('prefetch')),
        get('form4', 'background'),
        withUpstreamPriority('user', () => get('user')),
      ]);
      expect(order).toEqual(['first', 'user', 'prefetch', 'form4']);
    });
  });

  it('counts each queued request in the scope of the caller that made it, not of the one before it in the queue', async () => {
    // Regression: p-queue starts a waiting request from the context of whatever finished before it, so with a queue
    // (a live run's Form 4s behind its statements) requests were counted in another tool's scope, or in none, and the
    // run's upstream total missed them.
    const own = await startSecStandIn({ limitPerSecond: 10_000 });
    try {
      const upstream = new UpstreamClient({ hosts: { [own.host]: { perSecond: 100, concurrency: 1, headers: UA } } });
      const scopes = [emptyUsage(), emptyUsage(), emptyUsage()];
      await Promise.all(
        scopes.map((usage, i) =>
          inUpstreamScope(usage, () =>
            Promise.all(
              Array.from({ length: i + 2 }, (_, n) =>
                upstream.get(`${own.url}/files/company_tickers_exchange.json?scope=${i}&n=${n}`),
              ),
            ),
          ),
        ),
      );
      expect(own.requests.map((r) => r.status)).toEqual(Array(9).fill(200));
      expect(scopes.map((u) => u.requests)).toEqual([2, 3, 4]);
    } finally {
      await own.close();
    }
  });
});
