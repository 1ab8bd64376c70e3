/**
 * The thread writer on its own, with a real Web API client against the stand-in: while a run is silent (a long
 * pause before the sections), the heartbeat keeps the parent changing (elapsed counts).
 */
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../src/log.js';
import { clientOptions } from '../../src/slack/app.js';
import { ThreadWriter } from '../../src/slack/thread-writer.js';
import { SlackResearchDouble } from '../helpers/slack-research-double.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';
import { renderBlocks } from '../helpers/slack-transcript.js';

let standIn: SlackStandIn;

beforeAll(async () => {
  standIn = await new SlackStandIn().start();
});
afterAll(async () => {
  await standIn.close();
});

describe('ThreadWriter', () => {
  it('keeps the parent changing during a silent stretch (heartbeat), then ends with the final parent', async () => {
    const client = new webApi.WebClient(standIn.token, clientOptions(standIn.apiUrl));
    const research = new SlackResearchDouble({ stepMs: 20, pauseBeforeSectionsMs: 3500 });
    const writer = await ThreadWriter.open({ client, channel: 'C0BEAT', ticker: 'NVDA', logger, heartbeatMs: 1000 });
    const handle = research.start('NVDA');
    const result = await writer.follow(handle);
    expect(result?.outcome).toBe('ok');

    const edits = standIn.callsOf('chat.update').filter((c) => c.args.ts === writer.ts);
    const silent = edits.filter((e) => /Write sections \(0\/6/.test(renderBlocks(e.args.blocks as unknown[])));
    expect(silent.length).toBeGreaterThanOrEqual(2);
    const elapsed = silent.map((e) => renderBlocks(e.args.blocks as unknown[]).match(/elapsed (\d+) s/)?.[1]);
    expect(new Set(elapsed).size).toBe(silent.length);
    for (let i = 1; i < edits.length; i++) {
      expect((edits[i]?.at ?? 0) - (edits[i - 1]?.at ?? 0)).toBeLessThanOrEqual(2500);
    }
    expect(renderBlocks(standIn.messages.get(writer.ts)?.blocks ?? [])).toContain('*Verdict:* Hold');
    expect(writer.replyTs).toHaveLength(6);
  });
});

describe('ThreadWriter with a streaming writer', () => {
  it('shows a slow section live in its reply (coalesced edits), then the finished text, replies still in order', async () => {
    const client = new webApi.WebClient(standIn.token, clientOptions(standIn.apiUrl));
    const research = new SlackResearchDouble({ stepMs: 10, sectionMs: 900, sectionChunks: 6 });
    const writer = await ThreadWriter.open({
      client,
      channel: 'C0LIVE',
      ticker: 'AMD',
      logger,
      liveSectionAfterMs: 200,
    });
    const result = await writer.follow(research.start('AMD'));
    expect(result?.sections).toHaveLength(6);

    const replies = [...standIn.messages.values()].filter((m) => m.threadTs === writer.ts);
    expect(replies).toHaveLength(6);
    expect(replies.map((r) => renderBlocks(r.blocks).match(/^\*(\d)\/6/)?.[1])).toEqual(['1', '2', '3', '4', '5', '6']);
    for (const r of replies) {
      expect(r.edits).toBeGreaterThanOrEqual(1);
      expect(renderBlocks(r.blocks)).not.toContain('writing…');
    }
    const news = replies[3] as (typeof replies)[number];
    for (let i = 1; i <= 40; i++) expect(renderBlocks(news.blocks)).toContain(`item ${i}:`);
    const newsEdits = standIn.callsOf('chat.update').filter((c) => c.args.ts === news.ts);
    expect(newsEdits.some((e) => renderBlocks(e.args.blocks as unknown[]).includes('writing…'))).toBe(true);
    for (let i = 1; i < newsEdits.length; i++) {
      expect((newsEdits[i]?.at ?? 0) - (newsEdits[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    }
  });
});

describe('ThreadWriter with SLACK_STREAMING', () => {
  it('streams slow sections (start, appends ≤ 1/s, stop), falls back to edits when Slack refuses a stream, ends with the finished text', async () => {
    const client = new webApi.WebClient(standIn.token, clientOptions(standIn.apiUrl));
    standIn.failNext(
      'chat.startStream',
      { kind: 'error', error: 'feature_not_enabled' },
      1,
      (a) => a.channel === 'C0STREAM',
    );
    const research = new SlackResearchDouble({ stepMs: 10, sectionMs: 1200, sectionChunks: 8 });
    const writer = await ThreadWriter.open({
      client,
      channel: 'C0STREAM',
      ticker: 'META',
      requester: 'U0ALICE',
      logger,
      liveSectionAfterMs: 200,
      stream: { teamId: 'T0TEST', userId: 'U0ALICE' },
      // The sections' own streams only (the run's plan stream is tested in progress-stream.test.ts).
      progressStream: false,
    });
    const result = await writer.follow(research.start('META'));
    expect(result?.sections).toHaveLength(6);

    const replies = [...standIn.messages.values()].filter((m) => m.threadTs === writer.ts);
    expect(replies.map((r) => renderBlocks(r.blocks).match(/^\*(\d)\/6/)?.[1])).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(replies[0]?.stream).toBeUndefined();
    for (const r of replies.slice(1)) {
      expect(r.stream).toBe('stopped');
      expect(r.text).not.toContain('writing…');
    }
    const news = replies[3] as (typeof replies)[number];
    for (let i = 1; i <= 40; i++) expect(renderBlocks(news.blocks)).toContain(`item ${i}:`);
    const appends = standIn.callsOf('chat.appendStream').filter((c) => c.args.ts === news.ts);
    expect(appends.length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < appends.length; i++) {
      expect((appends[i]?.at ?? 0) - (appends[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    }
    const start = standIn.callsOf('chat.startStream').find((c) => c.ts === news.ts);
    expect(start?.args.recipient_user_id).toBe('U0ALICE');
    const stop = standIn.callsOf('chat.stopStream').find((c) => c.args.ts === news.ts) as { at: number };
    const finalEdit = standIn
      .callsOf('chat.update')
      .filter((c) => c.args.ts === news.ts)
      .at(-1) as { at: number };
    expect(finalEdit.at).toBeGreaterThanOrEqual(stop.at);
  });
});
