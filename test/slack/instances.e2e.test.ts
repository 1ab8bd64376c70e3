/**
 * Two instances of the Slack app behind one load balancer, sharing run claims on a real Redis (`CACHE_URL`'s
 * store): a request Slack redelivers to the other instance starts no second run, and the same ticker asked in the
 * same channel on the other instance points the person to the running thread instead of starting again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../src/log.js';
import { createSlackApp, type SlackApp } from '../../src/slack/app.js';
import { type ClaimStore, createRedisClaims } from '../../src/tools/run-claims.js';
import { redisSkipReason, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { commandBody, postSigned } from '../helpers/slack-request.js';
import { SlackResearchDouble } from '../helpers/slack-research-double.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';
import { bundledConfig } from '../helpers/test-config.js';

const SECRET = 'instances-signing-secret-0123456789';
const FORM = 'application/x-www-form-urlencoded';
const skip = redisSkipReason();
if (skip) console.warn(skip);

interface Instance {
  slack: SlackApp;
  research: SlackResearchDouble;
  claims: ClaimStore;
  url: string;
}

let standIn: SlackStandIn;
let redis: TestRedis;
let a: Instance;
let b: Instance;

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function instance(): Promise<Instance> {
  const config = bundledConfig({
    SLACK_BOT_TOKEN: standIn.token,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: standIn.apiUrl,
    CACHE_URL: redis.url,
    PORT: '0',
  });
  const research = new SlackResearchDouble({ stepMs: 60 });
  const claims = createRedisClaims(redis.url, { logger });
  const slack = createSlackApp({ config, research, metrics: research, logger, claims });
  const { port } = await slack.start(0);
  return { slack, research, claims, url: `http://127.0.0.1:${port}/slack/events` };
}

describe.skipIf(skip !== undefined)('two instances sharing run claims on Redis', () => {
  beforeAll(async () => {
    standIn = await new SlackStandIn().start();
    redis = await startTestRedis({ fresh: true });
    a = await instance();
    b = await instance();
  });

  afterAll(async () => {
    for (const i of [a, b]) {
      await i?.slack.stop(2000);
      await i?.claims.close();
    }
    await redis?.stop();
    await standIn?.close();
  });

  it('a request redelivered to the other instance starts no second run', async () => {
    const body = commandBody({
      command: '/research-stock',
      text: 'NVDA',
      channelId: 'C0LB1',
      triggerId: 'trigger-redelivered-1',
      responseUrl: standIn.responseUrl('lb1'),
    });
    await postSigned(a.url, body, FORM, { secret: SECRET });
    await waitFor(() => a.research.starts.length === 1, 'the run on instance A');
    const res = await postSigned(b.url, body, FORM, { secret: SECRET, retryNum: 1 });
    expect(res.status).toBe(200);
    await waitFor(() => a.research.records.length === 1, 'the run on A to finish');
    await Promise.all([a.slack.launcher.idle(), b.slack.launcher.idle()]);
    expect(b.research.starts).toHaveLength(0);
    const parents = standIn.callsOf('chat.postMessage').filter((c) => c.args.channel === 'C0LB1' && !c.args.thread_ts);
    expect(parents).toHaveLength(1);
  });

  it('the same ticker in the same channel on the other instance points to the running thread', async () => {
    const ask = (url: string, trigger: string, tag: string) =>
      postSigned(
        url,
        commandBody({
          command: '/research-stock',
          text: 'AAPL',
          channelId: 'C0LB2',
          userId: tag === 'first' ? 'U0FIRST' : 'U0SECOND',
          triggerId: trigger,
          responseUrl: standIn.responseUrl(tag),
        }),
        FORM,
        { secret: SECRET },
      );
    await ask(a.url, 'trigger-first', 'first');
    await waitFor(() => a.research.starts.length === 2, 'the AAPL run on A');
    await ask(b.url, 'trigger-second', 'second');
    await waitFor(() => standIn.callsOf('response_url:second').length > 0, 'the private note on B');
    const note = standIn.callsOf('response_url:second')[0];
    expect(note?.args.response_type).toBe('ephemeral');
    expect(String(note?.args.text)).toContain('AAPL is already being researched');
    expect(b.research.starts).toHaveLength(0);
    await waitFor(() => a.research.records.length === 2, 'the AAPL run on A to finish');
    await a.slack.launcher.idle();

    // Once the run is over, its claim is released: the ticker can be asked again, on either instance.
    await ask(b.url, 'trigger-third', 'third');
    await waitFor(() => b.research.starts.length === 1, 'a new AAPL run on B');
    await waitFor(() => b.research.records.length === 1, 'the run on B to finish');
    await b.slack.launcher.idle();
  });
});
