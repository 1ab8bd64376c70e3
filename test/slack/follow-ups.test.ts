/**
 * The Slack side of a follow-up answer against the Web API stand-in: a streamed answer (an LLM answerer's text
 * deltas) is shown in coalesced edits of the placeholder and ends as the final answer; a question in a thread the
 * store does not know posts nothing; a redelivered event is answered once.
 */
import { webApi } from '@slack/bolt';
import Keyv from 'keyv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationService } from '../../src/conversation/service.js';
import { KeyvThreadStore } from '../../src/conversation/thread-store.js';
import type { FollowUpAnswerer, ThreadRecord } from '../../src/conversation/types.js';
import { logger } from '../../src/log.js';
import { clientOptions } from '../../src/slack/app.js';
import { FollowUps } from '../../src/slack/follow-ups.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';
import { renderBlocks } from '../helpers/slack-transcript.js';

let standIn: SlackStandIn;
beforeAll(async () => {
  standIn = await new SlackStandIn().start();
});
afterAll(async () => {
  await standIn.close();
});

const KEY = { channel: 'C0STREAM', threadTs: '1700000000.000100' };

const finished: ThreadRecord = {
  version: 1,
  key: KEY,
  runId: 'run-1',
  ticker: 'NVDA',
  requester: 'U0ALICE',
  startedAt: '2026-12-07T20:00:00.000Z',
  status: 'finished',
  findings: [],
  sections: [],
  exchanges: [],
};

/** An answerer that streams two deltas, each released by the test. */
function streamingAnswerer() {
  const gates: (() => void)[] = [];
  const wait = () => new Promise<void>((resolve) => gates.push(resolve));
  const answerer: FollowUpAnswerer = {
    name: 'claude',
    async answer(_q, _c, options) {
      await wait();
      options.onText?.('NVIDIA grew revenue ');
      await wait();
      options.onText?.('65.5% in FY2026.');
      await wait();
      return {
        text: 'NVIDIA grew revenue 65.5% in FY2026.',
        figures: [],
        toolCalls: [{ tool: 'tickerdesk/get_company_financials', args: { ticker: 'NVDA' }, cache: 'hit', ms: 2 }],
        answerer: 'claude',
        intent: 'figure',
      };
    },
  };
  return { answerer, release: () => gates.shift()?.(), pending: () => gates.length };
}

async function desk(answerer: FollowUpAnswerer) {
  const store = new KeyvThreadStore(new Keyv(), { logger, label: 'memory' });
  await store.set(finished);
  const conversation = new ConversationService({
    store,
    answerer,
    data: { bundle: async () => Promise.reject(new Error('unused')), knownTickers: async () => undefined },
    logger,
  });
  return new FollowUps({ conversation, logger, minEditIntervalMs: 0 });
}

const inThread = () =>
  [...standIn.messages.values()].filter((m) => m.channel === KEY.channel && m.threadTs === KEY.threadTs);

describe('FollowUps (Slack side)', () => {
  it('streams an answer into the placeholder with edits, then shows the final answer', async () => {
    const client = new webApi.WebClient(standIn.token, clientOptions(standIn.apiUrl));
    const { answerer, release, pending } = streamingAnswerer();
    const followUps = await desk(answerer);
    const done = followUps.answer(
      { ...KEY, ts: '1700000001.000100', user: 'U0BOB', text: 'revenue growth?', eventId: 'EvSTREAM1' },
      client,
    );
    await expect.poll(() => inThread().length).toBe(1);
    const placeholder = inThread()[0];
    expect(renderBlocks(placeholder?.blocks ?? [])).toContain('Looking into it');
    await expect.poll(pending).toBe(1);
    release();
    await expect.poll(pending).toBe(1);
    await expect.poll(() => renderBlocks(placeholder?.blocks ?? [])).toContain('NVIDIA grew revenue');
    expect(renderBlocks(placeholder?.blocks ?? [])).toContain('Looking into it');
    release();
    await expect.poll(pending).toBe(1);
    release();
    await done;
    const final = renderBlocks(inThread()[0]?.blocks ?? []);
    expect(final).toContain('NVIDIA grew revenue 65.5% in FY2026.');
    expect(final).toContain('1 tool call (1 cached) · Claude');
    expect(final).not.toContain('Looking into it');
    expect(inThread()).toHaveLength(1);
    const edits = standIn.callsOf('chat.update').filter((c) => c.args.ts === placeholder?.ts);
    expect(edits.length).toBeGreaterThanOrEqual(2);
  });

  it('posts nothing for a thread it does not keep, and answers a redelivered event once', async () => {
    const client = new webApi.WebClient(standIn.token, clientOptions(standIn.apiUrl));
    const answered: string[] = [];
    const followUps = await desk({
      name: 'offline',
      answer: async (q) => {
        answered.push(q.id);
        return { text: 'An answer.', figures: [], toolCalls: [], answerer: 'offline', intent: 'figure' };
      },
    });
    expect(await followUps.isReportThread({ channel: KEY.channel, threadTs: '1.2' })).toBe(false);
    expect(await followUps.isReportThread(KEY)).toBe(true);
    const message = { ...KEY, ts: '1700000002.000100', user: 'U0BOB', text: 'eps?', eventId: 'EvTWICE' };
    await Promise.all([followUps.answer(message, client), followUps.answer(message, client)]);
    expect(answered).toEqual(['EvTWICE']);
  });
});
