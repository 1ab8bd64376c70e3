/**
 * A section's replies as Slack draws them: prose in `markdown` blocks, each table a `table` block (one to a
 * message, ending it), the aligned-text table kept for a table the block cannot hold, at most 12,000 characters of
 * Markdown to a message, and every message's mrkdwn rendering kept as its fallback. Each message is checked with
 * the stand-in's Block Kit rules, which are Slack's.
 */
import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import type { Section } from '../../../src/research/types.js';
import { MARKDOWN_PAYLOAD_LIMIT, sectionMessages, splitMessage } from '../../../src/slack/blocks/section.js';
import { TABLE_MAX_COLUMNS, TABLE_MAX_ROWS, tableBlock } from '../../../src/slack/blocks/table.js';
import { blockRuleError } from '../../helpers/slack-block-rules.js';
import { renderBlocks } from '../../helpers/slack-transcript.js';

const section = (markdown: string, extra: Partial<Section> = {}): Section => ({
  id: 'fundamentals',
  title: 'Fundamentals',
  index: 1,
  markdown,
  ...extra,
});

const table = (rows: number, columns = 3) =>
  [
    `| ${Array.from({ length: columns }, (_, c) => `H${c}`).join(' | ')} |`,
    `|---|${Array.from({ length: columns - 1 }, () => '---:').join('|')}|`,
    ...Array.from(
      { length: rows },
      (_, r) => `| ${Array.from({ length: columns }, (_, c) => `r${r}c${c}`).join(' | ')} |`,
    ),
  ].join('\n');

const kinds = (m: { blocks: types.KnownBlock[] }) => m.blocks.map((b) => b.type);

describe('tableBlock', () => {
  it('bolds the header and whole-bold cells, aligns columns as the separator says', () => {
    const block = tableBlock(['| Metric | FY2025 | Note |', '|---|---:|:---:|', '| **Revenue** | $130.5B | |']);
    expect(block?.column_settings).toEqual([{ align: 'left' }, { align: 'right' }, { align: 'center' }]);
    expect(renderBlocks([block])).toBe('| *Metric* | *FY2025* | *Note* |\n| *Revenue* | $130.5B |   |');
    expect(blockRuleError([block])).toBeUndefined();
  });

  it('holds no table over the block limits (rows counted with the header, columns)', () => {
    expect(tableBlock(table(TABLE_MAX_ROWS - 1).split('\n'))).toBeDefined();
    expect(tableBlock(table(TABLE_MAX_ROWS).split('\n'))).toBeUndefined();
    expect(tableBlock(table(2, TABLE_MAX_COLUMNS).split('\n'))).toBeDefined();
    expect(tableBlock(table(2, TABLE_MAX_COLUMNS + 1).split('\n'))).toBeUndefined();
  });
});

