/**
 * A browser going through the app's OAuth install on the Slack stand-in: the app's install path, Slack's consent page
 * (where the person picks a workspace, or an org admin the organisation and the workspaces approved), and the
 * redirect back to the app with the code and the state. Checks each step's redirect on the way.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { BOT_SCOPES, INSTALL_PATH, REDIRECT_PATH } from '../../src/slack/installations/oauth.js';
import { type SlackOnRuntime, startSlackOnRuntime } from './slack-runtime.js';
import type { SlackStandIn } from './slack-stand-in.js';

/** What is chosen on the consent page: one workspace, or an organisation (org-wide) and its approved workspaces. */
export type ConsentChoice = { team: string } | { enterprise: string; teams: string[] };

/**
 * Install the app at `baseUrl` (`http://127.0.0.1:PORT`, client id `clientId`) choosing `choice`; `cookie: 'drop'`
 * comes back without the browser's state cookie. Resolves with the redirect's answer (200 "Thank you!" when stored).
 */
export async function installThroughOAuth(
  baseUrl: string,
  standIn: SlackStandIn,
  clientId: string,
  choice: ConsentChoice,
  options: { cookie?: 'keep' | 'drop' } = {},
): Promise<Response> {
  const start = await fetch(`${baseUrl}${INSTALL_PATH}`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const consent = new URL(start.headers.get('location') ?? '');
  expect(`${consent.origin}${consent.pathname}`).toBe(`${standIn.url}/oauth/v2/authorize`);
  expect(consent.searchParams.get('client_id')).toBe(clientId);
  expect(consent.searchParams.get('scope')).toBe(BOT_SCOPES.join(','));
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(cookie).toMatch(/^slack-app-oauth-state=.+/);
  if ('team' in choice) consent.searchParams.set('team', choice.team);
  else {
    consent.searchParams.set('enterprise', choice.enterprise);
    consent.searchParams.set('teams', choice.teams.join(','));
  }
  const chosen = await fetch(consent, { redirect: 'manual' });
  expect(chosen.status).toBe(302);
  const back = new URL(chosen.headers.get('location') ?? '');
  expect(back.pathname).toBe(REDIRECT_PATH);
  expect(back.searchParams.get('state')).toBe(consent.searchParams.get('state'));
  return fetch(back, { redirect: 'manual', headers: options.cookie === 'drop' ? {} : { cookie } });
}

/** The app's credentials as registered with Slack (Basic Information → App Credentials). */
export interface OAuthCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * Start the Slack app on the real runtime in OAuth mode (no bot token; the install's credentials, a state secret and
 * a fresh token encryption key) on `standIn`, and register it there for the install with its redirect URL.
 */
export async function startOAuthApp(standIn: SlackStandIn, credentials: OAuthCredentials): Promise<SlackOnRuntime> {
  const app = await startSlackOnRuntime(
    {
      SLACK_BOT_TOKEN: '', // blank: unset, as in an OAuth deployment
      SLACK_CLIENT_ID: credentials.clientId,
      SLACK_CLIENT_SECRET: credentials.clientSecret,
      SLACK_STATE_SECRET: `state-secret-${randomBytes(12).toString('hex')}`,
      SLACK_TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    },
    { standIn },
  );
  standIn.registerOAuthApp({ ...credentials, redirectUrl: `${app.baseUrl}${REDIRECT_PATH}` });
  return app;
}
