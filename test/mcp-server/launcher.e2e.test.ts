/**
 * README's Claude Desktop configuration, run as written (placeholders filled in): an absolute node, a PATH without
 * node, the working directory `/`, one process.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.js';
import { serverLauncherPath } from '../../src/mcp-server/entry.js';
import { connectStdio } from '../helpers/stdio-server.js';

interface DesktopConfig {
  mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string> }>;
}

/** The JSON block of README's Claude Desktop section, with its placeholders replaced by this machine's paths. */
function readmeDesktopConfig(): DesktopConfig {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('Claude Desktop (`claude_desktop_config.json`)'));
  const block = /```json\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README has no JSON block in its Claude Desktop section');
  const filled = block
    .replaceAll('/ABSOLUTE/PATH/TO/node', process.execPath)
    .replaceAll('/ABSOLUTE/PATH/TO/tickerdesk', REPO_ROOT);
  return JSON.parse(filled) as DesktopConfig;
}

describe("README's Claude Desktop command", () => {
  const emptyBin = mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-no-node-'));
  afterAll(() => rmSync(emptyBin, { recursive: true, force: true }));

  it('starts the server as one process from / with a PATH that has no node, and serves tools', async () => {
    const entry = readmeDesktopConfig().mcpServers.tickerdesk;
    expect(entry?.command).toBe(process.execPath);
    expect(entry?.args).toEqual([serverLauncherPath]);
    expect(readdirSync(emptyBin)).toEqual([]);
    const session = await connectStdio({
      command: entry?.command ?? '',
      args: entry?.args ?? [],
      env: { ...entry?.env, PATH: emptyBin },
      cwd: '/',
    });
    try {
      const result = await session.call('get_company_profile', { ticker: 'NVDA' });
      expect(result.isError ?? false, session.stderr()).toBe(false);
      expect((result.structuredContent as { ticker: string }).ticker).toBe('NVDA');
      // One process: the server is the process the client started, and it started no other.
      const pid = session.pid;
      expect(pid).toBeGreaterThan(0);
      const children = `/proc/${pid}/task/${pid}/children`;
      if (existsSync(children)) expect(readFileSync(children, 'utf8').trim()).toBe('');
      expect(session.stderr()).not.toContain('No such file or directory');
    } finally {
      await session.close();
    }
  });
});
