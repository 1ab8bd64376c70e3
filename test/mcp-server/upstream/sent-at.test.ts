/**
 * When a request left the process (src/mcp-server/upstream/sent-at.ts): told by undici's diagnostics channels for
 * Node's fetch, after any stall of this process between starting the request and writing it, and before the answer.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackSentAt } from '../../../src/mcp-server/upstream/sent-at.js';

let server: http.Server;
let url: string;
/** The handler waits for this before answering (set per test). */
let answerAfter: Promise<unknown> = Promise.resolve();
const arrivals: number[] = [];

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    arrivals.push(Date.now());
    void answerAfter.then(() => res.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('trackSentAt', () => {
  it('resolves when fetch wrote the request, before the answer came', async () => {
    const tracked = trackSentAt(async () => (await fetch(`${url}/a`)).text());
    // The server answers only once the write was told: told at the answer instead, this would never finish.
    answerAfter = tracked.sentAt;
    const sentAt = await tracked.sentAt;
    expect(await tracked.result).toBe('ok');
    expect(sentAt).toBeLessThanOrEqual(arrivals.at(-1) as number);
  });

  it('tells the write after a stall of this process, not when the request was started', async () => {
    answerAfter = Promise.resolve();
    const tracked = trackSentAt(async () => (await fetch(`${url}/b`)).text());
    // Nothing can be written while this loop holds the event loop.
    const stallEnd = Date.now() + 30;
    while (Date.now() < stallEnd) {
      /* busy */
    }
    expect(await tracked.sentAt).toBeGreaterThanOrEqual(stallEnd);
    await tracked.result;
  });

  it('takes a fetch that is not undici as written when it settles, and never rejects through sentAt', async () => {
    let settled = 0;
    const failing = trackSentAt(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      settled = Date.now();
      throw new Error('refused');
    });
    await expect(failing.result).rejects.toThrow('refused');
    expect(await failing.sentAt).toBeGreaterThanOrEqual(settled);
  });
});
