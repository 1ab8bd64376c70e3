import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, TickerdeskError, ToolFailedError, UnknownTickerError } from '../../src/errors.js';
import { McpConnectionError, type ToolGateway } from '../../src/tools/index.js';
import { isAlive, useTestGateways } from './helpers.js';

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
  const gateways = useTestGateways({ retryMinMs: 20 });
  const open = (env: Record<string, string> = {}, logger?: pino.Logger) => gateways.open(env, logger ? { logger } : {});

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

  it('says why a server could not start, quoting its stderr', async () => {
    const gw = await gateways.open(
      {},
      {
        servers: {
          broken: {
            command: process.execPath,
            args: ['-e', "process.stderr.write('data set missing: run npm run data:build\\n'); process.exit(1)"],
          },
        },
      },
    );
    const failing = gw.call({ server: 'broken', tool: 'anything', args: {} });
    await expect(failing).rejects.toBeInstanceOf(McpConnectionError);
    await expect(failing).rejects.toThrow(
      /Could not start the MCP server broken .*data set missing: run npm run data:build/,
    );
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
