/**
 * The app factory's edges: every missing setting reported at once, Socket Mode chosen by SLACK_APP_TOKEN, a
 * rejected token explained in plain words, and no token or secret in any log line (debug level included).
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { logger } from '../../src/log.js';
import { createSlackApp, describeStartError, slackConfigProblems } from '../../src/slack/app.js';
import { commandBody, postSigned } from '../helpers/slack-request.js';
import { SlackResearchDouble } from '../helpers/slack-research-double.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';
import { bundledConfig } from '../helpers/test-config.js';

const SECRET = 'factory-signing-secret-0123456789';
let standIn: SlackStandIn;

beforeAll(async () => {
  standIn = await new SlackStandIn().start();
});
afterAll(async () => {
  await standIn.close();
});

describe('createSlackApp', () => {
  it('lists every missing Slack setting at once', () => {
    const config = bundledConfig({});
    const problems = slackConfigProblems(config);
    expect(problems.join('\n')).toMatch(/SLACK_BOT_TOKEN/);
    expect(problems.join('\n')).toMatch(/SLACK_SIGNING_SECRET/);
    const research = new SlackResearchDouble();
    expect(() => createSlackApp({ config, research, metrics: research, logger })).toThrow(ConfigError);
    expect(
      slackConfigProblems(bundledConfig({ SLACK_BOT_TOKEN: 'xapp-1-wrong-kind', SLACK_APP_TOKEN: 'xoxb-wrong' })),
    ).toHaveLength(2);
  });

  it('uses Socket Mode when SLACK_APP_TOKEN is set, without contacting Slack before start()', () => {
    const config = bundledConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-3', SLACK_APP_TOKEN: 'xapp-1-A0-1-abc' });
    const research = new SlackResearchDouble();
    const slack = createSlackApp({ config, research, metrics: research, logger });
    expect(slack.mode).toBe('socket');
    expect(standIn.calls).toHaveLength(0);
  });

  it('explains a rejected bot token in plain words', async () => {
    const config = bundledConfig({
      SLACK_BOT_TOKEN: 'xoxb-revoked-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: standIn.apiUrl,
    });
    const research = new SlackResearchDouble();
    const slack = createSlackApp({ config, research, metrics: research, logger });
    const err = await slack.start(0).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeDefined();
    expect(describeStartError(err, config)).toMatch(
      /Slack rejected the token \(invalid_auth\)\. Check SLACK_BOT_TOKEN/,
    );
  });

  it('never writes the bot token or the signing secret to the logs, even at debug level', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const debugLogger = pino({ level: 'trace' }, sink);
    const config = bundledConfig({
      SLACK_BOT_TOKEN: standIn.token,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: standIn.apiUrl,
      LOG_LEVEL: 'trace',
    });
    const research = new SlackResearchDouble({ stepMs: 5 });
    const slack = createSlackApp({ config, research, metrics: research, logger: debugLogger });
    const { port } = await slack.start(0);
    const url = `http://127.0.0.1:${port}/slack/events`;
    await postSigned(
      url,
      commandBody({ command: '/research-stock', text: 'NVDA', responseUrl: standIn.responseUrl('a') }),
      'application/x-www-form-urlencoded',
      { secret: SECRET },
    );
    await new Promise((r) => setTimeout(r, 300));
    await slack.launcher.idle();
    await slack.stop(2000);
    const all = lines.join('');
    expect(lines.length).toBeGreaterThan(5);
    expect(all).toMatch(/http request headers/);
    expect(all).not.toContain(standIn.token);
    expect(all).not.toContain(SECRET);
  });
});
