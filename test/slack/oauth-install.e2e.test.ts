/**
 * Installing in more than one workspace (issue 15, part 8), end to end on the real runtime and Bolt's OAuth: two
 * workspaces install through `GET /slack/install` → Slack's consent page (the stand-in's) → `/slack/oauth_redirect`
 * with the code and the state; each is then answered with its own bot token (every Web API call the stand-in
 * received for a workspace's channel carried that workspace's token); `app_uninstalled` and `tokens_revoked` delete
 * the installation, after which that workspace's commands are acknowledged and left unanswered while the other
 * workspace is still answered; the installations file holds no token in plain text; a redirect whose state is not
 * the browser's is refused and stores nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/metrics/types.js';
import { createSlackAlerter, DEFAULT_ALERT_LIMITS } from '../../src/ops/alerts.js';
import { createMemoryClaims } from '../../src/tools/run-claims.js';
import { captureLogger } from '../helpers/log-capture.js';
import { installThroughOAuth, startOAuthApp } from '../helpers/oauth-install.js';
import { eventBody, postSigned } from '../helpers/slack-request.js';
import { type SlackOnRuntime, waitFor } from '../helpers/slack-runtime.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';
import { renderBlocks } from '../helpers/slack-transcript.js';

const CLIENT = { clientId: '1111.2222', clientSecret: 'client-secret-0123456789' };

let standIn: SlackStandIn;
let app: SlackOnRuntime;

/** The installation query of team `teamId`, as Bolt builds it for a workspace install. */
const team = (teamId: string) => ({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });

/** A browser going through the install, choosing workspace `teamId` on the consent page. */
const install = (teamId: string, options: { cookie?: 'keep' | 'drop' } = {}) =>
  installThroughOAuth(app.baseUrl, standIn, CLIENT.clientId, { team: teamId }, options);

/** Raise a slow-run alert about `run` as the app does, posted in C0OPS of T0ALPHA (a fresh alerter: no hourly limit). */
async function alertAbout(run: RunRecord): Promise<void> {
  const alerter = createSlackAlerter(
    { ...DEFAULT_ALERT_LIMITS, runMs: 1, channel: 'C0OPS', team: 'T0ALPHA' },
    app.slack.clients,
    createMemoryClaims(),
    captureLogger().logger,
  );
  expect((await alerter.evaluate({ ...run, durationMs: 5000 }, [])).map((a) => a.kind)).toContain('slow_run');
}

/** The bot token stored for `teamId`. */
async function tokenOf(teamId: string): Promise<string> {
  const installation = await app.installations?.fetchInstallation(team(teamId));
  return installation?.bot?.token ?? '';
}

/** Wait until the report in `channel` shows its verdict, and every run is fully shown. */
async function reportIn(channel: string): Promise<void> {
  await waitFor(
    () =>
      [...standIn.messages.values()].some(
        (m) => m.channel === channel && !m.threadTs && renderBlocks(m.blocks).includes('*Verdict:*'),
      ),
    `the final parent in ${channel}`,
    60_000,
  );
  await app.slack.launcher.idle();
}

beforeAll(async () => {
  standIn = await new SlackStandIn().start();
  app = await startOAuthApp(standIn, CLIENT);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await standIn?.close();
});

