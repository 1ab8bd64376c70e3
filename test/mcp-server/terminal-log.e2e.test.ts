/**
 * `npm run mcp-server` started by a person at a terminal prints plain log lines, as the CLI does; spawned with pipes
 * (the tool gateway, an MCP client) or with LOG_LEVEL set it keeps pino's JSON lines. The terminal is a real
 * pseudo-terminal from util-linux `script`.
 */
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { logsArePlain } from '../../src/log.js';
import { initializeRequest, serverEnv } from '../helpers/stdio-server.js';

const LAUNCHER = path.resolve(import.meta.dirname, '../../bin/mcp-server.mjs');

function hasScript(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Start the server (under `script` for a terminal), send initialize, close stdin; all output once it exits. */
function runServer(terminal: boolean, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(LAUNCHER)}`;
  const child = terminal
    ? spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(process.execPath, [LAUNCHER], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString('utf8');
    // The answer to initialize is out: the server is ready; closing stdin stops it.
    if (output.includes('"id":1') && output.includes('"result"')) child.stdin.end();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
  });
  child.stdin.write(`${JSON.stringify(initializeRequest(1))}\n`);
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, output: terminal ? output : `${output}${stderr}` });
    });
  });
}

describe('the data server log lines', () => {
  it('are plain only for a terminal with LOG_LEVEL unset', () => {
    expect(logsArePlain({}, { isTTY: true })).toBe(true);
    expect(logsArePlain({ LOG_LEVEL: ' ' }, { isTTY: true })).toBe(true);
    expect(logsArePlain({ LOG_LEVEL: 'info' }, { isTTY: true })).toBe(false);
    expect(logsArePlain({}, { isTTY: false })).toBe(false);
    expect(logsArePlain({}, {})).toBe(false);
  });

  it.skipIf(!hasScript())(
    'at a terminal: "info: mcp server ready …" in words, no JSON log line',
    async () => {
      const env = serverEnv();
      delete env.LOG_LEVEL;
      const run = await runServer(true, env);
      expect(run.code, run.output).toBe(0);
      expect(run.output).toMatch(/^info: mcp server ready on stdin\/stdout: 563 bundled tickers in .+, DATA_SOURCE=/m);
      expect(run.output).toContain('prices from yahoo → stooq → bundled');
      expect(run.output).toMatch(/^info: mcp server stopping \(stdin closed\)/m);
      expect(run.output).not.toContain('"level":');
    },
    40_000,
  );

  it('spawned with pipes, as the tool gateway does: pino JSON lines on stderr', async () => {
    const env = serverEnv({ LOG_LEVEL: 'info' });
    const run = await runServer(false, env);
    expect(run.code, run.output).toBe(0);
    const ready = run.output.split('\n').find((l) => l.includes('mcp server ready'));
    expect(JSON.parse(ready ?? '')).toMatchObject({ level: 30, tickers: 563, dataSource: 'auto' });
  }, 40_000);
});
