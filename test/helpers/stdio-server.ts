/**
 * Our MCP data server started as an MCP client starts it: its own process over stdio, driven with the SDK's
 * `Client` (for calls as a client makes them) or raw lines (for protocol edges a well-behaved client never sends).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { serverCommand } from '../../src/mcp-server/entry.js';

/** PATH, HOME and TMPDIR of this process plus `extra` (quiet logs unless `extra` says otherwise). */
export function serverEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { LOG_LEVEL: 'warn' };
  for (const key of ['PATH', 'HOME', 'TMPDIR']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...extra };
}

/** A connected SDK client, the server's stderr so far, and `close()` (which waits for the process to end). */
export interface StdioSession {
  client: Client;
  /** Process id of the server process the client started. */
  pid: number | null;
  stderr(): string;
  call(name: string, args: unknown): Promise<CallToolResult>;
  close(): Promise<void>;
}

/**
 * Start the server with `command`/`args` (default: `serverCommand()`) and connect an SDK client to it.
 * @throws when the server does not start (the error carries its stderr).
 */
export async function connectStdio(
  options: { env?: Record<string, string>; cwd?: string; command?: string; args?: string[] } = {},
): Promise<StdioSession> {
  const spec = serverCommand();
  const transport = new StdioClientTransport({
    command: options.command ?? spec.command,
    args: options.args ?? spec.args,
    env: options.env ?? serverEnv(),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: 'tickerdesk-test-client', version: '1.0.0' });
  try {
    await client.connect(transport);
  } catch (err) {
    await client.close().catch(() => undefined);
    throw new Error(`server did not start: ${String(err)}; stderr: ${stderr}`);
  }
  return {
    client,
    pid: transport.pid,
    stderr: () => stderr,
    call: async (name, args) =>
      (await client.callTool({ name, arguments: args as Record<string, unknown> })) as CallToolResult,
    close: () => client.close(),
  };
}

/** A raw server process: write JSON-RPC lines, read back the parsed lines it wrote on stdout. */
export interface RawServer {
  child: ChildProcessWithoutNullStreams;
  stderr(): string;
  /** Write one line (a string as is, anything else as JSON). */
  send(line: unknown): void;
  /** Resolves with the first message on stdout that `match` accepts. */
  next(match: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** Resolves with the exit code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawn the server with `serverCommand()` and no client: for protocol edges. Kill it (or end stdin) when done. */
export function spawnRaw(env: Record<string, string> = serverEnv()): RawServer {
  const { command, args } = serverCommand();
  const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const messages: Record<string, unknown>[] = [];
  const waiters: { match: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] =
    [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const message = JSON.parse(buffer.slice(0, i)) as Record<string, unknown>;
      buffer = buffer.slice(i + 1);
      messages.push(message);
      for (const w of [...waiters]) {
        if (w.match(message)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(message);
        }
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stderr: () => stderr,
    send: (line) => child.stdin.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`),
    next: (match) => {
      const seen = messages.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
    exited,
  };
}

/** The JSON-RPC `initialize` request a client sends first. */
export function initializeRequest(id: number): Record<string, unknown> {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  };
}
