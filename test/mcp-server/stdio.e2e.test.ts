import { spawn } from 'node:child_process';
import os from 'node:os';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.js';
import { serverCommand, serverEntryPath } from '../../src/mcp-server/entry.js';
import type { CompanyProfile } from '../../src/mcp-server/shapes.js';

/** Environment for the spawned server: PATH and HOME, quiet logs. */
function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { LOG_LEVEL: 'warn', ...extra };
  for (const key of ['PATH', 'HOME', 'TMPDIR']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

/** Spawn the server as `serverCommand()` says, collecting its stdout and stderr as text. */
function spawnServer(options: { cwd?: string; env: Record<string, string> }) {
  const { command, args } = serverCommand();
  const child = spawn(command, args, { ...options, stdio: ['pipe', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  return { child, output };
}

describe('tickerdesk MCP server over real stdio', () => {
  it('is spawned as node --import tsx main.ts and answers get_company_profile for NVDA from the bundled data', async () => {
    // Exactly as the tool gateway spawns it: this Node, the tsx loader by name, from the repository root.
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', serverEntryPath],
      cwd: REPO_ROOT,
      env: childEnv(),
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const protocolErrors: Error[] = [];
    const client = new Client({ name: 'e2e', version: '1.0.0' });
    client.onerror = (err) => protocolErrors.push(err);
    try {
      await client.connect(transport);
      expect(client.getServerVersion()?.name).toBe('tickerdesk');
      const result = (await client.callTool({
        name: 'get_company_profile',
        arguments: { ticker: 'nvda' },
      })) as CallToolResult;
      expect(result.isError ?? false, stderr).toBe(false);
      const profile = result.structuredContent as unknown as CompanyProfile;
      expect(profile.ticker).toBe('NVDA');
      expect(profile.name).toMatch(/nvidia/i);
      expect(profile.cik).toBe('0001045810');
      expect(profile.sources.length).toBeGreaterThan(0);

      const unknown = (await client.callTool({
        name: 'get_company_profile',
        arguments: { ticker: 'NVDAA' },
      })) as CallToolResult;
      expect(unknown.isError).toBe(true);
      expect(unknown._meta?.code).toBe('tickerdesk_unknown_ticker');
      expect(unknown._meta?.suggestions).toContain('NVDA');
    } finally {
      await client.close();
    }
    // Anything but JSON-RPC on stdout would have surfaced as a protocol error.
    expect(protocolErrors).toEqual([]);
  });

  it('starts from any directory with serverCommand(), writes nothing to stdout on its own, exits 0 on stdin close', async () => {
    const { command, args } = serverCommand();
    expect(command).toBe(process.execPath);
    expect(args.at(-1)).toBe(serverEntryPath);
    const { child, output } = spawnServer({ cwd: os.tmpdir(), env: childEnv({ LOG_LEVEL: 'info' }) });
    // Wait until the server says it is ready (on stderr), then hang up.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server not ready; stderr: ${output.stderr}`)), 20_000);
      child.stderr.on('data', () => {
        if (output.stderr.includes('mcp server ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`server exited early (${code}); stderr: ${output.stderr}`)));
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    child.stdin.end();
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(output.stdout).toBe('');
  });

  it('exits 1 with a plain message when the data set is missing', async () => {
    const { child, output } = spawnServer({ env: childEnv({ DATA_DIR: '/nonexistent/tickerdesk-data' }) });
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    clearTimeout(guard);
    expect(code).toBe(1);
    expect(output.stderr).toContain('tickerdesk MCP server could not start');
    expect(output.stderr).toContain('/nonexistent/tickerdesk-data');
    expect(output.stdout).toBe('');
  });
});
