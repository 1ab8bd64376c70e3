import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InvalidInputError,
  TickerdeskError,
  ToolFailedError,
  ToolTimeoutError,
  UnknownTickerError,
} from '../../src/errors.js';
import { createToolGateway, McpConnectionError, type ToolCallMetric, type ToolGateway } from '../../src/tools/index.js';
import { isAlive, removeDir, tempDir, testConfig, testServerSpec } from './helpers.js';

const call = (gw: ToolGateway, tool: string, args: Record<string, unknown> = {}) =>
  gw.call<Record<string, unknown>>({ server: 'test', tool, args }, { fresh: true });

async function waitFor(check: () => boolean, ms = 8000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('MCP client behind the gateway (errors, retries, timeouts, stderr, lifecycle)', () => {
  let dir: string;
  const gateways: ToolGateway[] = [];
  const open = async (env: Record<string, string> = {}, logger?: pino.Logger) => {
    const gw = await createToolGateway(testConfig(dir, env), {
      servers: { test: testServerSpec(dir) },
      retryMinMs: 20,
      ...(logger ? { logger } : {}),
    });
    gateways.push(gw);
    return gw;
  };

  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((g) => g.close()));
    removeDir(dir);
  });

  it('maps isError results by their _meta code', async () => {
    const gw = await open();
    const unknown = call(gw, 'fail', {
      code: 'tickerdesk_unknown_ticker',
      message: 'Unknown ticker NVDX.',
      suggestions: ['NVDA', 'NVR'],
      ticker: 'NVDX',
    });
    await expect(unknown).rejects.toBeInstanceOf(UnknownTickerError);
    await expect(unknown).rejects.toMatchObject({ ticker: 'NVDX', suggestions: ['NVDA', 'NVR'] });
    await expect(unknown).rejects.toThrow(/Did you mean NVDA, NVR\?/);
    const invalid = call(gw, 'fail', { code: 'tickerdesk_invalid_input', message: 'limit must be positive.' });
    await expect(invalid).rejects.toBeInstanceOf(InvalidInputError);
    const other = call(gw, 'fail', { message: 'It broke.' });
    await expect(other).rejects.toBeInstanceOf(ToolFailedError);
    await expect(other).rejects.toMatchObject({
      transient: false,
      message: 'The data tool test/fail failed: It broke.',
    });
    await expect(call(gw, 'no_such_tool')).rejects.toBeInstanceOf(ToolFailedError);
    // Non-transient failures are not retried, even with retries configured.
    expect(gw.stats().serverCalls).toBe(4);
  });

  it('reads JSON text content when there is no structuredContent, and rejects garbage plainly', async () => {
    const gw = await open();
    await expect(call(gw, 'text_only', { text: '{"revenue":60922}' })).resolves.toMatchObject({
      data: { revenue: 60922 },
    });
    await expect(call(gw, 'text_only', { text: 'Service temporarily sad' })).rejects.toThrow(
      'The data tool test/text_only returned text that is not data: "Service temporarily sad".',
    );
  });

  it('retries transient failures (server crashes) with backoff, reconnecting, then succeeds', async () => {
    const gw = await open({ TOOL_RETRIES: '2' });
    const metrics: ToolCallMetric[] = [];
    gw.onMetric((m) => metrics.push(m));
    const result = await call(gw, 'flaky', { key: 'crash-ok', failTimes: 2, mode: 'crash' });
    expect(result.data).toEqual({ ok: true, attempt: 3 });
    expect(metrics[0]).toMatchObject({ cache: 'miss', attempts: 3 });
    expect(gw.stats().serverCalls).toBe(3);
  });

  it('gives up after the retry budget with a transient connection error', async () => {
    const gw = await open({ TOOL_RETRIES: '1' });
    const failing = call(gw, 'flaky', { key: 'crash-many', failTimes: 5, mode: 'crash' });
    await expect(failing).rejects.toBeInstanceOf(McpConnectionError);
    await expect(failing).rejects.toMatchObject({ transient: true, code: 'tickerdesk_mcp_connection' });
    expect(gw.stats()).toMatchObject({ serverCalls: 2, errors: 1 });
    // The next call respawns the server.
    await expect(call(gw, 'count')).resolves.toMatchObject({ data: { n: 1 } });
  });

  it('times out an attempt with ToolTimeoutError, and a retry after a timeout can succeed', async () => {
    const gw = await open({ TOOL_TIMEOUT_MS: '400' });
    await call(gw, 'count'); // connect first, so the timeout measures the call alone
    const timedOut = call(gw, 'flaky', { key: 'hang-1', failTimes: 1, mode: 'hang', hangMs: 5000 });
    await expect(timedOut).rejects.toBeInstanceOf(ToolTimeoutError);
    await expect(timedOut).rejects.toMatchObject({ transient: true, code: 'tickerdesk_tool_timeout' });

    const retrying = await open({ TOOL_TIMEOUT_MS: '400', TOOL_RETRIES: '1' });
    const ok = await call(retrying, 'flaky', { key: 'hang-2', failTimes: 1, mode: 'hang', hangMs: 5000 });
    expect(ok.data).toEqual({ ok: true, attempt: 2 });
    expect(retrying.stats().serverCalls).toBe(2);
  });

  it('drains a chatty server stderr (4 MB) without stalling, forwarding lines to the logger', async () => {
    let lines = 0;
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines += chunk
          .toString()
          .split('\n')
          .filter((l) => l.includes('"stderr":"noise')).length;
        cb();
      },
    });
    const gw = await open({ TOOL_TIMEOUT_MS: '20000' }, pino({ level: 'debug' }, sink));
    await expect(call(gw, 'noisy', { kb: 4096 })).resolves.toMatchObject({ data: { wrote: 4096 } });
    await expect(call(gw, 'count')).resolves.toMatchObject({ data: { n: 1 } });
    expect(await waitFor(() => lines >= 4096)).toBe(true);
  });

  it('limits server calls in flight to config concurrency', async () => {
    const gw = await open({ TOOL_CONCURRENCY: '2' });
    const results = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((tag) =>
        gw.call<{ maxConcurrent: number }>({
          server: 'test',
          tool: 'sleep',
          args: { ms: 150, tag },
        }),
      ),
    );
    const most = Math.max(...results.map((r) => r.data.maxConcurrent));
    expect(most).toBe(2);
    expect(gw.stats().serverCalls).toBe(5);
  });

  it('close() settles queued and running calls instead of leaving them waiting', async () => {
    const gw = await open({ TOOL_CONCURRENCY: '1' });
    await call(gw, 'count');
    const calls = ['a', 'b', 'c'].map((tag) => call(gw, 'sleep', { ms: 2000, tag }));
    const settling = Promise.allSettled(calls);
    await new Promise((r) => setTimeout(r, 100));
    await gw.close();
    const settled = await settling;
    expect(settled.every((s) => s.status === 'rejected')).toBe(true);
    for (const s of settled) {
      if (s.status === 'rejected') expect(s.reason).toMatchObject({ transient: false });
    }
  });

  it('shares one process across calls, respawns it after it dies, and close() stops it (idempotent)', async () => {
    const gw = await open({ TOOL_RETRIES: '1' });
    const [a, b] = await Promise.all([call(gw, 'pid'), call(gw, 'pid')]);
    const first = a.data.pid as number;
    expect(b.data.pid).toBe(first);
    process.kill(first, 'SIGKILL');
    expect(await waitFor(() => !isAlive(first))).toBe(true);
    const again = await call(gw, 'pid');
    const second = again.data.pid as number;
    expect(second).not.toBe(first);
    await gw.close();
    await gw.close();
    expect(await waitFor(() => !isAlive(second))).toBe(true);
    const afterClose = call(gw, 'pid');
    await expect(afterClose).rejects.toBeInstanceOf(TickerdeskError);
    await expect(afterClose).rejects.toThrow(/closed/);
  });
});
