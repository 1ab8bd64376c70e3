/**
 * Which Slack credentials are missing or of the wrong kind, apart from the app factory so that `main.ts` can check
 * them before it loads Bolt (the largest part of a start).
 */
import type { Config } from '../config.js';

/** The Slack credentials {@link slackConfigProblems} checks (`Config['slack']` fits); `oauth` set → OAuth mode. */
export type SlackCredentials = Pick<Config['slack'], 'botToken' | 'signingSecret' | 'appToken'> & {
  oauth?: { clientId: string } | undefined;
};

/**
 * The Slack credentials read from raw environment variables (trimmed; blank = unset), for when `loadConfig()`
 * refused other settings: `main.ts` then lists the Slack problems in the same message instead of a second round.
 */
export function slackCredentialsFromEnv(env: NodeJS.ProcessEnv): SlackCredentials {
  const read = (name: string) => env[name]?.trim() || undefined;
  const clientId = read('SLACK_CLIENT_ID');
  return {
    botToken: read('SLACK_BOT_TOKEN'),
    signingSecret: read('SLACK_SIGNING_SECRET'),
    appToken: read('SLACK_APP_TOKEN'),
    ...(clientId ? { oauth: { clientId } } : {}),
  };
}

/**
 * What is missing for the Slack app to start: `SLACK_BOT_TOKEN`, and `SLACK_SIGNING_SECRET` in HTTP mode. In OAuth
 * mode (`SLACK_CLIENT_ID` …) there is no single bot token (each workspace's comes from its installation) and no
 * Socket Mode (Slack sends the installing browser to the HTTP app's `/slack/oauth_redirect`).
 */
export function slackConfigProblems(config: { slack: SlackCredentials }): string[] {
  const problems: string[] = [];
  if (config.slack.oauth) {
    if (config.slack.botToken)
      problems.push(
        'SLACK_BOT_TOKEN: leave it unset with SLACK_CLIENT_ID: in OAuth mode each workspace is answered with the bot token of its own installation (/slack/install)',
      );
    if (config.slack.appToken)
      problems.push(
        'SLACK_APP_TOKEN: leave it unset with SLACK_CLIENT_ID: the OAuth install needs the HTTP app (Slack sends the installing browser to /slack/oauth_redirect on PORT)',
      );
    if (!config.slack.signingSecret)
      problems.push('SLACK_SIGNING_SECRET: required in HTTP mode (Basic Information → Signing Secret)');
    return problems;
  }
  if (!config.slack.botToken) {
    problems.push(
      'SLACK_BOT_TOKEN: required (OAuth & Permissions → Bot User OAuth Token, starts with xoxb-), or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET to install in many workspaces',
    );
  } else if (!config.slack.botToken.startsWith('xoxb-')) {
    problems.push('SLACK_BOT_TOKEN: must be a bot token starting with xoxb- (not a user or app token)');
  }
  if (config.slack.appToken && !config.slack.appToken.startsWith('xapp-')) {
    problems.push(
      'SLACK_APP_TOKEN: must be an app-level token starting with xapp- (Basic Information → App-Level Tokens)',
    );
  }
  if (!config.slack.appToken && !config.slack.signingSecret) {
    problems.push(
      'SLACK_SIGNING_SECRET: required in HTTP mode (Basic Information → Signing Secret); or set SLACK_APP_TOKEN for Socket Mode',
    );
  }
  return problems;
}
