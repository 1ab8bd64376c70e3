/**
 * A workspace that does not draw the newer blocks: Slack answers `invalid_blocks` for a message with a `table`
 * (or `markdown`) block, and the thread writer posts that message's mrkdwn rendering instead — the table as
 * aligned text — so no section is lost and the others keep their native blocks.
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

describe('Section replies where Slack refuses table blocks', () => {
  it('posts the refused message in mrkdwn (table as aligned text), the rest as markdown blocks', async () => {
    standIn.refusedBlockTypes.add('table');
    const client = new webApi.WebClient(standIn.token, clientOptions(standIn.apiUrl));
    const research = new SlackResearchDouble({ stepMs: 5 });
    const writer = await ThreadWriter.open({ client, channel: 'C0OLDTABLE', ticker: 'NVDA', logger, chart: false });
    const result = await writer.follow(research.start('NVDA'));
    expect(result?.outcome).toBe('ok');

    const refused = standIn.callsOf('chat.postMessage').filter((c) => c.error === 'invalid_blocks');
    expect(refused).toHaveLength(1);
    const replies = [...standIn.messages.values()].filter((m) => m.threadTs === writer.ts);
    expect(replies.map((r) => renderBlocks(r.blocks).match(/^\*(\d)\/6/)?.[1])).toEqual(['1', '2', '3', '4', '5', '6']);
    const fundamentals = (replies[1]?.blocks ?? []) as { type: string }[];
    expect(fundamentals.map((b) => b.type)).toEqual(['section', 'section']);
    expect(renderBlocks(fundamentals)).toContain('```\nMetric        FY2024   FY2025');
    expect(((replies[0]?.blocks ?? []) as { type: string }[]).map((b) => b.type)).toEqual(['section', 'markdown']);
  });
});
