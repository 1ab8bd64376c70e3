/**
 * What people read (issue 19, items 9 and 12), read end to end on the stand-in for a full, a partial and a failed
 * run: every message's notification `text` is plain words on one line (formatting only in blocks), each fact is said
 * once, and a partial report says so at the top of its parent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackOnDouble, startSlackOnDouble } from '../helpers/slack-double-app.js';
import { SlackResearchDouble } from '../helpers/slack-research-double.js';
import type { SlackStandIn, StoredMessage } from '../helpers/slack-stand-in.js';
import { renderBlocks, threadView } from '../helpers/slack-transcript.js';

let app: SlackOnDouble;
let standIn: SlackStandIn;
let research: SlackResearchDouble;

/** The parent in `channel` and its replies, as stored (latest content). */
function thread(channel: string): { parent: StoredMessage; replies: StoredMessage[] } {
  const parent = [...standIn.messages.values()].find((m) => m.channel === channel && !m.threadTs) as StoredMessage;
  return { parent, replies: [...standIn.messages.values()].filter((m) => m.threadTs === parent.ts) };
}

/** Notification text is one line of plain words: no mrkdwn marks, code fences, table rules or zero-width spaces. */
function expectPlain(text: string): void {
  expect(text).not.toMatch(/\n|```|---|[\u200B-\u200D\uFEFF]|\*[^*\s][^*]*\*|<https?:|&amp;|\|/);
}

async function run(ticker: string, channel: string): Promise<{ parent: StoredMessage; replies: StoredMessage[] }> {
  const before = research.records.length;
  await app.command('/research-stock', ticker, { channel, user: `U0${channel}` });
  await app.runsDone(before + 1);
  const t = thread(channel);
  console.log(`\n${threadView(standIn, t.parent.ts)}\n`);
  return t;
}

beforeAll(async () => {
  research = new SlackResearchDouble({ stepMs: 20, failAfterSections: { FAIL: 2 }, emptyTools: { CRM: 7 } });
  app = await startSlackOnDouble(research);
  standIn = app.standIn;
});

afterAll(async () => {
  await app?.close();
});

describe('A thread read end to end', () => {
  it('full run: one plain line of text per message, formatting only in the blocks', async () => {
    const { parent, replies } = await run('NVDA', 'C0FULL');
    expect(replies).toHaveLength(6);
    for (const m of [parent, ...replies]) expectPlain(m.text);
    expect(replies[0]?.text).toBe(
      'Executive summary: NVDA keeps compounding: revenue rose 114% to $130.5B in FY2025 while gross margin held near 75%.',
    );
    // The table stays in the blocks; the notification reads the words around it.
    expect(replies[1]?.text).toBe(
      'Fundamentals: Revenue and margins, from the 10-K filings. Free cash flow covered buy-backs twice over.',
    );
    expect(renderBlocks(replies[1]?.blocks ?? [])).toContain(
      '| *Metric* | *FY2024* | *FY2025* |\n| Revenue | $60.9B | $130.5B |',
    );
    expect(parent.text).toMatch(
      /^NVDA: Hold — strong growth, stretched valuation \(moderate confidence, 0\.62\) \(Done in /,
    );
  });

  it('partial run: the parent says so at the top, and the empty section says its missing data once', async () => {
    const { parent, replies } = await run('CRM', 'C0PARTIAL');
    const blocks = renderBlocks(parent.blocks).split('\n');
    expect(blocks[1]).toBe(':warning: *Partial report* — 7 of 9 data sources had nothing for CRM.');
    expect(blocks[2]).toMatch(/^:large_yellow_circle: \*Verdict:\* Hold/);
    expect(parent.text).toMatch(/^CRM: partial report, Hold/);
    const news = renderBlocks(replies[3]?.blocks ?? []);
    expect(news.match(/No company news in the bundled data set for CRM\./g)).toHaveLength(1);
    expect(news).not.toContain(':warning:');
    for (const m of [parent, ...replies]) expectPlain(m.text);
  });

  it('failed run: the parent says what failed in plain words; the replies posted stay', async () => {
    const { parent, replies } = await run('FAIL', 'C0FAILED');
    expect(replies).toHaveLength(2);
    expect(parent.text).toBe(
      'Research on FAIL failed: The writer could not finish the Technicals section: the model timed out.',
    );
    for (const m of [parent, ...replies]) expectPlain(m.text);
  });
});
