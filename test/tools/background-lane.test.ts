/**
 * The gateway's background lane (smart prefetch, prewarm): background calls hold at most `backgroundConcurrency` of
 * the queue's slots and wait behind every user call; a user call for a key a background flight is fetching lifts it
 * out of the lane. Order-based: a scripted MCP client whose calls answer only when the test releases them.
 */
import Keyv from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import { logger } from '../../src/log.js';
import { KeyvToolCache } from '../../src/tools/cache.js';
import { McpToolGateway } from '../../src/tools/gateway.js';
import type { McpServerClient } from '../../src/tools/mcp-client.js';
import type { ToolCallMetric, ToolRequest } from '../../src/tools/types.js';

/**
 * A client whose every call waits until `release(tag)`; `started` lists the tags in the order calls reached it, and
 * `priorities` the priority each was sent with (what the data server reads from the request's `_meta`).
 */
function heldClient() {
  const started: string[] = [];
  const priorities: Record<string, string> = {};
  const waiting = new Map<string, () => void>();
  const client = {
    name: 'test',
    async callTool(_tool: string, args: Record<string, unknown>, _timeoutMs: number, options?: { priority?: string }) {
      const tag = String(args.tag);
      started.push(tag);
      priorities[tag] = options?.priority ?? 'user';
      await new Promise<void>((resolve) => waiting.set(tag, resolve));
      return { tag };
    },
    async close() {},
    async listTools() {
      return [];
    },
  } as unknown as McpServerClient;
  const settle = () => new Promise((r) => setImmediate(r));
  return {
    client,
    started,
    priorities,
    /** Answer the call tagged `tag`, then let queued work move on. */
    async release(tag: string) {
      const resolve = waiting.get(tag);
      if (!resolve) throw new Error(`no call ${tag} is waiting (started: ${started.join(', ')})`);
      waiting.delete(tag);
      resolve();
      await settle();
      await settle();
    },
    settle,
  };
}

const req = (tag: string): ToolRequest => ({ server: 'test', tool: 'held', args: { tag } });

describe('tool gateway: background lane', () => {
  const gateways: McpToolGateway[] = [];
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((g) => g.close()));
  });

  function open(concurrency: number, backgroundConcurrency: number, client: McpServerClient) {
    const gw = new McpToolGateway({
      clients: new Map([['test', client]]),
      cache: new KeyvToolCache(() => new Keyv()),
      logger: logger.child({ level: 'silent' }),
      concurrency,
      timeoutMs: 60_000,
      retries: 0,
      backgroundConcurrency,
    });
    gateways.push(gw);
    return gw;
  }

  it('background calls hold at most their slots, and a user call reaches the server before queued background ones', async () => {
    const held = heldClient();
    const gw = open(3, 2, held.client);
    const metrics: ToolCallMetric[] = [];
    gw.onMetric((m) => metrics.push(m));
    const background = ['b1', 'b2', 'b3', 'b4'].map((t) => gw.call(req(t), { priority: 'background' }));
    await held.settle();
    await held.settle();
    // Two background slots: b3 and b4 wait in the lane although the queue has a free slot.
    expect(held.started).toEqual(['b1', 'b2']);
    const user = [gw.call(req('u1')), gw.call(req('u2'))];
    await held.settle();
    await held.settle();
    // u1 takes the free slot at once; u2 waits for a slot, ahead of b3 and b4.
    expect(held.started).toEqual(['b1', 'b2', 'u1']);
    await held.release('b1');
    expect(held.started).toEqual(['b1', 'b2', 'u1', 'u2']);
    await held.release('u1');
    await held.release('u2');
    await held.release('b2');
    await held.release('b3');
    await held.release('b4');
    await Promise.all([...background, ...user]);
    expect(held.started).toEqual(['b1', 'b2', 'u1', 'u2', 'b3', 'b4']);
    // The server is told which calls are background, so their upstream requests wait behind users' too.
    expect(held.priorities).toEqual({
      b1: 'background',
      b2: 'background',
      b3: 'background',
      b4: 'background',
      u1: 'user',
      u2: 'user',
    });
    expect(gw.stats()).toMatchObject({ serverCalls: 6, backgroundServerCalls: 4 });
    expect(metrics.filter((m) => m.priority === 'background').map((m) => m.key)).toHaveLength(4);
    expect(metrics.filter((m) => m.priority === undefined)).toHaveLength(2);
  });

  it('a user call for a key a background flight waits on lifts it out of the lane: one server call, sent at once', async () => {
    const held = heldClient();
    const gw = open(4, 1, held.client);
    const b1 = gw.call(req('b1'), { priority: 'background' });
    const b2 = gw.call(req('b2'), { priority: 'background' });
    await held.settle();
    await held.settle();
    expect(held.started).toEqual(['b1']);
    // b2 still waits for the one background slot; a user asks for the same data.
    const user = gw.call(req('b2'));
    await held.settle();
    await held.settle();
    expect(held.started).toEqual(['b1', 'b2']);
    await held.release('b2');
    const answer = await user;
    expect(answer.cache).toBe('coalesced');
    expect((await b2).data).toEqual({ tag: 'b2' });
    await held.release('b1');
    await b1;
    // Lifted out of the lane before it was sent, b2 went to the server as a user's call.
    expect(held.priorities).toEqual({ b1: 'background', b2: 'user' });
    expect(gw.stats()).toMatchObject({ serverCalls: 2, backgroundServerCalls: 1 });
  });

  it('a user call joining a background flight queued behind user calls is moved up among them', async () => {
    const held = heldClient();
    const gw = open(1, 1, held.client);
    const u1 = gw.call(req('u1'));
    await held.settle();
    const b1 = gw.call(req('b1'), { priority: 'background' });
    const u2 = gw.call(req('u2'));
    await held.settle();
    await held.settle();
    // b1 waits in the queue behind u2; then a user asks for b1's data too.
    const u3 = gw.call(req('b1'));
    await held.settle();
    const u4 = gw.call(req('u4'));
    await held.settle();
    await held.release('u1');
    await held.release('u2');
    await held.release('b1');
    await held.release('u4');
    await Promise.all([u1, u2, u3, u4, b1]);
    // b1 was promoted to a user call: it ran before u4, which came later.
    expect(held.started).toEqual(['u1', 'u2', 'b1', 'u4']);
  });
});
