/**
 * Clients for work the app starts itself (alerts, watchlist digests): in OAuth mode a workspace's client carries the
 * bot token of its installation (the Web API stand-in records it), a reinstall's new token is used, and a workspace
 * without an installation, or none named, gets an error instead of another workspace's token.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Installation } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../../src/log.js';
import { clientOptions } from '../../../src/slack/client-options.js';
import {
  type KeyvInstallationStore,
  openInstallationStore,
} from '../../../src/slack/installations/installation-store.js';
import { installedClients, singleTokenClients } from '../../../src/slack/installations/workspace-clients.js';
import { SlackStandIn } from '../../helpers/slack-stand-in.js';

let standIn: SlackStandIn;
let store: KeyvInstallationStore;
let dir: string;

const installed = (token: string): Installation<'v2', false> => ({
  team: { id: 'T0TEST', name: 'Tickerdesk Test' },
  enterprise: undefined,
  user: { token: undefined, scopes: undefined, id: 'U0INSTALLER' },
  bot: { scopes: ['chat:write'], token, userId: 'U0BOT', id: 'B0BOT' },
  isEnterpriseInstall: false,
  authVersion: 'v2',
});

beforeAll(async () => {
  standIn = await new SlackStandIn().start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-clients-'));
  store = await openInstallationStore({ sqlitePath: path.join(dir, 'installations.sqlite') }, randomBytes(32), {
    logger,
  });
});

afterAll(async () => {
  await store?.close();
  await standIn?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('WorkspaceClients', () => {
  it('OAuth mode: the client of a workspace posts with its installation’s token, the newest after a reinstall', async () => {
    const clients = installedClients(store, clientOptions(standIn.apiUrl));
    await store.storeInstallation(installed('xoxb-old-token'));
    await expect((await clients.forTeam('T0TEST')).chat.postMessage({ channel: 'C0OPS', text: 'a' })).rejects.toThrow(
      /invalid_auth/,
    );
    await store.storeInstallation(installed(standIn.token)); // reinstalled: a new token
    const res = await (await clients.forTeam('T0TEST')).chat.postMessage({ channel: 'C0OPS', text: 'alert' });
    expect(res.ok).toBe(true);
    const posted = standIn.callsOf('chat.postMessage');
    expect(posted.map((c) => [c.token, c.args.channel, c.error])).toEqual([
      ['xoxb-old-token', 'C0OPS', 'invalid_auth'],
      [standIn.token, 'C0OPS', undefined],
    ]);
  });

  it('OAuth mode: no installation, or no workspace named, is an error, never another workspace’s token', async () => {
    const clients = installedClients(store, clientOptions(standIn.apiUrl));
    await expect(clients.forTeam('T0ELSEWHERE')).rejects.toThrow(/not installed in team T0ELSEWHERE/);
    await expect(clients.forTeam(undefined)).rejects.toThrow(/workspace is not known/);
  });

  it('single-token mode: every workspace gets the app’s one client', async () => {
    const client = (await installedClients(store, clientOptions(standIn.apiUrl)).forTeam('T0TEST')) as never;
    const single = singleTokenClients(client);
    expect(await single.forTeam(undefined)).toBe(client);
    expect(await single.forTeam('T0ANY')).toBe(client);
  });
});
