/**
 * The Claude writer seen from Slack: the real runtime (MCP server on the bundled data, SQLite run log in a temp home)
 * with WRITER=claude against the Anthropic stand-in (an honest model streaming slowly), behind the real Bolt app, the
 * Web API answered by the Slack stand-in. A section's reply appears while Claude is still writing it and is edited as
 * the text grows; `/perf` then shows the run's tokens (cache reads included) and cost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/runtime.js';
import type { SlackApp } from '../../../src/slack/app.js';
import { type AnthropicStandIn, startAnthropicStandIn } from '../../helpers/anthropic-stand-in.js';
import { commandBody, postSigned } from '../../helpers/slack-request.js';
import { type SlackOnRuntime, startSlackOnRuntime, waitFor } from '../../helpers/slack-runtime.js';
import type { RecordedCall, SlackStandIn } from '../../helpers/slack-stand-in.js';
import { renderBlocks } from '../../helpers/slack-transcript.js';
import { honestReply, taskOf } from './helpers.js';

const FORM = 'application/x-www-form-urlencoded';

let anthropic: AnthropicStandIn;
let app: SlackOnRuntime;
let slackApi: SlackStandIn;
let runtime: Runtime;
let slack: SlackApp;
let appUrl: string;
let SECRET: string;

beforeAll(async () => {
  anthropic = await startAnthropicStandIn({
    // Sections stream a short chunk every 300 ms (about 5 s each; Slack makes a section live after 1.5 s), analysts answer at once.
    respond: (r) => {
      const reply = honestReply(r);
      if (reply.kind !== 'text' || !taskOf(r).section) return reply;
      return { ...reply, delayMs: 300 };
    },
  });
  app = await startSlackOnRuntime({
    WRITER: 'claude',
    ANTHROPIC_API_KEY: 'test-key',
    ANTHROPIC_BASE_URL: anthropic.url,
  });
  ({ standIn: slackApi, runtime, slack, appUrl, secret: SECRET } = app);
});

afterAll(async () => {
  await app?.close();
  await anthropic?.close();
});

describe('Claude writer in Slack', () => {
  it('shows each section while it is written, edits it as it grows, and /perf shows tokens and cost', async () => {
    expect(runtime.writerName).toBe('claude');
    const channel = 'C0CLAUDE';
    const res = await postSigned(
      appUrl,
      commandBody({
        command: '/research-stock',
        text: 'NVDA',
        channelId: channel,
        responseUrl: slackApi.responseUrl(channel),
      }),
      FORM,
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    let parentTs = '';
    await waitFor(
      () => {
        const parent = [...slackApi.messages.values()].find((m) => m.channel === channel && !m.threadTs);
        parentTs = parent?.ts ?? '';
        return parent !== undefined && renderBlocks(parent.blocks).includes('*Verdict:*');
      },
      'the final parent',
      30_000,
    );
    await slack.launcher.idle();

    const replies = [...slackApi.messages.values()].filter((m) => m.threadTs === parentTs);
    expect(replies).toHaveLength(6);
    const LAST = 'The picture is balanced across the analysts.'; // the stand-in model's last sentence
    const rendered = (c: RecordedCall) => renderBlocks((c.args.blocks as unknown[]) ?? []);
    const grew = replies.filter((reply) => {
      const title = renderBlocks(reply.blocks).split('\n')[0] ?? '';
      const posts = slackApi.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === parentTs);
      const edits = slackApi.callsOf('chat.update').filter((c) => c.args.ts === reply.ts);
      // Posted while Claude was still writing (without the last sentence), then edited as the text grew.
      const early = posts.some((c) => rendered(c).startsWith(title) && !rendered(c).includes(LAST));
      return early && edits.length > 0 && renderBlocks(reply.blocks).includes(LAST);
    });
    expect(grew.length).toBeGreaterThan(0);
    for (const r of replies.slice(1, 5)) expect(renderBlocks(r.blocks)).toContain('stands at');

    const cacheReads = anthropic.messages().filter((r) => (r.usage?.cache_read_input_tokens ?? 0) > 0);
    expect(cacheReads).toHaveLength(anthropic.messages().length - 1);
    await postSigned(
      appUrl,
      commandBody({ command: '/perf', text: '', responseUrl: slackApi.responseUrl('perf') }),
      FORM,
      { secret: SECRET },
    );
    await waitFor(() => slackApi.callsOf('response_url:perf').length > 0, 'the /perf answer');
    const perf = renderBlocks((slackApi.callsOf('response_url:perf')[0]?.args.blocks as unknown[]) ?? []);
    const model = perf.match(
      /Model use: (\d+) input, (\d+) output, (\d+) cache-write, (\d+) cache-read tokens · \$([\d.]+)/,
    );
    expect(model, perf).not.toBeNull();
    const [, input, output, write, read, cost] = model?.map(Number) ?? [];
    expect(input).toBeGreaterThan(0);
    expect(output).toBeGreaterThan(0);
    expect(read).toBeGreaterThan(write ?? 0);
    expect(cost).toBeGreaterThan(0);
  }, 60_000);
});
