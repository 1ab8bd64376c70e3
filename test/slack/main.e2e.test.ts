/**
 * `npm start` as a person meets it before the app is set up: `src/main.ts` spawned with a bad environment prints
 * every configuration problem in one list, the Slack ones included, and exits with status 1.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-main-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

/** Run `src/main.ts` from an empty folder (no `.env`) with only `env` set; resolves with its exit and stderr. */
function start(
  env: Record<string, string>,
  options: { cwd?: string; preload?: string[] } = {},
): Promise<{ code: number | null; stderr: string }> {
  const args = [
    ...(options.preload ?? []),
    '--import',
    import.meta.resolve('tsx'),
    path.join(REPO_ROOT, 'src/main.ts'),
  ];
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? home,
    // A generous cache bound: on a loaded machine a cache write past the default 1 s is warned (as JSON, the app's
    // log format) and would stand before the lines these tests read; the cache's timeouts are tested elsewhere.
    env: { PATH: process.env.PATH ?? '', TICKERDESK_HOME: home, CACHE_OP_TIMEOUT_MS: '60000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

describe('npm start with a bad configuration', () => {
  it('lists the Slack problems together with the other settings, in one message, and exits 1', async () => {
    const { code, stderr } = await start({ PORT: 'abc', SLACK_BOT_TOKEN: 'xoxp-user-token' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^tickerdesk: Invalid configuration:/);
    expect(stderr).toMatch(/- PORT: /);
    expect(stderr).toMatch(/- SLACK_BOT_TOKEN: must be a bot token starting with xoxb-/);
    expect(stderr).toMatch(/- SLACK_SIGNING_SECRET: required in HTTP mode/);
    expect(stderr).toMatch(/See \.env\.example for every setting\./);
    expect(stderr).not.toMatch(/ at .*\.ts:\d+/);
    expect(stderr).not.toContain('xoxp-user-token');
  }, 30_000);

  it('with no tokens at all, names both missing Slack settings', async () => {
    const { code, stderr } = await start({});
    expect(code).toBe(1);
    expect(stderr).toMatch(/- SLACK_BOT_TOKEN: required/);
    expect(stderr).toMatch(/- SLACK_SIGNING_SECRET: required in HTTP mode/);
  }, 30_000);

  it('reads .env from the working folder: the tokens in it count, the environment still wins', async () => {
    const dir = fs.mkdtempSync(path.join(home, 'with-env-'));
    fs.writeFileSync(
      path.join(dir, '.env'),
      'SLACK_BOT_TOKEN=xoxb-from-dotenv\nSLACK_SIGNING_SECRET=s3cret\nPORT=3000\n',
    );
    const { code, stderr } = await start({ PORT: 'abc' }, { cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toMatch(/- PORT: /);
    expect(stderr).not.toMatch(/SLACK_BOT_TOKEN|SLACK_SIGNING_SECRET/);
  }, 30_000);

  it('says so when .env is there but this Node cannot read it (before 20.12), instead of ignoring it', async () => {
    const dir = fs.mkdtempSync(path.join(home, 'old-node-'));
    fs.writeFileSync(path.join(dir, '.env'), 'SLACK_BOT_TOKEN=xoxb-from-dotenv\nSLACK_SIGNING_SECRET=s3cret\n');
    // Node 20.11 has no process.loadEnvFile: take it away before main.ts runs.
    const preload = ['--import', 'data:text/javascript,delete process.loadEnvFile'];
    const { code, stderr } = await start({}, { cwd: dir, preload });
    expect(code).toBe(1);
    expect(stderr).toMatch(/found \.env, but Node v[\d.]+ cannot read it \(Node 20\.12 or later can\)/);
    expect(stderr).toMatch(/- SLACK_BOT_TOKEN: required/);
  }, 30_000);
});

describe('npm start when Slack refuses or cannot be reached', () => {
  it('Socket Mode with an app token lacking connections:write: one plain line, exit 1, no retries', async () => {
    const api = await new SlackStandIn().start();
    try {
      api.connectionsError = 'missing_scope';
      const { code, stderr } = await start({
        SLACK_BOT_TOKEN: api.token,
        SLACK_APP_TOKEN: api.appToken,
        SLACK_API_URL: api.apiUrl,
        LOG_LEVEL: 'warn',
      });
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toEqual([
        'tickerdesk: Slack refused the app-level token for Socket Mode (missing_scope). SLACK_APP_TOKEN must be an xapp- token with the connections:write scope (Basic Information → App-Level Tokens).',
      ]);
      expect(api.callsOf('apps.connections.open')).toHaveLength(1);
    } finally {
      await api.close();
    }
  }, 60_000);

  it('Slack unreachable: the plain error line is all stderr shows (no JSON retry warnings before it), exit 1', async () => {
    const closed = await new SlackStandIn().start();
    const url = closed.apiUrl;
    await closed.close();
    const { code, stderr } = await start({
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: 's3cret',
      SLACK_API_URL: url,
    });
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^tickerdesk: Could not reach Slack at http:\/\/127\.0\.0\.1:\d+\/api\/: /);
    expect(lines.filter((l) => l.startsWith('{'))).toEqual([]);
  }, 60_000);
});
