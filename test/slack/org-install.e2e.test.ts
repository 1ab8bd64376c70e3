/**
 * An org-wide (Enterprise Grid) install, end to end on the real runtime and Bolt's OAuth: an org admin installs the
 * app for organisation E0GRID through the stand-in's consent page, approving workspaces T0GRIDA and T0GRIDB, and
 * `oauth.v2.access` answers as Slack documents for an org-wide app (`team: null`, `enterprise`,
 * `is_enterprise_install: true`). Bolt keeps the installation under the enterprise; then
 * - requests from an approved workspace (a command, the Home tab) are answered with the organisation's token;
 * - work the app starts itself — an alert, a watchlist digest, anything through `SlackApp.clients.forTeam` — finds a
 *   workspace's token through its organisation's org-wide install when it has none of its own (it used to look only
 *   for a workspace install and failed), with the workspace named on each call (`team_id`);
 * - a workspace the organisation did not approve gets a plain error, never the organisation's token;
 * - the organisation's list of workspaces (`auth.teams.list`) is asked once, not on every post.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlerter, DEFAULT_ALERT_LIMITS } from '../../src/ops/alerts.js';
import { digestPoster } from '../../src/slack/digest-poster.js';
import { SlackMethodBudget } from '../../src/slack/method-budget.js';
import { createMemoryClaims } from '../../src/tools/run-claims.js';
import { captureLogger } from '../helpers/log-capture.js';
import { installThroughOAuth, startOAuthApp } from '../helpers/oauth-install.js';
import { eventBody, postSigned } from '../helpers/slack-request.js';
import { type SlackOnRuntime, waitFor } from '../helpers/slack-runtime.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';
import { renderBlocks } from '../helpers/slack-transcript.js';

const CLIENT = { clientId: '3333.4444', clientSecret: 'client-secret-org-0123456789' };
const ORG = 'E0GRID';

let standIn: SlackStandIn;
let app: SlackOnRuntime;
let orgToken = '';

beforeAll(async () => {
  standIn = await new SlackStandIn().start();
  app = await startOAuthApp(standIn, CLIENT);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await standIn?.close();
});

describe('an org-wide (Enterprise Grid) install', () => {
  it('is installed through the OAuth flow and kept under its enterprise, not a workspace', async () => {
    const done = await installThroughOAuth(app.baseUrl, standIn, CLIENT.clientId, {
      enterprise: ORG,
      teams: ['T0GRIDA', 'T0GRIDB'],
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Thank you!');
    const stored = await app.installations?.fetchInstallation({
      teamId: undefined,
      enterpriseId: ORG,
      isEnterpriseInstall: true,
    });
    expect([stored?.isEnterpriseInstall, stored?.enterprise?.id, stored?.team]).toEqual([true, ORG, undefined]);
    // Bolt read the org's URL from auth.test, asked with the new token.
    expect(stored?.enterpriseUrl).toBe('https://e0grid.enterprise.slack.com/');
    orgToken = stored?.bot?.token ?? '';
    expect(standIn.teamOfToken(orgToken)?.orgTeams).toEqual(['T0GRIDA', 'T0GRIDB']);
    await expect(
      app.installations?.fetchInstallation({ teamId: 'T0GRIDA', enterpriseId: undefined, isEnterpriseInstall: false }),
    ).rejects.toThrow(/not installed in team T0GRIDA/);
  });

  it('answers a command and the Home tab from an approved workspace with the organisation’s token', async () => {
    const ack = await app.command('/research-stock', 'NVDA', {
      channel: 'C0GRIDA',
      team: 'T0GRIDA',
      user: 'W0ANN',
      orgWide: ORG,
    });
    expect([ack.status, ack.body]).toEqual([200, '']);
    await waitFor(
      () =>
        [...standIn.messages.values()].some(
          (m) => m.channel === 'C0GRIDA' && !m.threadTs && renderBlocks(m.blocks).includes('*Verdict:*'),
        ),
      'the report in C0GRIDA',
      60_000,
    );
    await app.slack.launcher.idle();
    expect(new Set(standIn.callsIn('C0GRIDA').map((c) => c.token))).toEqual(new Set([orgToken]));

    const opened = { type: 'app_home_opened', user: 'W0ANN', channel: 'D0BOTDM', tab: 'home', event_ts: '1.000300' };
    const res = await postSigned(app.appUrl, eventBody(opened, 'T0GRIDA', ORG), 'application/json', {
      secret: app.secret,
    });
    expect(res.status).toBe(200);
    await waitFor(() => standIn.homeViews.has('W0ANN'), 'the Home tab of W0ANN');
    expect(standIn.callsOf('views.publish').map((c) => c.token)).toEqual([orgToken]);
    // The report's permalink is on the organisation's domain, which opens any of its workspaces' channels.
    expect(JSON.stringify(standIn.homeViews.get('W0ANN'))).toContain('https://e0grid.enterprise.slack.com/archives/');
  }, 120_000);

  it('finds an approved workspace’s token for the work the app starts itself: an alert, a digest', async () => {
    const before = standIn.calls.length;
    const alerter = createAlerter({
      limits: { ...DEFAULT_ALERT_LIMITS, runMs: 1 },
      logger: captureLogger().logger,
      claims: createMemoryClaims(),
      channel: 'C0GRIDOPS',
      client: () => app.slack.clients.forTeam('T0GRIDB'),
    });
    const [record] = await app.runtime.metrics.recent(1);
    if (!record) throw new Error('no run recorded');
    const alerts = await alerter.evaluate({ ...record, durationMs: 5000 }, []);
    expect(alerts.map((a) => a.kind)).toContain('slow_run');

    const post = digestPoster(app.slack.clients.forTeam, new SlackMethodBudget({ share: 100 }));
    const posted = await post(
      { channel: 'C0GRIDWATCH', session: '2026-12-07', entries: [] },
      { channel: 'C0GRIDWATCH', teamId: 'T0GRIDA', tickers: ['NVDA'], updatedAt: '', updatedBy: 'W0ANN' },
    );
    expect(posted.ts).toBeDefined();

    const sent = standIn.calls.slice(before).filter((c) => c.method === 'chat.postMessage');
    expect(sent.map((c) => [c.args.channel, c.token === orgToken, c.args.team_id, c.error])).toEqual([
      ['C0GRIDOPS', true, 'T0GRIDB', undefined],
      ['C0GRIDWATCH', true, 'T0GRIDA', undefined],
    ]);
    // The organisation's workspaces were listed once for both posts (and kept for the next ones).
    expect(standIn.callsOf('auth.teams.list').map((c) => c.token === orgToken)).toEqual([true]);
    await app.slack.clients.forTeam('T0GRIDA');
    expect(standIn.callsOf('auth.teams.list')).toHaveLength(1);
  });

  it('a workspace the organisation did not approve gets a plain error, never the organisation’s token', async () => {
    await expect(app.slack.clients.forTeam('T0OUTSIDE')).rejects.toThrow(
      /not installed in team T0OUTSIDE .*, nor org-wide in an organisation approved for it/,
    );
    // Not approved when last listed: the list was asked again (an admin may have approved it since).
    expect(standIn.callsOf('auth.teams.list')).toHaveLength(2);
  });
});
