/**
 * A report section as thread replies: its Markdown converted to mrkdwn, split into section blocks of at most
 * 3,000 characters and messages of at most 50 blocks, with short notification text. Pure.
 */
import type { types } from '@slack/bolt';
import type { Section } from '../../research/types.js';
import { markdownToMrkdwn, SECTION_TEXT_LIMIT, splitMrkdwn } from '../markdown.js';
import { clip, contextLine, escapeMrkdwn, MAX_BLOCKS, mrkdwnSection, type SlackMessage } from './format.js';
import { leadSentences, plainText } from './plain-text.js';

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

/**
 * The messages that carry one section, in order. The first starts with the numbered title; a section written
 * with missing data ends with a note saying so.
 */
export function sectionMessages(section: Section, totalSections = 6): SlackMessage[] {
  const title = sectionTitle(section, totalSections);
  const mrkdwn = markdownToMrkdwn(section.markdown);
  const pieces = splitMrkdwn(mrkdwn.trim() === '' ? '_(no text)_' : mrkdwn, SECTION_TEXT_LIMIT);
  const blocks: types.KnownBlock[] = [mrkdwnSection(title), ...pieces.map(mrkdwnSection)];
  const note = section.degraded ? unsaid(section.degraded, section.markdown) : '';
  if (note) blocks.push(contextLine(`:warning: ${clip(escapeMrkdwn(note), 2900)}`));
  const messages: SlackMessage[] = [];
  for (let i = 0; i < blocks.length; i += MAX_BLOCKS) {
    const chunk = blocks.slice(i, i + MAX_BLOCKS);
    messages.push({ text: sectionNotification(section), blocks: chunk });
  }
  return messages;
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
  const text = only?.type === 'section' ? only.text?.text : undefined;
  if (only === undefined || text === undefined || text.length < 200) return null;
  const pieces = splitMrkdwn(text, Math.ceil(text.length / 2) + 20);
  if (pieces.length < 2) return null;
  const first = pieces.slice(0, Math.ceil(pieces.length / 2)).join('\n');
  const second = pieces.slice(Math.ceil(pieces.length / 2)).join('\n');
  return [
    { text: message.text, blocks: [mrkdwnSection(first)] },
    { text: message.text, blocks: [mrkdwnSection(second)] },
  ];
}
