/**
 * The prebuilt MCP server bundle: built from the sources, named by their fingerprint, served over real stdio from
 * any working directory with the same answers as the server under tsx.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.js';
import { McpServerClient } from '../../src/tools/mcp-client.js';
import { BUNDLE_DIR, serverBundle, sourceFingerprint } from '../../src/tools/server-bundle.js';

describe('MCP server bundle', () => {
  it('fingerprints the sources: any change to a .ts file gives a new name', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-fp-'));
    try {
      writeFileSync(path.join(root, 'a.ts'), 'export const a = 1;\n');
      writeFileSync(path.join(root, 'notes.md'), 'ignored');
      const before = sourceFingerprint(root);
      expect(sourceFingerprint(root)).toBe(before);
      writeFileSync(path.join(root, 'notes.md'), 'still ignored');
      expect(sourceFingerprint(root)).toBe(before);
      writeFileSync(path.join(root, 'a.ts'), 'export const a = 2;\n');
      utimesSync(path.join(root, 'a.ts'), new Date(), new Date(Date.now() + 5000));
      expect(sourceFingerprint(root)).not.toBe(before);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('builds once and serves the real tools over stdio from another working directory', {
    timeout: 60_000,
  }, async () => {
    const file = await serverBundle();
    expect(file).toBeDefined();
    expect(path.dirname(path.dirname(file as string))).toBe(BUNDLE_DIR);
    expect(await serverBundle()).toBe(file); // up to date: no rebuild, same file
    const client = new McpServerClient('tickerdesk', {
      command: process.execPath,
      args: [file as string],
      cwd: os.tmpdir(),
      env: { DATA_DIR: path.join(REPO_ROOT, 'data'), LOG_LEVEL: 'silent' },
    });
    try {
      const profile = (await client.callTool('get_company_profile', { ticker: 'nvda' }, 30_000)) as { ticker: string };
      expect(profile.ticker).toBe('NVDA');
      const ta = (await client.callTool('analyze_stock', { ticker: 'NVDA' }, 30_000)) as { rsi14: number };
      expect(ta.rsi14).toBeGreaterThan(0);
      await expect(client.callTool('get_company_profile', { ticker: 'NVDAX' }, 30_000)).rejects.toMatchObject({
        code: 'tickerdesk_unknown_ticker',
      });
    } finally {
      await client.close();
    }
  });
});
