/**
 * Order-based gateway tests of freshness: a stand-in MCP client whose calls wait until the test answers or fails them,
 * in the order they arrived (so "served at once" means "before the server was answered", never a measured time), and
 * gateways over it with a fake clock and a short validity and grace window for the tool `test/quote`.
 */
import Keyv from 'keyv';
import { afterEach } from 'vitest';
import { ToolFailedError } from '../../src/errors.js';
import { KeyvToolCache } from '../../src/tools/cache.js';
import { McpToolGateway, type McpToolGatewayDeps } from '../../src/tools/gateway.js';
import type { McpServerClient } from '../../src/tools/mcp-client.js';
import type { ToolRequest } from '../../src/tools/types.js';
import { captureLogger } from '../helpers/log-capture.js';

/** The request every gateway of {@link useSwrGateways} caches with {@link VALID_MS} and {@link GRACE_MS}. */
export const req: ToolRequest = { server: 'test', tool: 'quote', args: { ticker: 'NVDA' } };
/** Validity of `test/quote` answers, ms. */
export const VALID_MS = 60_000;
/** Grace window of `test/quote` answers, ms. */
export const GRACE_MS = 10 * 60_000;

/** A client whose calls wait for `answer(value)` or `fail(message)`; closing it fails the calls still waiting. */
export function scriptedClient() {
  const waiting: { resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
  let calls = 0;
  let closed = false;
  const client = {
    name: 'test',
    callTool() {
      calls += 1;
      if (closed) return Promise.reject(new ToolFailedError('test/quote', 'The connection is closed.'));
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    async close() {
      // As the MCP client does: requests under way fail when the connection closes.
      closed = true;
      for (const w of waiting.splice(0)) w.reject(new ToolFailedError('test/quote', 'The connection is closed.'));
    },
    async listTools() {
      return [];
    },
  } as unknown as McpServerClient;
  /** A few turns of the event loop, for the gateway's promises to move on. */
  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  const next = async () => {
    await settle();
    const call = waiting.shift();
    if (!call) throw new Error('no call is waiting');
    return call;
  };
  return {
    client,
    /** Calls received so far. */
    calls: () => calls,
    /** Calls waiting for an answer. */
    waiting: () => waiting.length,
    /** Answer the oldest waiting call with `value`. */
    async answer(value: unknown) {
      (await next()).resolve(value);
      await settle();
    },
    /** Fail the oldest waiting call with a ToolFailedError. */
    async fail(message: string) {
      (await next()).reject(new ToolFailedError('test/quote', message));
      await settle();
    },
    settle,
  };
}

/** Options of a gateway opened by {@link useSwrGateways}. */
export interface SwrGatewayOptions extends Pick<McpToolGatewayDeps, 'probeHost' | 'refreshCloseWaitMs'> {
  /** The cache's store, shared by the gateways of a test as a cache file is by two CLI runs. @default a new one */
  store?: Map<string, unknown>;
}

/**
 * Gateways on a scripted client and a fake clock, closed after each test (call inside a `describe`).
 * @returns `open(client, clock, options)`: the gateway and the warnings it logged.
 */
export function useSwrGateways() {
  const gateways: McpToolGateway[] = [];
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((g) => g.close()));
  });
  return function open(client: McpServerClient, clock: { now: number }, options: SwrGatewayOptions = {}) {
    const { store, ...extra } = options;
    const log = captureLogger('warn');
    const gw = new McpToolGateway({
      clients: new Map([['test', client]]),
      cache: new KeyvToolCache(() => new Keyv(store ? { store } : {})),
      logger: log.logger,
      concurrency: 4,
      timeoutMs: 60_000,
      retries: 0,
      ttlMs: { quote: VALID_MS },
      graceMs: { quote: GRACE_MS },
      now: () => clock.now,
      ...extra,
    });
    gateways.push(gw);
    return { gw, warnings: log.warnings };
  };
}
