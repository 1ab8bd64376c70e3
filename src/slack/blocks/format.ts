/**
 * Small formatting helpers shared by the Block Kit builders.
 */
import type { types } from '@slack/bolt';

/** A Slack message body: notification `text` plus Block Kit `blocks`. */
export interface SlackMessage {
  /** Notification / fallback text, always under {@link NOTIFICATION_TEXT_LIMIT} characters. */
  text: string;
  blocks: types.KnownBlock[];
}

/** Notification text is kept below this many characters (Slack truncates at 4,000). */
export const NOTIFICATION_TEXT_LIMIT = 3900;
/** Most blocks Slack accepts in one message. */
export const MAX_BLOCKS = 50;

/** A duration for people: `850 ms`, `4.2 s`, `1 min 05 s`. Input ms. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** Whole seconds, for the live elapsed counter: `0 s`, `12 s`, `1 min 05 s`. Input ms. */
export function formatSeconds(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** Cut `text` to fit `limit` characters, ending with `…` when cut. */
export function clip(text: string, limit = NOTIFICATION_TEXT_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** Escape the three characters Slack treats as control characters in text. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A mrkdwn section block. */
export function mrkdwnSection(text: string): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/** A context block with one mrkdwn element. */
export function contextLine(text: string): types.ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}
