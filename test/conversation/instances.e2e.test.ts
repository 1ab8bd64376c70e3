/**
 * Another instance answers in a thread: two Slack apps on their own runtimes and homes share one Redis
 * (`CACHE_URL`: tool cache and thread store); a report posted by the first is asked about on the second, which
 * answers from the thread's record with no server call for a cached figure, and fetches only what a comparison lacks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolCallMetric } from '../../src/tools/types.js';
import { redisSkipReason, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { messageBody, postSigned } from '../helpers/slack-request.js';
import { researchInSlack, type SlackOnRuntime, startSlackOnRuntime, waitFor } from '../helpers/slack-runtime.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';
import { renderBlocks } from '../helpers/slack-transcript.js';

const skip = redisSkipReason();
const CHANNEL = 'C0SHARED';

describe.skipIf(skip !== undefined)('follow-ups across instances (shared Redis)', () => {
  let redis: TestRedis;
  let standIn: SlackStandIn;
  let first: SlackOnRuntime;
  let second: SlackOnRuntime;

  beforeAll(async () => {
    redis = await startTestRedis({ fresh: true });
    standIn = await new SlackStandIn().start();
    first = await startSlackOnRuntime({ CACHE_URL: redis.url }, { standIn });
    second = await startSlackOnRuntime({ CACHE_URL: redis.url }, { standIn });
  }, 60_000);

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await standIn?.close();
    await redis?.stop();
  });

  it('a thread started on one instance is answered by the other', async () => {
    const parentTs = await researchInSlack(first, CHANNEL, 'NVDA');
    const metrics: ToolCallMetric[] = [];
    const off = second.runtime.gateway.onMetric((m) => metrics.push(m));
    // The answer is the reply that says where it came from (the report's own sections do not).
    const answer = () =>
      [...standIn.messages.values()].find(
        (m) => m.threadTs === parentTs && renderBlocks(m.blocks).includes("From the report's data"),
      );
    const res = await postSigned(
      second.appUrl,
      messageBody('what is the gross margin?', { channel: CHANNEL, threadTs: parentTs }),
      'application/json',
      { secret: second.secret },
    );
    expect(res.status).toBe(200);
    await waitFor(() => answer() !== undefined, 'the answer from the second instance');
    await second.slack.followUps?.idle();
    off();
    expect(renderBlocks(answer()?.blocks ?? []).replace(/\u200b/g, '')).toMatch(/Gross margin, FY2026: \*71\.1%\*/);
    expect(metrics).toEqual([]);
    const record = await second.conversation.service.thread({ channel: CHANNEL, threadTs: parentTs });
    expect(record?.exchanges.map((e) => e.question)).toEqual(['what is the gross margin?']);
  });
});
