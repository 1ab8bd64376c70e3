/**
 * A report section as thread replies: its Markdown in Slack `markdown` blocks and its tables as `table` blocks
 * (one to a message), with the older rendering — Markdown converted to mrkdwn section blocks of at most 3,000
 * characters, tables as aligned text — kept for every message as its fallback; messages of at most 50 blocks, with
 * short notification text. Pure.
 */
import type { types } from '@slack/bolt';
import type { Section } from '../../research/types.js';
import { markdownBlockParts, markdownToMrkdwn, renderTable, SECTION_TEXT_LIMIT, splitMrkdwn } from '../markdown.js';
import { clip, contextLine, escapeMrkdwn, MAX_BLOCKS, mrkdwnSection, type SlackMessage } from './format.js';
import { leadSentences, plainText } from './plain-text.js';
import { tableBlock } from './table.js';

const FENCE = '```';

/**
 * A reply's notification text: the section title and its first sentences as plain words on one line (no table
 * dashes, no `*bold*`, no zero-width spaces).
 */
export function sectionNotification(section: Pick<Section, 'title' | 'markdown'>): string {
  const lead = leadSentences(plainText(section.markdown), 160);
  return lead === '' ? section.title : `${section.title}: ${lead}`;
}

/** `*2/6 · Fundamentals*`. */
export function sectionTitle(section: Pick<Section, 'index' | 'title'>, totalSections = 6): string {
  return `*${section.index + 1}/${totalSections} · ${escapeMrkdwn(section.title)}*`;
}

/** The sentences of `note` that `markdown` does not already say (each fact said once). */
function unsaid(note: string, markdown: string): string {
  const said = plainText(markdown);
  const sentences = note.match(/.+?(?:[.!?]+(?=\s|$)|$)/g) ?? [note];
  return sentences
    .map((s) => s.trim())
    .filter((s) => s !== '' && !said.includes(s))
    .join(' ');
}

/** Most characters of Markdown Slack takes in all the `markdown` blocks of one message together. */
export const MARKDOWN_PAYLOAD_LIMIT = 12_000;

/** How a section is drawn. */
export interface SectionRenderOptions {
  /** Sections in the report. @default 6 */
  totalSections?: number;
  /**
   * `markdown` and `table` blocks (Slack draws the writer's Markdown itself) when true; mrkdwn section blocks from
   * the Markdown → mrkdwn conversion, tables as aligned text, when false. @default true
   */
  native?: boolean;
}

/** Section blocks of mrkdwn (converted Markdown, tables as aligned text), at most 50 to a message. */
function mrkdwnMessages(text: string, markdown: string, title?: string, note?: string): SlackMessage[] {
  const mrkdwn = markdownToMrkdwn(markdown);
  const pieces = mrkdwn.trim() === '' ? (title ? [] : ['_(no text)_']) : splitMrkdwn(mrkdwn, SECTION_TEXT_LIMIT);
  const blocks: types.KnownBlock[] = [...(title ? [mrkdwnSection(title)] : []), ...pieces.map(mrkdwnSection)];
  if (note) blocks.push(contextLine(note));
  const messages: SlackMessage[] = [];
  for (let i = 0; i < blocks.length; i += MAX_BLOCKS) messages.push({ text, blocks: blocks.slice(i, i + MAX_BLOCKS) });
  return messages;
}

/** One message being filled: its blocks, the Markdown it carries (for its mrkdwn fallback), what it holds. */
interface Draft {
  blocks: types.KnownBlock[];
  source: string[];
  title?: string;
  note?: string;
  markdownChars: number;
  table: boolean;
}

/**
 * The section as `markdown` blocks with each table as a `table` block: at most one table to a message, which ends
 * the message (Slack draws a table below the message's other blocks, so the text after it starts the next one), at
 * most {@link MARKDOWN_PAYLOAD_LIMIT} characters of Markdown and {@link MAX_BLOCKS} blocks to a message. A table
 * the block cannot hold stays aligned text in a code block. Each message carries its mrkdwn rendering as `legacy`.
 */