describe('the install in more than one workspace (OAuth)', () => {
  it('two workspaces install through the OAuth flow, and each is answered with its own bot token', async () => {
    for (const id of ['T0ALPHA', 'T0BETA']) {
      const done = await install(id);
      expect(done.status).toBe(200);
      expect(await done.text()).toContain('Thank you!');
    }
    const alpha = await tokenOf('T0ALPHA');
    const beta = await tokenOf('T0BETA');
    expect(standIn.teamOfToken(alpha)?.id).toBe('T0ALPHA');
    expect(standIn.teamOfToken(beta)?.id).toBe('T0BETA');
    expect(alpha).not.toBe(beta);
    // The code was exchanged once per workspace with the app's credentials, and each new token checked once.
    expect(standIn.callsOf('oauth.v2.access').map((c) => [c.args.client_id, c.error])).toEqual([
      [CLIENT.clientId, undefined],
      [CLIENT.clientId, undefined],
    ]);
    expect(standIn.callsOf('auth.test').map((c) => standIn.teamOfToken(c.token ?? '')?.id)).toEqual([
      'T0ALPHA',
      'T0BETA',
    ]);

    const acks = await Promise.all([
      app.command('/research-stock', 'NVDA', { channel: 'C0ALPHA', team: 'T0ALPHA', user: 'U0ANN' }),
      app.command('/research-stock', 'AAPL', { channel: 'C0BETA', team: 'T0BETA', user: 'U0BEN' }),
    ]);
    expect(acks.map((r) => [r.status, r.body])).toEqual([
      [200, ''],
      [200, ''],
    ]);
    await reportIn('C0ALPHA');
    await reportIn('C0BETA');

    // Every call about a workspace's channel — the parent, its progress edits, the sections, the chart's upload —
    // came with that workspace's token; none with another's, none without one.
    for (const [channel, token] of [
      ['C0ALPHA', alpha],
      ['C0BETA', beta],
    ] as const) {
      const calls = standIn.callsIn(channel);
      expect(calls.filter((c) => c.method === 'chat.update').length).toBeGreaterThan(0);
      expect(calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts).length).toBeGreaterThan(3);
      expect(new Set(calls.map((c) => c.authorization))).toEqual(new Set([`Bearer ${token}`]));
      // (The stand-in's channels are no assistant threads: setStatus is refused there, as Slack does, and the parent
      // is edited instead.)
      const refused = calls.filter((c) => c.error !== undefined && c.method !== 'assistant.threads.setStatus');
      expect(refused).toEqual([]);
    }
    // Nothing used the single-token mode's token, and every Web API call carried a token.
    const webApi = standIn.calls.filter(
      (c) => !c.method.startsWith('response_url') && c.method !== 'files.upload' && !c.method.startsWith('oauth'),
    );
    expect(webApi.filter((c) => c.token === undefined || c.token === standIn.token)).toEqual([]);
  }, 120_000);

  it('the Home tab of each workspace is published with its token and links to its own workspace', async () => {
    for (const [teamId, user] of [
      ['T0ALPHA', 'U0ANN'],
      ['T0BETA', 'U0BEN'],
    ] as const) {
      const opened = { type: 'app_home_opened', user, channel: 'D0BOTDM', tab: 'home', event_ts: '1.000200' };
      const res = await postSigned(app.appUrl, eventBody(opened, teamId), 'application/json', { secret: app.secret });
      expect(res.status).toBe(200);
      await waitFor(() => standIn.homeViews.has(user), `the Home tab of ${user}`);
      const published = standIn.callsOf('views.publish').find((c) => c.args.user_id === user);
      expect(standIn.teamOfToken(published?.token ?? '')?.id).toBe(teamId);
      // The permalink of the person's report is on their own workspace's domain (auth.test asked with its token).
      expect(JSON.stringify(standIn.homeViews.get(user))).toContain(
        `https://${teamId.toLowerCase()}.slack.com/archives/`,
      );
    }
  });

  it('an alert about a run in another workspace links its thread on that workspace’s domain', async () => {
    // The alert channel is in T0ALPHA; the run was in T0BETA (its record keeps the workspace).
    const [betaRun] = (await app.runtime.metrics.recent(50)).filter((r) => r.channel === 'C0BETA');
    if (!betaRun?.thread) throw new Error('no run recorded in C0BETA');
    expect(betaRun.team).toBe('T0BETA');
    await alertAbout(betaRun);
    const [posted] = standIn.callsIn('C0OPS').filter((c) => c.method === 'chat.postMessage');
    expect(posted?.token).toBe(await tokenOf('T0ALPHA'));
    const text = JSON.stringify(posted?.args.blocks);
    expect(text).toContain(`https://t0beta.slack.com/archives/C0BETA/p${betaRun.thread.replace('.', '')}`);
    expect(text).not.toContain('t0alpha.slack.com');
  });

  it('keeps no token in plain text in the installations file', async () => {
    const file = path.join(app.home, 'installations.sqlite');
    const bytes = fs.readFileSync(file);
    expect(bytes.length).toBeGreaterThan(0);
    for (const token of [await tokenOf('T0ALPHA'), await tokenOf('T0BETA')]) {
      expect(token).toMatch(/^xoxb-/);
      expect(bytes.includes(token)).toBe(false);
    }
    expect(bytes.includes('xoxb-')).toBe(false);
  });

  it('app_uninstalled deletes that workspace’s installation; its later commands go unanswered, the other’s do not', async () => {
    const beta = await tokenOf('T0BETA');
    standIn.uninstall('T0BETA');
    const res = await postSigned(app.appUrl, eventBody({ type: 'app_uninstalled' }, 'T0BETA'), 'application/json', {
      secret: app.secret,
    });
    expect(res.status).toBe(200);
    let gone = false;
    await waitFor(() => {
      void app.installations?.fetchInstallation(team('T0BETA')).then(
        () => undefined,
        (err: Error) => {
          gone = err.name === 'InstallationNotFoundError';
        },
      );
      return gone;
    }, 'the installation of T0BETA to be deleted');
    expect(await tokenOf('T0ALPHA')).toMatch(/^xoxb-T0ALPHA-/);

    const before = standIn.calls.length;
    const refused = await app.command('/research-stock', 'MSFT', { channel: 'C0BETA2', team: 'T0BETA' });
    expect([refused.status, refused.body]).toEqual([200, '']);
    const answered = await app.command('/research-stock', 'MSFT', { channel: 'C0ALPHA2', team: 'T0ALPHA' });
    expect([answered.status, answered.body]).toEqual([200, '']);
    await reportIn('C0ALPHA2');
    expect(standIn.callsIn('C0BETA2')).toEqual([]);
    const since = standIn.calls.slice(before);
    expect(since.filter((c) => c.token === beta)).toEqual([]);
    expect(since.filter((c) => c.method === 'response_url:C0BETA2')).toEqual([]);

    // An alert about a run there (or one whose workspace was not recorded) says plainly that it cannot be linked.
    const [betaRun] = (await app.runtime.metrics.recent(50)).filter((r) => r.channel === 'C0BETA');
    if (!betaRun) throw new Error('no run recorded in C0BETA');
    const { team: _, ...unrecorded } = betaRun;
    for (const run of [betaRun, unrecorded]) await alertAbout(run);
    const texts = standIn
      .callsIn('C0OPS')
      .slice(-2)
      .map((c) => JSON.stringify(c.args.blocks));
    expect(texts[0]).toContain(
      "The run's thread, in workspace T0BETA, cannot be linked from here (tickerdesk is not installed in team T0BETA",
    );
    expect(texts[1]).toContain("The run's thread cannot be linked from here (the workspace is not known");
    for (const text of texts) expect(text).not.toContain('/archives/C0BETA');
  }, 120_000);

  it('tokens_revoked for the bot deletes the installation; a revoked user token alone does not', async () => {
    expect((await install('T0GAMMA')).status).toBe(200);
    const gamma = await tokenOf('T0GAMMA');
    expect(standIn.teamOfToken(gamma)?.id).toBe('T0GAMMA');
    const revoked = (tokens: Record<string, string[]>) =>
      postSigned(app.appUrl, eventBody({ type: 'tokens_revoked', tokens }, 'T0GAMMA'), 'application/json', {
        secret: app.secret,
      });
    expect((await revoked({ oauth: ['U0INSTALLER'] })).status).toBe(200);
    expect((await revoked({ bot: ['U0BOTGAMMA'] })).status).toBe(200);
    let gone = false;
    await waitFor(() => {
      void app.installations?.fetchInstallation(team('T0GAMMA')).then(
        () => undefined,
        () => {
          gone = true;
        },
      );
      return gone;
    }, 'the installation of T0GAMMA to be deleted');
  });

  it('refuses a redirect that does not come back to the browser that started the install, and stores nothing', async () => {
    const exchanged = standIn.callsOf('oauth.v2.access').length;
    const res = await install('T0DELTA', { cookie: 'drop' });
    expect(res.status).toBe(400);
    expect(standIn.callsOf('oauth.v2.access')).toHaveLength(exchanged);
    await expect(app.installations?.fetchInstallation(team('T0DELTA'))).rejects.toThrow(
      /not installed in team T0DELTA/,
    );
  });
});
