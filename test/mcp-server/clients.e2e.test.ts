/**
 * The MCP data server as its clients meet it (issue 20): started as its own process over stdio and driven with the
 * SDK client, or with raw JSON-RPC lines for the edges a well-behaved client never reaches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStdio, initializeRequest, type StdioSession, serverEnv, spawnRaw } from '../helpers/stdio-server.js';

function textOf(result: { content: unknown }): string {
  const first = (result.content as { type: string; text?: string }[])[0];
  return first?.type === 'text' ? (first.text ?? '') : '';
}

describe('settings the data server does not use', () => {
  it('starts and answers with settings that are wrong for the app, and warns about an unknown log level', async () => {
    const session = await connectStdio({
      env: serverEnv({
        PORT: 'abc',
        SLACK_STREAMING: 'on',
        WRITER: 'claude',
        TOOL_CONCURRENCY: '0',
        MCP_SERVERS: '{not json',
        LOG_LEVEL: 'warning',
      }),
    });
    try {
      const result = await session.call('get_company_profile', { ticker: 'NVDA' });
      expect(result.isError ?? false).toBe(false);
      expect(session.stderr()).toContain('LOG_LEVEL: must be one of');
      expect(session.stderr()).toContain('using info');
      expect(session.stderr()).not.toContain('PORT');
    } finally {
      await session.close();
    }
  });

  it('still stops, in plain words, on a bad value of a setting it uses', async () => {
    const raw = spawnRaw(serverEnv({ MCP_TOOL_LATENCY_MS: 'soon' }));
    expect(await raw.exited).toEqual({ code: 1, signal: null });
    expect(raw.stderr()).toContain('MCP_TOOL_LATENCY_MS: must be a whole number (got "soon")');
  });
});

describe('tickerdesk MCP server over stdio, as a client sees it', () => {
  let session: StdioSession;
  beforeAll(async () => {
    session = await connectStdio();
  });
  afterAll(async () => session.close());

  it('publishes additionalProperties: false on every input schema', async () => {
    const { tools } = await session.client.listTools();
    expect(tools.length).toBeGreaterThanOrEqual(7);
    for (const tool of tools) expect(tool.inputSchema.additionalProperties, tool.name).toBe(false);
  });

  it('answers a misspelt argument with an error naming it and the one meant, instead of ignoring it', async () => {
    const result = await session.call('get_company_financials', { ticker: 'NVDA', perod: 'quarterly' });
    expect(result.isError).toBe(true);
    expect(result._meta?.code).toBe('tickerdesk_invalid_input');
    expect(textOf(result)).toBe(
      'Invalid arguments for get_company_financials: unknown argument "perod" (did you mean "period"?); ' +
        'it takes ticker, period, limit.',
    );
    const two = await session.call('get_company_profile', { ticker: 'NVDA', foo: 1, bar: 2 });
    expect(textOf(two)).toContain('unknown arguments "foo", "bar"');
  });
});

describe('protocol edges', () => {
  it('answers a line that is not JSON with -32700 (id null) and bad params with -32602 in one plain sentence, and goes on', async () => {
    const raw = spawnRaw(serverEnv({ LOG_LEVEL: 'debug' }));
    try {
      raw.send(initializeRequest(1));
      await raw.next((m) => m.id === 1);
      raw.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      raw.send('this is not json');
      const parseError = await raw.next((m) => 'error' in m && (m.error as { code?: number }).code === -32700);
      // JSON-RPC 2.0: an error whose request id could not be read carries "id": null, not no id.
      expect(parseError).toHaveProperty('id', null);
      raw.send({ a: 1 });
      const invalid = await raw.next((m) => (m.error as { code?: number } | undefined)?.code === -32600);
      expect(invalid).toHaveProperty('id', null);

      raw.send({
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'get_company_profile', arguments: 'NVDA' },
      });
      const stringArgs = await raw.next((m) => m.id === 2);
      expect(stringArgs.error).toEqual({
        code: -32602,
        message: 'Invalid params for tools/call: "arguments" must be an object, not text.',
      });
      raw.send({ jsonrpc: '2.0', id: 3, method: 'tools/call' });
      const noParams = await raw.next((m) => m.id === 3);
      expect(noParams.error).toMatchObject({ code: -32602 });
      const message = (noParams.error as { message: string }).message;
      expect(message).toMatch(
        /^Invalid params for tools\/call: params are missing; send an object with the tool's "name"/,
      );
      expect(message).not.toContain('\n');

      // The server is still serving.
      raw.send({
        jsonrpc: '2.0',
        id: 4,
        method: 'tools/call',
        params: { name: 'get_company_profile', arguments: { ticker: 'NVDA' } },
      });
      const ok = await raw.next((m) => m.id === 4);
      expect((ok.result as { isError?: boolean }).isError ?? false).toBe(false);
      expect(raw.stderr()).toContain('a line on stdin is not JSON');
    } finally {
      raw.child.stdin.end();
      await raw.exited;
    }
  });

  it('exits 0 without an unhandled EPIPE when the client closes the server stdout mid-call', async () => {
    const raw = spawnRaw(serverEnv({ LOG_LEVEL: 'warn' }));
    raw.send(initializeRequest(1));
    raw.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    raw.send({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'get_company_financials', arguments: { ticker: 'NVDA', period: 'quarterly', limit: 12 } },
    });
    raw.child.stdout.destroy();
    expect(await raw.exited).toEqual({ code: 0, signal: null });
    expect(raw.stderr()).not.toContain('EPIPE');
    raw.child.stdin.destroy();
  });

  it('prints no MaxListenersExceededWarning while 50 large answers wait for a slow client to read them', async () => {
    const raw = spawnRaw(serverEnv({ LOG_LEVEL: 'trace' }));
    try {
      raw.send(initializeRequest(0));
      await raw.next((m) => m.id === 0);
      raw.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      // The client stops reading, so the pipe fills and the server's writes wait for 'drain'.
      raw.child.stdout.pause();
      const answered = new Promise<void>((resolve) => {
        const check = () => {
          if ((raw.stderr().match(/tool call answered/g) ?? []).length >= 50) resolve();
        };
        raw.child.stderr.on('data', check);
      });
      for (let id = 1; id <= 50; id++) {
        raw.send({
          jsonrpc: '2.0',
          id,
          method: 'tools/call',
          params: { name: 'get_company_financials', arguments: { ticker: 'NVDA', period: 'quarterly', limit: 12 } },
        });
      }
      await answered;
      raw.child.stdout.resume();
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => raw.next((m) => m.id === i + 1)));
      expect(answers.every((a) => (a.result as { isError?: boolean }).isError !== true)).toBe(true);
    } finally {
      raw.child.stdin.end();
      await raw.exited;
    }
    expect(raw.stderr()).not.toContain('MaxListenersExceededWarning');
  });
});
