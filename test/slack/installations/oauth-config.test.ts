/**
 * The OAuth mode's settings: all three of SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET, and a
 * 32-byte SLACK_TOKEN_ENCRYPTION_KEY, or a plain list of what is missing; a single-token setup is left as it was;
 * OAuth mode takes no SLACK_BOT_TOKEN and no Socket Mode.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { ConfigError } from '../../../src/errors.js';
import { slackConfigProblems, slackCredentialsFromEnv } from '../../../src/slack/credentials.js';

const OAUTH = { SLACK_CLIENT_ID: '111.222', SLACK_CLIENT_SECRET: 'client-secret', SLACK_STATE_SECRET: 'state-secret' };

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('OAuth settings', () => {
  it('are off by default: the single SLACK_BOT_TOKEN mode', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' });
    expect(config.slack.oauth).toBeUndefined();
    expect(slackConfigProblems(config)).toEqual([]);
  });

  it('take the key as base64 or hex, 32 bytes, and keep the installations in the home folder', () => {
    const key = randomBytes(32);
    for (const given of [key.toString('base64'), key.toString('hex'), key.toString('base64url')]) {
      const config = loadConfig({ ...OAUTH, SLACK_TOKEN_ENCRYPTION_KEY: given, TICKERDESK_HOME: '/srv/td' });
      expect(config.slack.oauth).toEqual({
        clientId: '111.222',
        clientSecret: 'client-secret',
        stateSecret: 'state-secret',
        tokenKey: key,
      });
      expect(config.installationsPath).toBe('/srv/td/installations.sqlite');
    }
  });

  it('refuse OAuth mode without the encryption key, or with one that is not 32 bytes, saying how to make one', () => {
    expect(problems(OAUTH)).toEqual([
      'SLACK_TOKEN_ENCRYPTION_KEY: required in OAuth mode: each workspace’s bot token is stored encrypted with it. Generate one with `openssl rand -base64 32`',
    ]);
    expect(problems({ ...OAUTH, SLACK_TOKEN_ENCRYPTION_KEY: randomBytes(16).toString('base64') })).toEqual([
      'SLACK_TOKEN_ENCRYPTION_KEY: must be 32 random bytes as base64 (44 characters) or hex (64 characters); generate one with `openssl rand -base64 32`',
    ]);
    expect(problems({ ...OAUTH, SLACK_TOKEN_ENCRYPTION_KEY: 'correct horse battery staple' })).toHaveLength(1);
  });

  it('name each missing one of the three, with the others’ problems', () => {
    const listed = problems({ SLACK_CLIENT_ID: '111.222', PORT: 'abc' });
    expect(listed).toContain('PORT: must be a whole number (got "abc")');
    expect(listed.join('\n')).toMatch(/^SLACK_CLIENT_SECRET: required with SLACK_CLIENT_ID/m);
    expect(listed.join('\n')).toMatch(/^SLACK_STATE_SECRET: required with SLACK_CLIENT_ID/m);
    expect(listed.join('\n')).toMatch(/^SLACK_TOKEN_ENCRYPTION_KEY: required/m);
  });

  it('want the alert channel’s workspace in OAuth mode', () => {
    const key = randomBytes(32).toString('base64');
    expect(problems({ ...OAUTH, SLACK_TOKEN_ENCRYPTION_KEY: key, ALERT_CHANNEL: 'C0ALERTS' })).toEqual([
      'ALERT_TEAM_ID: required with ALERT_CHANNEL in OAuth mode: the team id (T…) of the alert channel’s workspace',
    ]);
    const config = loadConfig({
      ...OAUTH,
      SLACK_TOKEN_ENCRYPTION_KEY: key,
      ALERT_CHANNEL: 'C0ALERTS',
      ALERT_TEAM_ID: 'T0OPS',
    });
    expect(config.alerts.team).toBe('T0OPS');
  });

  it('OAuth mode takes neither a single bot token nor Socket Mode, but needs the signing secret', () => {
    const config = loadConfig({
      ...OAUTH,
      SLACK_TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1',
    });
    const listed = slackConfigProblems(config);
    expect(listed.map((p) => p.split(':')[0])).toEqual(['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET']);
    expect(slackConfigProblems({ slack: slackCredentialsFromEnv({ ...OAUTH, SLACK_SIGNING_SECRET: 's' }) })).toEqual(
      [],
    );
  });
});
