/**
 * Readiness checks (`GET /readyz`) on the real tool gateway: not ready, with the reason, when the MCP server cannot
 * be started or does not answer within the bound, or when the tool cache drops what is written to it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadiness } from '../src/readiness.js';
import { type CacheEntry, createToolGateway, McpServerClient, type ToolCache } from '../src/tools/index.js';
import { bundledConfig } from './helpers/test-config.js';
import { testServerSpec } from './tools/helpers.js';

let home: string;
beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-readiness-'));
});
afterAll(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

/** A cache that loses every write (as an unreachable store does: writes resolve, reads miss). */
const losingCache: ToolCache = {
  get: async (): Promise<CacheEntry | undefined> => undefined,
  set: async () => undefined,
  errors: 0,
  close: async () => undefined,
};

/** A cache that loses the first `lost` writes (a store coming up), then keeps what is written. */
function cacheComingUp(lost: number): ToolCache & { writes: number } {
  const entries = new Map<string, CacheEntry>();
  return {
    writes: 0,
    async get(key) {
      return entries.get(key);
    },
    async set(key, entry) {
      this.writes += 1;
      if (this.writes > lost) entries.set(key, entry);
    },
    errors: 0,
    close: async () => undefined,
  };
}

describe('readiness', () => {
  it('is not ready when the MCP server cannot start and the cache loses writes, and says why', async () => {
    const config = bundledConfig({ TICKERDESK_HOME: home });
    const gateway = await createToolGateway(config, {
      cache: losingCache,
      servers: { tickerdesk: { command: path.join(home, 'no-such-node'), args: [] } },
    });
    try {
      const report = await createReadiness({ gateway, server: 'tickerdesk', timeoutMs: 20_000 }).check();
      expect(report.ready).toBe(false);
      expect(report.checks.config).toEqual({ ok: true, detail: 'valid' });
      expect(report.checks.cache).toEqual({ ok: false, detail: 'not reachable (runs go on uncached)' });
      expect(report.checks.mcpServer.ok).toBe(false);
      expect(report.checks.mcpServer.detail).toMatch(/Could not start the MCP server tickerdesk/);
    } finally {
      await gateway.close();
    }
  });

  it('is not ready while the MCP server does not answer within the bound; the SQLite cache is reachable', async () => {
    const config = bundledConfig({ TICKERDESK_HOME: home });
    const silent = { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] };
    // close() waits for a start in progress: the start gives up after 3 s, the readiness check after 300 ms.
    const gateway = await createToolGateway(config, { servers: { tickerdesk: silent }, connectTimeoutMs: 3000 });
    try {
      const report = await createReadiness({ gateway, server: 'tickerdesk', timeoutMs: 300 }).check();
      expect(report.ready).toBe(false);
      expect(report.checks.cache).toEqual({ ok: true, detail: 'reachable' });
      expect(report.checks.mcpServer).toEqual({
        ok: false,
        detail: 'MCP server tickerdesk did not answer within 300 ms',
      });
    } finally {
      await gateway.close();
    }
  });

  it('untilReady checks again until every check passes, and returns that report', async () => {
    const config = bundledConfig({ TICKERDESK_HOME: home });
    const cache = cacheComingUp(2);
    const gateway = await createToolGateway(config, { cache, servers: { tickerdesk: testServerSpec(home) } });
    try {
      const report = await createReadiness({ gateway, server: 'tickerdesk' }).untilReady({ intervalMs: 10 });
      expect(report.ready).toBe(true);
      expect(report.checks.cache).toEqual({ ok: true, detail: 'reachable' });
      expect(report.checks.mcpServer.detail).toMatch(/^\d+ tools$/);
      // Two probes were lost, the third was read back.
      expect(cache.writes).toBe(3);
    } finally {
      await gateway.close();
    }
  });

  it('a server that died is found by the next check (listed once per connection, then pinged) and started again', async () => {
    const client = new McpServerClient('test', testServerSpec(home));
    try {
      const tools = await client.listTools(20_000);
      expect(tools.length).toBeGreaterThan(0);
      const first = client.pid;
      expect(await client.listTools(20_000)).toEqual(tools);
      expect(client.pid).toBe(first);
      process.kill(first as number, 'SIGKILL');
      // The ping finds the connection gone (an error), or the check comes after the close and starts a new server.
      const again = await client.listTools(20_000).catch(() => client.listTools(20_000));
      expect(again).toEqual(tools);
      expect(client.pid).not.toBe(first);
    } finally {
      await client.close();
    }
  });
});
