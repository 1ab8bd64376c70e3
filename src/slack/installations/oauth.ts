/**
 * Bolt's built-in OAuth for the install in many workspaces (`SLACK_CLIENT_ID`, `SLACK_CLIENT_SECRET`,
 * `SLACK_STATE_SECRET`): `GET /slack/install` sends the browser to Slack's consent page with a signed `state` (also
 * kept in a cookie, so that the redirect is checked to come back to the same browser); Slack sends it back to
 * `GET /slack/oauth_redirect?code=…&state=…`, where the code is exchanged (`oauth.v2.access`) for the workspace's bot
 * token and the installation is stored. Each request is then authorised from the store: Bolt hands every listener
 * a client with the bot token of the workspace the request came from.
 */
import type { AppOptions, InstallationStore } from '@slack/bolt';
import type { SlackOAuthConfig } from '../../config.js';
import { clientOptions } from '../client-options.js';

/** Where the install starts (a link to share: "Add to Slack"). */
export const INSTALL_PATH = '/slack/install';
/** Where Slack sends the installing browser back; the app's redirect URL is `https://YOUR-HOST` + this. */
export const REDIRECT_PATH = '/slack/oauth_redirect';

/** The bot scopes the install asks for: those of `manifest.yml` (`oauth_config.scopes.bot`), each explained there. */
export const BOT_SCOPES: readonly string[] = [
  'commands',
  'chat:write',
  'app_mentions:read',
  'channels:history',
  'groups:history',
  'im:history',
  'files:write',
  'usergroups:read',
];

/**
 * Slack's consent page beside the Web API: `https://slack.com/oauth/v2/authorize` for `https://slack.com/api/`, and
 * the same path on `SLACK_API_URL`'s host when it is set (a proxy, the tests' stand-in).
 */
export function authorizationUrl(apiUrl: string | undefined): string {
  const base = apiUrl ? (apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`) : 'https://slack.com/api/';
  return new URL('../oauth/v2/authorize', base).toString();
}

/** The options of Bolt's `App` that turn on its OAuth: credentials, scopes, the store, and the install's paths. */
export type OAuthAppOptions = Pick<
  AppOptions,
  'clientId' | 'clientSecret' | 'stateSecret' | 'scopes' | 'installationStore' | 'installerOptions'
>;

/**
 * Bolt's OAuth options for `oauth`, keeping installations in `store`. The install path redirects straight to
 * Slack's consent page (no intermediate "Add to Slack" page); the state is verified against the browser's cookie.
 */
export function oauthAppOptions(
  oauth: SlackOAuthConfig,
  store: InstallationStore,
  apiUrl: string | undefined,
): OAuthAppOptions {
  return {
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    scopes: [...BOT_SCOPES],
    installationStore: store,
    installerOptions: {
      installPath: INSTALL_PATH,
      redirectUriPath: REDIRECT_PATH,
      directInstall: true,
      stateVerification: true,
      authorizationUrl: authorizationUrl(apiUrl),
      // The code exchange (oauth.v2.access) and the new token's auth.test go to SLACK_API_URL when it is set.
      clientOptions: clientOptions(apiUrl),
    },
  };
}
