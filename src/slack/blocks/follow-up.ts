/**
 * A follow-up answer as a thread reply: its Markdown converted to mrkdwn in section blocks, then one context line
 * saying where it came from (the report's data, tool calls made, a fallback note). Also the short placeholder shown
 * while it is being worked out, where the workspace has no assistant status. Pure.
 */
import type { types } from '@slack/bolt';
import type { FollowUpAnswer } from '../../conversation/types.js';
import { markdownToMrkdwn, SECTION_TEXT_LIMIT, splitMrkdwn } from '../markdown.js';
import { clip, contextLine, countOf, escapeMrkdwn, MAX_BLOCKS, mrkdwnSection, type SlackMessage } from './format.js';
import { leadSentences, plainText } from './plain-text.js';

/** The placeholder reply's text (edited into the answer when it is ready). */
export const WORKING_TEXT = ':hourglass_flowing_sand: Looking into it…';

/** The placeholder reply shown while a question is answered. */
export function workingMessage(): SlackMessage {
  return { text: 'Looking into it…', blocks: [contextLine(WORKING_TEXT)] };
}

/** The placeholder while an answer streams into it: the text so far, then a "still writing" line. */
export function streamingMessage(textSoFar: string): SlackMessage {
  const pieces = splitMrkdwn(markdownToMrkdwn(textSoFar), SECTION_TEXT_LIMIT);
  const blocks: types.KnownBlock[] = pieces.map(mrkdwnSection).slice(0, MAX_BLOCKS - 1);
  blocks.push(contextLine(WORKING_TEXT));
  return { text: clip(leadSentences(plainText(textSoFar), 300) || 'Looking into it…'), blocks };
}

/** Where the answer came from, in one line: `From the report's data · 0 tool calls`. */
export function answerFooter(answer: FollowUpAnswer): string {
  const calls = answer.toolCalls.length;
  const cached = answer.toolCalls.filter((c) => c.cache === 'hit' || c.cache === 'coalesced').length;
  const data = calls === 0 ? "From the report's data" : `${countOf(calls, 'tool call')} (${cached} cached)`;
  const by = answer.answerer === 'claude' ? 'Claude' : answer.answerer === 'offline' ? 'offline answer' : '';
  return [data, by].filter(Boolean).join(' · ');
}

/** The reply carrying `answer`: at most 50 blocks, sections of at most 3,000 characters. */
export function followUpMessage(answer: FollowUpAnswer): SlackMessage {
  const pieces = splitMrkdwn(markdownToMrkdwn(answer.text), SECTION_TEXT_LIMIT);
  const blocks: types.KnownBlock[] = pieces.map(mrkdwnSection).slice(0, MAX_BLOCKS - 2);
  if (answer.fallback) blocks.push(contextLine(`:warning: ${clip(escapeMrkdwn(answer.fallback), 2900)}`));
  blocks.push(contextLine(escapeMrkdwn(answerFooter(answer))));
  return { text: clip(leadSentences(plainText(answer.text), 300) || 'Answer'), blocks };
}
