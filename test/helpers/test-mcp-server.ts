/**
 * A tiny real MCP stdio server for the tool gateway's tests. Run it with
 * `process.execPath --import tsx test/helpers/test-mcp-server.ts` (see {@link testServerSpec}).
 *
 * Tools:
 * - `count` `{ ticker?, tag? }` → `{ n, args }`: `n` is how many times `count` ran in this process.
 * - `sleep` `{ ms, tag? }` → `{ slept, maxConcurrent }` after `ms` ms; `maxConcurrent` = most sleeps at once so far.
 * - `flaky` `{ key, failTimes, mode: 'crash' | 'hang', hangMs? }`: the first `failTimes` calls per `key` fail
 *   transiently — `crash` exits the process (state kept in `TEST_MCP_STATE_DIR` so it survives restarts), `hang`
 *   sleeps `hangMs` (default 60 s) so the client times out — then answers `{ ok: true, attempt }`.
 * - `noisy` `{ kb }` → writes `kb` KiB of log lines to stderr, then answers `{ wrote }`.
 * - `fail` `{ code, message, suggestions?, ticker? }` → an `isError: true` result with `_meta.code` etc.
 * - `text_only` `{ text }` → a result with only text content (no `structuredContent`).
 * - `pid` → `{ pid }` of this process.
 *
 * Only protocol goes to stdout.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'tickerdesk-test', version: '0.0.0' });
let countCalls = 0;
const hangCounts = new Map<string, number>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ok(data: Record<string, unknown>) {
  return { content: [{ type: 'text' as const, text: JSON.stringify(data) }], structuredContent: data };
}

function bumpCrashCounter(key: string): number {
  const dir = process.env.TEST_MCP_STATE_DIR;
  if (!dir) throw new Error('TEST_MCP_STATE_DIR is not set');
  const file = path.join(dir, `flaky-${key.replace(/[^\w-]/g, '_')}.txt`);
  const n = (existsSync(file) ? Number(readFileSync(file, 'utf8')) : 0) + 1;
  writeFileSync(file, String(n));
  return n;
}

server.registerTool(
  'count',
  { description: 'Counts its calls.', inputSchema: { ticker: z.string().optional(), tag: z.string().optional() } },
  async (args) => {
    countCalls += 1;
    return ok({ n: countCalls, args });
  },
);

let sleeping = 0;
let maxSleeping = 0;
server.registerTool(
  'sleep',
  { description: 'Sleeps.', inputSchema: { ms: z.number(), tag: z.string().optional() } },
  async ({ ms }) => {
    sleeping += 1;
    maxSleeping = Math.max(maxSleeping, sleeping);
    await sleep(ms);
    sleeping -= 1;
    return ok({ slept: ms, maxConcurrent: maxSleeping });
  },
);

server.registerTool(
  'flaky',
  {
    description: 'Fails transiently N times.',
    inputSchema: {
      key: z.string(),
      failTimes: z.number(),
      mode: z.enum(['crash', 'hang']),
      hangMs: z.number().optional(),
    },
  },
  async ({ key, failTimes, mode, hangMs }) => {
    if (mode === 'crash') {
      const n = bumpCrashCounter(key);
      if (n <= failTimes) {
        process.stderr.write(`flaky ${key}: crashing on attempt ${n}\n`);
        process.exit(3);
      }
      return ok({ ok: true, attempt: n });
    }
    const n = (hangCounts.get(key) ?? 0) + 1;
    hangCounts.set(key, n);
    if (n <= failTimes) await sleep(hangMs ?? 60_000);
    return ok({ ok: true, attempt: n });
  },
);

server.registerTool('noisy', { description: 'Writes to stderr.', inputSchema: { kb: z.number() } }, async ({ kb }) => {
  const line = `${'x'.repeat(1000)}\n`;
  for (let i = 0; i < kb; i++) process.stderr.write(`noise ${i} ${line.slice(0, 1018)}`);
  return ok({ wrote: kb });
});

server.registerTool(
  'fail',
  {
    description: 'Returns an isError result.',
    inputSchema: {
      code: z.string().optional(),
      message: z.string(),
      suggestions: z.array(z.string()).optional(),
      ticker: z.string().optional(),
    },
  },
  async ({ code, message, suggestions, ticker }) => ({
    isError: true,
    content: [{ type: 'text' as const, text: message }],
    ...(code === undefined
      ? {}
      : { _meta: { code, ...(suggestions ? { suggestions } : {}), ...(ticker ? { ticker } : {}) } }),
  }),
);

server.registerTool(
  'text_only',
  { description: 'Answers with text content only.', inputSchema: { text: z.string() } },
  async ({ text }) => ({ content: [{ type: 'text' as const, text }] }),
);

server.registerTool('pid', { description: 'Reports its pid.' }, async () => ok({ pid: process.pid }));

await server.connect(new StdioServerTransport());
// Exit as soon as the client hangs up, even while a `sleep`/`hang` call is pending.
process.stdin.on('end', () => process.exit(0));