function nativeMessages(section: Section, text: string, title: string, note: string | undefined): SlackMessage[] {
  const drafts: Draft[] = [];
  let draft: Draft = { blocks: [mrkdwnSection(title)], source: [], title, markdownChars: 0, table: false };
  const next = () => {
    drafts.push(draft);
    draft = { blocks: [], source: [], markdownChars: 0, table: false };
  };
  const addText = (markdown: string, source: string) => {
    for (const piece of splitMrkdwn(markdown, MARKDOWN_PAYLOAD_LIMIT)) {
      if (
        draft.table ||
        draft.markdownChars + piece.length > MARKDOWN_PAYLOAD_LIMIT ||
        draft.blocks.length >= MAX_BLOCKS
      )
        next();
      draft.blocks.push({ type: 'markdown', text: piece });
      draft.markdownChars += piece.length;
    }
    draft.source.push(source);
  };
  const parts = markdownBlockParts(section.markdown);
  if (parts.every((p) => p.kind === 'text' && p.markdown.trim() === '')) addText('_(no text)_', '_(no text)_');
  for (const part of parts) {
    if (part.kind === 'text') {
      if (part.markdown.trim() !== '') addText(part.markdown.trim(), part.markdown);
      continue;
    }
    const table = tableBlock(part.lines);
    const source = part.lines.join('\n');
    if (!table) {
      addText(`${FENCE}\n${renderTable(part.lines)}\n${FENCE}`, source);
      continue;
    }
    if (draft.table || draft.blocks.length >= MAX_BLOCKS) next();
    draft.blocks.push(table);
    draft.source.push(source);
    draft.table = true;
  }
  if (note) {
    if (draft.blocks.length >= MAX_BLOCKS) next();
    draft.blocks.push(contextLine(note));
    draft.note = note;
  }
  drafts.push(draft);
  return drafts
    .filter((d) => d.blocks.length > 0)
    .map((d) => ({ text, blocks: d.blocks, legacy: mrkdwnMessages(text, d.source.join('\n\n'), d.title, d.note) }));
}

/**
 * The messages that carry one section, in order. The first starts with the numbered title; a section written
 * with missing data ends with a note saying so. Native (the default): `markdown` and `table` blocks, each message
 * with its mrkdwn fallback in `legacy`; else mrkdwn section blocks.
 */
export function sectionMessages(section: Section, options: SectionRenderOptions = {}): SlackMessage[] {
  const title = sectionTitle(section, options.totalSections ?? 6);
  const degraded = section.degraded ? unsaid(section.degraded, section.markdown) : '';
  const note = degraded ? `:warning: ${clip(escapeMrkdwn(degraded), 2900)}` : undefined;
  const text = sectionNotification(section);
  if (options.native === false) return mrkdwnMessages(text, section.markdown, title, note);
  return nativeMessages(section, text, title, note);
}

/**
 * Split a message Slack refused as too long (`msg_too_long`, `msg_blocks_too_long`) into two smaller ones with
 * the same text: blocks are halved, or a single block's text is cut in two. Returns `null` when the message is
 * already too small to split.
 */
export function splitMessage(message: SlackMessage): [SlackMessage, SlackMessage] | null {
  if (message.blocks.length > 1) {
    const half = Math.ceil(message.blocks.length / 2);
    return [
      { text: message.text, blocks: message.blocks.slice(0, half) },
      { text: message.text, blocks: message.blocks.slice(half) },
    ];
  }
  const only = message.blocks[0];
  const text = only?.type === 'section' ? only.text?.text : only?.type === 'markdown' ? only.text : undefined;
  if (only === undefined || text === undefined || text.length < 200) return null;
  const pieces = splitMrkdwn(text, Math.ceil(text.length / 2) + 20);
  if (pieces.length < 2) return null;
  const first = pieces.slice(0, Math.ceil(pieces.length / 2)).join('\n');
  const second = pieces.slice(Math.ceil(pieces.length / 2)).join('\n');
  const block = (t: string): types.KnownBlock =>
    only.type === 'markdown' ? { type: 'markdown', text: t } : mrkdwnSection(t);
  return [
    { text: message.text, blocks: [block(first)] },
    { text: message.text, blocks: [block(second)] },
  ];
}
