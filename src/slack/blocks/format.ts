/**
 * Small formatting helpers shared by the Block Kit builders.
 */
import type { types } from '@slack/bolt';

/** A Slack message body: notification `text` plus Block Kit `blocks`. */
export interface SlackMessage {
  /** Notification / fallback text, always under {@link NOTIFICATION_TEXT_LIMIT} characters. */
  text: string;
  blocks: types.KnownBlock[];
  /**
   * The same content in older blocks (mrkdwn sections, tables as aligned text), posted instead when Slack refuses
   * this message's blocks (`invalid_blocks`, `invalid_attachments`: a workspace or surface without them).
   */
  legacy?: SlackMessage[];
}

/** Notification text is kept below this many characters (Slack truncates at 4,000). */
export const NOTIFICATION_TEXT_LIMIT = 3900;
/** Most blocks Slack accepts in one message. */
export const MAX_BLOCKS = 50;

/**
 * A duration for people: `850 ms`, `4.2 s`, `1 min 05 s`. The unit is chosen after rounding, so 999.6 ms is `1.0 s`
 * (not `1000 ms`) and 59.96 s is `1 min 00 s` (not `60.0 s`). Input ms.
 */
export function formatDuration(ms: number): string {
  if (Math.round(ms) < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** `1 run`, `2 runs`: a count with its noun, plural when not one. */
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
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

/**
 * A time for Slack (`<!date^…>`): shown in the reader's own time zone, with the ISO text as the fallback (and alone
 * when `iso` is not a time).
 */
export function slackTime(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return Number.isFinite(seconds) ? `<!date^${seconds}^{date_short_pretty} {time}|${iso}>` : escapeMrkdwn(iso);
}
