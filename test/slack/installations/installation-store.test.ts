/**
 * The installation store (OAuth mode) on a SQLite file and on Redis: an installation stored is fetched back whole
 * (after a reopen too), each workspace has its own, an org-wide install is found by its enterprise, a deleted one is
 * gone, and no token is in the SQLite file in plain text; a store opened with another key refuses to answer.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Installation } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../../src/log.js';
import {
  InstallationNotFoundError,
  openInstallationStore,
} from '../../../src/slack/installations/installation-store.js';
import { TokenDecryptionError } from '../../../src/slack/installations/token-cipher.js';
import { redisSkipReason, startTestRedis, type TestRedis } from '../../helpers/redis-server.js';

const dirs: string[] = [];
function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-installations-'));
  dirs.push(dir);
  return path.join(dir, 'home', 'installations.sqlite');
}

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** An installation as @slack/oauth builds it from `oauth.v2.access` (v2, bot token, no user token). */
function installation(team: string, token: string): Installation<'v2', false> {
  return {
    team: { id: team, name: `Team ${team}` },
    enterprise: undefined,
    user: { token: undefined, scopes: undefined, id: 'U0INSTALLER' },
    bot: { scopes: ['commands', 'chat:write'], token, userId: `U0BOT${team}`, id: `B0BOT${team}` },
    tokenType: 'bot',
    isEnterpriseInstall: false,
    appId: 'A0TICKER',
    authVersion: 'v2',
  };
}

const query = (teamId: string) => ({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });

describe('openInstallationStore (SQLite)', () => {
  it('keeps each workspace’s installation across a reopen, deletes one, and stores no token in plain text', async () => {
    const file = tempFile();
    const key = randomBytes(32);
    const first = await openInstallationStore({ sqlitePath: file }, key, { logger });
    await first.storeInstallation(installation('T0AAA', 'xoxb-aaa-secret-token-0001'));
    await first.storeInstallation(installation('T0BBB', 'xoxb-bbb-secret-token-0002'));
    await first.close();

    const bytes = fs.readFileSync(file);
    expect(bytes.includes('xoxb-aaa-secret-token-0001')).toBe(false);
    expect(bytes.includes('xoxb-bbb-secret-token-0002')).toBe(false);
    expect(bytes.includes('xoxb-')).toBe(false);
    expect(bytes.includes('Team T0AAA')).toBe(false);

    const second = await openInstallationStore({ sqlitePath: file }, key, { logger });
    expect((await second.fetchInstallation(query('T0AAA'))).bot?.token).toBe('xoxb-aaa-secret-token-0001');
    expect(await second.fetchInstallation(query('T0BBB'))).toEqual(installation('T0BBB', 'xoxb-bbb-secret-token-0002'));
    await second.deleteInstallation(query('T0AAA'));
    await expect(second.fetchInstallation(query('T0AAA'))).rejects.toBeInstanceOf(InstallationNotFoundError);
    expect((await second.fetchInstallation(query('T0BBB'))).bot?.token).toBe('xoxb-bbb-secret-token-0002');
    await expect(second.fetchInstallation(query('T0CCC'))).rejects.toThrow(/not installed in team T0CCC/);
    await second.close();
  });

  it('finds an org-wide install by its enterprise, for any workspace of the organisation', async () => {
    const store = await openInstallationStore({ sqlitePath: tempFile() }, randomBytes(32), { logger });
    const org: Installation<'v2', true> = {
      team: undefined,
      enterprise: { id: 'E0ORG', name: 'Org' },
      user: { token: undefined, scopes: undefined, id: 'U0ADMIN' },
      bot: { scopes: ['commands'], token: 'xoxb-org-token', userId: 'U0BOTORG', id: 'B0BOTORG' },
      isEnterpriseInstall: true,
      enterpriseUrl: 'https://org.enterprise.slack.com/',
      authVersion: 'v2',
    };
    await store.storeInstallation(org);
    const found = await store.fetchInstallation({ teamId: 'T0ANY', enterpriseId: 'E0ORG', isEnterpriseInstall: true });
    expect(found.bot?.token).toBe('xoxb-org-token');
    await expect(store.fetchInstallation(query('T0ANY'))).rejects.toBeInstanceOf(InstallationNotFoundError);
    // Listed among the org-wide installations; a workspace's is not.
    await store.storeInstallation(installation('T0WORK', 'xoxb-work-token'));
    expect((await store.orgWideInstallations()).map((i) => [i.enterprise?.id, i.bot?.token])).toEqual([
      ['E0ORG', 'xoxb-org-token'],
    ]);
    await store.close();
  });

  it('refuses to answer with another key (a changed SLACK_TOKEN_ENCRYPTION_KEY)', async () => {
    const file = tempFile();
    const first = await openInstallationStore({ sqlitePath: file }, randomBytes(32), { logger });
    await first.storeInstallation(installation('T0AAA', 'xoxb-aaa'));
    await first.close();
    const other = await openInstallationStore({ sqlitePath: file }, randomBytes(32), { logger });
    await expect(other.fetchInstallation(query('T0AAA'))).rejects.toBeInstanceOf(TokenDecryptionError);
    await other.close();
  });
});

const skip = redisSkipReason();
describe.skipIf(skip !== undefined)('openInstallationStore (Redis)', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('is shared by two instances: one stores, the other fetches, either deletes', async () => {
    const key = randomBytes(32);
    const team = `T0R${randomBytes(4).toString('hex').toUpperCase()}`;
    const a = await openInstallationStore({ sqlitePath: tempFile(), redisUrl: redis.url }, key, { logger });
    const b = await openInstallationStore({ sqlitePath: tempFile(), redisUrl: redis.url }, key, { logger });
    await a.storeInstallation(installation(team, 'xoxb-redis-token'));
    expect((await b.fetchInstallation(query(team))).bot?.token).toBe('xoxb-redis-token');
    await b.deleteInstallation(query(team));
    await expect(a.fetchInstallation(query(team))).rejects.toBeInstanceOf(InstallationNotFoundError);
    await a.close();
    await b.close();
  });

  it('lists the org-wide installations one instance stored to the other (records sealed with another key left out)', async () => {
    const key = randomBytes(32);
    const enterprise = `E0R${randomBytes(4).toString('hex').toUpperCase()}`;
    const a = await openInstallationStore({ sqlitePath: tempFile(), redisUrl: redis.url }, key, { logger });
    const b = await openInstallationStore({ sqlitePath: tempFile(), redisUrl: redis.url }, key, { logger });
    const other = await openInstallationStore({ sqlitePath: tempFile(), redisUrl: redis.url }, randomBytes(32), {
      logger,
    });
    const org = { teamId: undefined, enterpriseId: enterprise, isEnterpriseInstall: true };
    try {
      await a.storeInstallation({
        team: undefined,
        enterprise: { id: enterprise, name: 'Org' },
        user: { token: undefined, scopes: undefined, id: 'U0ADMIN' },
        bot: { scopes: ['commands'], token: 'xoxb-org-redis', userId: 'U0BOTORG', id: 'B0BOTORG' },
        isEnterpriseInstall: true,
        authVersion: 'v2',
      });
      const listed = (await b.orgWideInstallations()).filter((i) => i.enterprise?.id === enterprise);
      expect(listed.map((i) => i.bot?.token)).toEqual(['xoxb-org-redis']);
      expect((await other.orgWideInstallations()).filter((i) => i.enterprise?.id === enterprise)).toEqual([]);
    } finally {
      await a.deleteInstallation(org);
      await Promise.all([a.close(), b.close(), other.close()]);
    }
  });
});
if (skip) console.log(skip);
