import { describe, expect, it } from 'vitest';
import { ToolTimeoutError } from '../../src/errors.js';
import { McpConnectionError, type ToolCallMetric, type ToolGateway } from '../../src/tools/index.js';
import { useTestGateways } from './helpers.js';

const call = (gw: ToolGateway, tool: string, args: Record<string, unknown> = {}) =>
  gw.call<Record<string, unknown>>({ server: 'test', tool, args }, { fresh: true });

describe('gateway retries, timeouts, concurrency limit and close with calls in flight', () => {
  const { open } = useTestGateways({ retryMinMs: 20 });

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
    await expect(failing).rejects.toThrow(
      /closed the connection during test\/flaky\. Its last output: .*crashing on attempt 2/,
    );
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
});
