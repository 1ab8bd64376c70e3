/**
 * Socket Mode (how `npm run dev` runs): the real Bolt app with SLACK_APP_TOKEN opens a connection through
 * `apps.connections.open`, gets `hello` over a WebSocket from the local stand-in, acknowledges envelopes on the
 * socket (an ephemeral note in the ack payload for bad input), and posts the report through the Web API stand-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../src/log.js';
import { createSlackApp, describeStartError, type SlackApp } from '../../src/slack/app.js';
import { SlackResearchDouble } from '../helpers/slack-research-double.js';
import { SlackSocketStandIn } from '../helpers/slack-socket-stand-in.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';
import { renderBlocks } from '../helpers/slack-transcript.js';
import { bundledConfig } from '../helpers/test-config.js';

let standIn: SlackStandIn;
let socket: SlackSocketStandIn;
let research: SlackResearchDouble;
let slack: SlackApp;

function commandPayload(text: string, channel: string): Record<string, unknown> {
  return {
    token: 'deprecated',
    team_id: 'T0TEST',
    team_domain: 'tickerdesk-test',
    channel_id: channel,
    channel_name: 'dev',
    user_id: 'U0DEV',
    user_name: 'dev',
    command: '/research-stock',
    text,
    api_app_id: 'A0TICKER',
    is_enterprise_install: 'false',
    response_url: standIn.responseUrl('socket'),
    trigger_id: `${Date.now()}.1.${Math.random().toString(16).slice(2)}`,
  };
}

beforeAll(async () => {
  standIn = await new SlackStandIn().start();
  socket = await new SlackSocketStandIn().start();
  standIn.socketUrl = socket.url;
  research = new SlackResearchDouble({ stepMs: 40 });
  const config = bundledConfig({
    SLACK_BOT_TOKEN: standIn.token,
    SLACK_APP_TOKEN: standIn.appToken,
    SLACK_API_URL: standIn.apiUrl,
  });
  slack = createSlackApp({ config, research, metrics: research, logger });
  expect(slack.mode).toBe('socket');
  await slack.start();
  await socket.connected();
});

afterAll(async () => {
  await slack?.stop(3000);
  await socket?.close();
  await standIn?.close();
});

describe('Socket Mode', () => {
  it('acks /research-stock on the socket, then posts the report in a thread', async () => {
    const envelope = socket.send('slash_commands', commandPayload('NVDA', 'C0DEV'));
    const ack = await socket.ackOf(envelope);
    expect(ack.payload).toEqual({});
    await new Promise<void>((resolve, reject) => {
      const until = Date.now() + 15_000;
      const poll = () => {
        if (research.records.length >= 1) resolve();
        else if (Date.now() > until) reject(new Error('run did not finish'));
        else setTimeout(poll, 20);
      };
      poll();
    });
    await slack.launcher.idle();
    const parent = [...standIn.messages.values()].find((m) => m.channel === 'C0DEV' && !m.threadTs);
    expect(parent).toBeDefined();
    expect(renderBlocks(parent?.blocks ?? [])).toContain('*Verdict:* Hold');
    expect([...standIn.messages.values()].filter((m) => m.threadTs === parent?.ts)).toHaveLength(6);
    const firstPost = standIn.callsOf('chat.postMessage')[0];
    expect(firstPost?.at).toBeGreaterThanOrEqual(ack.at);
  });

  it('answers a bad ticker in the ack payload, ephemerally, and posts nothing', async () => {
    const posts = standIn.callsOf('chat.postMessage').length;
    const envelope = socket.send('slash_commands', commandPayload('two tickers', 'C0DEV2'));
    const ack = await socket.ackOf(envelope);
    expect(ack.payload.response_type).toBe('ephemeral');
    expect(String(ack.payload.text)).toMatch(/One ticker at a time/);
    await new Promise((r) => setTimeout(r, 200));
    expect(standIn.callsOf('chat.postMessage')).toHaveLength(posts);
  });
});

describe('Socket Mode with an app token that cannot open connections', () => {
  for (const error of ['missing_scope', 'not_allowed_token_type']) {
    it(`stops at the first ${error} from apps.connections.open with one plain line`, async () => {
      const api = await new SlackStandIn().start();
      api.connectionsError = error;
      const config = bundledConfig({
        SLACK_BOT_TOKEN: api.token,
        SLACK_APP_TOKEN: api.appToken,
        SLACK_API_URL: api.apiUrl,
      });
      const app = createSlackApp({ config, research: new SlackResearchDouble(), metrics: research, logger });
      try {
        const failure = await app.start().then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(failure).toBeDefined();
        const line = describeStartError(failure, config);
        expect(line).toBe(
          `Slack refused the app-level token for Socket Mode (${error}). SLACK_APP_TOKEN must be an xapp- token with the connections:write scope (Basic Information → App-Level Tokens).`,
        );
        expect(api.callsOf('apps.connections.open')).toHaveLength(1);
      } finally {
        await app.app.stop().catch(() => undefined);
        await api.close();
      }
    });
  }
});
