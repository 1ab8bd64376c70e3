/**
 * A report section as thread replies: its Markdown converted to mrkdwn, split into section blocks of at most
 * 3,000 characters and messages of at most 50 blocks, with short notification text. Pure.
 */
import type { types } from '@slack/bolt';
import type { Section } from '../../research/types.js';
import { markdownToMrkdwn, SECTION_TEXT_LIMIT, splitMrkdwn } from '../markdown.js';
import { clip, contextLine, escapeMrkdwn, MAX_BLOCKS, mrkdwnSection, type SlackMessage } from './format.js';

const PREVIEW = 300;

function notification(title: string, body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return clip(`${title}: ${flat}`, PREVIEW);
}

/** `*2/6 · Fundamentals*`. */
export function sectionTitle(section: Pick<Section, 'index' | 'title'>, totalSections = 6): string {
  return `*${section.index + 1}/${totalSections} · ${escapeMrkdwn(section.title)}*`;
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
  if (section.degraded) blocks.push(contextLine(`:warning: ${clip(escapeMrkdwn(section.degraded), 2900)}`));
  const messages: SlackMessage[] = [];
  for (let i = 0; i < blocks.length; i += MAX_BLOCKS) {
    const chunk = blocks.slice(i, i + MAX_BLOCKS);
    messages.push({ text: notification(section.title, pieces.join(' ')), blocks: chunk });
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