describe('sectionMessages', () => {
  it('sends prose as markdown blocks and a table as a table block that ends its message', () => {
    const messages = sectionMessages(section(`Revenue and margins:\n\n${table(3)}\n\nCash covered buy-backs.`));
    expect(messages.map(kinds)).toEqual([['section', 'markdown', 'table'], ['markdown']]);
    expect(renderBlocks(messages[0]?.blocks ?? [])).toBe(
      '*2/6 · Fundamentals*\nRevenue and margins:\n| *H0* | *H1* | *H2* |\n| r0c0 | r0c1 | r0c2 |\n| r1c0 | r1c1 | r1c2 |\n| r2c0 | r2c1 | r2c2 |',
    );
    expect(renderBlocks(messages[1]?.blocks ?? [])).toBe('Cash covered buy-backs.');
    for (const m of messages) expect(blockRuleError(m.blocks)).toBeUndefined();
    // The notification stays one plain line: the words around the table.
    expect(messages[0]?.text).toBe('Fundamentals: Revenue and margins: Cash covered buy-backs.');
  });

  it('puts two tables in two messages (one table per message)', () => {
    const messages = sectionMessages(section(`${table(2)}\n\n${table(2)}`));
    expect(messages.map(kinds)).toEqual([['section', 'table'], ['table']]);
    for (const m of messages) expect(blockRuleError(m.blocks)).toBeUndefined();
    // Together in one message Slack would refuse them.
    expect(blockRuleError(messages.flatMap((m) => m.blocks))?.error).toBe('invalid_attachments');
  });

  it('keeps a table too large for the block as aligned text in a code block', () => {
    const messages = sectionMessages(section(`Every quarter:\n\n${table(TABLE_MAX_ROWS + 5)}`));
    expect(messages.flatMap(kinds)).not.toContain('table');
    const text = renderBlocks(messages.flatMap((m) => m.blocks));
    expect(text).toContain('```\nH0');
    expect(text).toMatch(/r104c0\s+r104c1\s+r104c2/);
    for (const m of messages) expect(blockRuleError(m.blocks)).toBeUndefined();
  });

  it('keeps each message within 12,000 characters of Markdown, losing no line', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `- item ${i}: ${'word '.repeat(20)}`);
    const messages = sectionMessages(section(lines.join('\n')));
    expect(messages.length).toBeGreaterThan(3);
    for (const m of messages) {
      const chars = m.blocks.reduce((n, b) => n + (b.type === 'markdown' ? b.text.length : 0), 0);
      expect(chars).toBeLessThanOrEqual(MARKDOWN_PAYLOAD_LIMIT);
      expect(blockRuleError(m.blocks)).toBeUndefined();
    }
    const all = renderBlocks(messages.flatMap((m) => m.blocks));
    for (let i = 0; i < 400; i++) expect(all).toContain(`- item ${i}:`);
    // Over the limit in one message, Slack refuses it as too long.
    expect(blockRuleError([{ type: 'markdown', text: 'x'.repeat(MARKDOWN_PAYLOAD_LIMIT + 1) }])?.error).toBe(
      'msg_blocks_too_long',
    );
  });

  it('carries the mrkdwn rendering of each message as its fallback, the table as aligned text', () => {
    const [first, second] = sectionMessages(section(`**Revenue** grew:\n\n${table(2)}\n\nAfter.`));
    const legacy = first?.legacy ?? [];
    expect(legacy.flatMap(kinds)).toEqual(['section', 'section']);
    const text = renderBlocks(legacy.flatMap((m) => m.blocks));
    expect(text).toContain('*2/6 · Fundamentals*');
    expect(text).toMatch(/\*Revenue\*\u200B? grew:/);
    expect(text).toContain('```\nH0');
    expect(text).toMatch(/r1c0\s+r1c1\s+r1c2\n```/);
    expect(renderBlocks(second?.legacy?.flatMap((m) => m.blocks) ?? [])).toBe('After.');
  });

  it('ends a section written without some data with its note; the mrkdwn rendering only when asked', () => {
    const degraded = section('No news in the bundled data set.', {
      degraded: 'No news in the bundled data set. Try later.',
    });
    const [native] = sectionMessages(degraded);
    expect(kinds(native as { blocks: types.KnownBlock[] })).toEqual(['section', 'markdown', 'context']);
    expect(renderBlocks(native?.blocks ?? [])).toContain('(:warning: Try later.)');
    const [old] = sectionMessages(degraded, { native: false });
    expect(kinds(old as { blocks: types.KnownBlock[] })).toEqual(['section', 'section', 'context']);
  });

  it('splits a single markdown block refused as too long into two markdown blocks', () => {
    const text = Array.from({ length: 60 }, (_, i) => `line ${i} ${'x'.repeat(20)}`).join('\n');
    const halves = splitMessage({ text: 't', blocks: [{ type: 'markdown', text }] });
    expect(halves?.map((h) => h.blocks[0]?.type)).toEqual(['markdown', 'markdown']);
    expect(renderBlocks(halves?.flatMap((h) => h.blocks) ?? [])).toBe(text);
  });
});
