/**
 * The `tickerdesk` command (issue 13): `package.json` `bin` → `bin/tickerdesk.mjs`, with `--version`, `--help`,
 * `research` through `npx` as the README shows it (offline, a temporary npm cache), and `mcp-server` serving the data
 * tools over stdio in the one process the client started.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runProcess } from '../cli/helpers.js';
import { connectStdio, serverEnv } from '../helpers/stdio-server.js';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};
const bin = path.join(ROOT, pkg.bin.tickerdesk ?? 'missing');
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-bin-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('tickerdesk', () => {
  it('--version prints the package version; --help lists research, perf and mcp-server', async () => {
    const version = await runProcess(process.execPath, [bin, '--version'], {});
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);
    const help = await runProcess(process.execPath, [bin, '--help'], {});
    expect(help.code, help.stderr).toBe(0);
    for (const command of ['research', 'perf', 'mcp-server']) expect(help.stdout).toContain(`\n  ${command}`);
  });

  it('`npx tickerdesk research NVDA` writes the report (npx finds the command in this package, offline)', async () => {
    const run = await runProcess(
      'npx',
      ['tickerdesk', 'research', 'NVDA'],
      {
        TICKERDESK_HOME: path.join(tmp, 'home'),
        npm_config_cache: path.join(tmp, 'npm-cache'),
        npm_config_offline: 'true',
        npm_config_update_notifier: 'false',
        CACHE_URL: '',
      },
      { timeoutMs: 120_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.split('\n')[0]).toBe('NVDA: starting…');
    expect(run.stdout).toContain('## Executive summary');
    expect(run.stdout).toMatch(/Verdict: (Buy|Hold|Sell)/);
    expect(run.stdout).toMatch(/\d+ tools: 0 cached, \d+ called\./);
  }, 150_000);

  it('`tickerdesk mcp-server` serves the data tools over stdio in the process the client started', async () => {
    const session = await connectStdio({ command: process.execPath, args: [bin, 'mcp-server'], env: serverEnv() });
    try {
      const { tools } = await session.client.listTools();
      expect(tools.map((t) => t.name)).toContain('get_company_profile');
      const result = await session.call('get_company_profile', { ticker: 'NVDA' });
      expect(result.isError ?? false, session.stderr()).toBe(false);
      expect((result.structuredContent as { ticker: string }).ticker).toBe('NVDA');
      const children = `/proc/${session.pid}/task/${session.pid}/children`;
      if (existsSync(children)) expect(readFileSync(children, 'utf8').trim()).toBe('');
    } finally {
      await session.close();
    }
  }, 60_000);
});
