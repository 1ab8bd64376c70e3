/**
 * OAuth mode's declarations and its user groups: the install asks for exactly the manifest's bot scopes; the
 * manifest subscribes to app_uninstalled and tokens_revoked and documents the redirect URL and the install path;
 * user groups named in the lists are listed in each workspace with its own client, each group in the workspace that
 * knows it, and an uninstalled workspace's groups are forgotten.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../src/config.js';
import { logger } from '../../../src/log.js';
import { authorizationUrl, BOT_SCOPES, INSTALL_PATH, REDIRECT_PATH } from '../../../src/slack/installations/oauth.js';
import { Permissions } from '../../../src/slack/permissions.js';

const manifest = fs.readFileSync(path.join(REPO_ROOT, 'manifest.yml'), 'utf8');

/** The `- item` lines right under `key:` (at `indent` spaces), in order. */
function listUnder(key: string, indent: number): string[] {
  const lines = manifest.split('\n');
  const start = lines.indexOf(`${' '.repeat(indent)}${key}:`);
  expect(start).toBeGreaterThanOrEqual(0);
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const m = new RegExp(`^ {${indent + 2}}- (\\S+)$`).exec(line);
    if (!m?.[1]) break;
    items.push(m[1]);
  }
  return items;
}

describe('OAuth declarations', () => {
  it('the install asks for the manifest’s bot scopes, no more', () => {
    expect([...BOT_SCOPES]).toEqual(listUnder('bot', 4));
  });

  it('the manifest subscribes to app_uninstalled and tokens_revoked, and names the redirect URL and install path', () => {
    expect(listUnder('bot_events', 4)).toEqual(expect.arrayContaining(['app_uninstalled', 'tokens_revoked']));
    expect(manifest).toContain(`https://YOUR-HOST${REDIRECT_PATH}`);
    expect(manifest).toContain(`https://YOUR-HOST${INSTALL_PATH}`);
  });

  it('Slack’s consent page is beside the Web API: slack.com by default, SLACK_API_URL’s host when set', () => {
    expect(authorizationUrl(undefined)).toBe('https://slack.com/oauth/v2/authorize');
    expect(authorizationUrl('http://127.0.0.1:4000/api')).toBe('http://127.0.0.1:4000/oauth/v2/authorize');
  });
});

/** A client of one workspace that knows `groups` (others answer `no_such_subteam`), counting its calls. */
function workspaceClient(groups: Record<string, string[]>, asked: string[]): webApi.WebClient {
  const list = async ({ usergroup }: { usergroup: string }) => {
    asked.push(usergroup);
    const users = groups[usergroup];
    if (!users)
      throw Object.assign(new Error('An API error occurred: no_such_subteam'), {
        code: 'slack_webapi_platform_error',
        data: { ok: false, error: 'no_such_subteam' },
      });
    return { ok: true, users };
  };
  return { usergroups: { users: { list } } } as unknown as webApi.WebClient;
}

describe('Permissions in OAuth mode', () => {
  it('lists each named group in the workspace that knows it, once per workspace seen, and forgets an uninstalled one', async () => {
    const p = new Permissions(
      { allowedChannels: [], allowedUsers: ['S0ALPHA', 'S0BETA'], adminUsers: [] },
      { logger, refreshMs: 3_600_000 },
    );
    const alphaAsked: string[] = [];
    const betaAsked: string[] = [];
    p.watch('T0ALPHA', workspaceClient({ S0ALPHA: ['U0ANN'] }, alphaAsked));
    p.watch('T0ALPHA', workspaceClient({ S0ALPHA: ['U0ANN'] }, alphaAsked)); // a later request: no second fetch
    await p.loaded();
    expect(alphaAsked.sort()).toEqual(['S0ALPHA', 'S0BETA']);
    p.watch('T0BETA', workspaceClient({ S0BETA: ['U0BEN'] }, betaAsked));
    await p.loaded();
    expect(betaAsked).toEqual(['S0BETA']); // S0ALPHA is T0ALPHA's by then
    expect(p.check('research', 'U0ANN', 'C0ANY')).toBeUndefined();
    expect(p.check('research', 'U0BEN', 'C0ANY')).toBeUndefined();
    p.forget('T0BETA');
    expect(p.check('research', 'U0BEN', 'C0ANY')?.reason).toBe('user');
    expect(p.check('research', 'U0ANN', 'C0ANY')).toBeUndefined();
    p.stop();
  });
});
