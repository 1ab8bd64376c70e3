/**
 * Plain text for a message's `text`: what notifications, previews and screen readers get. No Markdown or mrkdwn
 * marks, no code blocks or tables, no zero-width spaces; one line. Formatting belongs in the blocks. Pure.
 */

const FENCE = '```';

/** A table row or separator (`| a | b |`, `|---|---:|`). */
const TABLE_LINE = /^\s*\|.*\|\s*$|^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$/;

/** `markdown` as plain words on one line: marks, links, code blocks, tables and footnote marks removed. */
export function plainText(markdown: string): string {
  let inFence = false;
  const kept: string[] = [];
  for (const line of markdown.split('\n')) {
    if (line.trim().startsWith(FENCE)) {
      inFence = !inFence;
      continue;
    }
    if (inFence || TABLE_LINE.test(line) || /^\s*\[\^[^\]]+\]:/.test(line)) continue;
    kept.push(line.replace(/^\s{0,3}(#{1,6}\s+|>\s?|[-*+•]\s+|\d+[.)]\s+)/, ''));
  }
  return kept
    .join(' ')
    .replace(/[\u200B-\u200D\uFEFF]/g, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/<(?:https?:|mailto:)[^|>]*\|([^>]*)>/g, '$1')
    .replace(/\[\^[^\]]+\]/g, '')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/(\*\*|__|~~)(.+?)\1/g, '$2')
    .replace(/(^|[\s(])[*_~]([^*_~\s][^*_~]*?)[*_~](?=[\s).,;:!?]|$)/g, '$1$2')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The first sentences of `text` that fit in `limit` characters (at least the first sentence, cut with `…` when it
 * alone is longer).
 */
export function leadSentences(text: string, limit = 160): string {
  if (text.length <= limit) return text;
  // A sentence ends at . ! or ? before a space (not inside $130.5B or BRK.B).
  const sentences = text.match(/.+?(?:[.!?]+(?=\s|$)|$)/g) ?? [text];
  let out = '';
  for (const sentence of sentences) {
    const next = `${out}${sentence}`;
    if (next.trim().length > limit) break;
    out = next;
  }
  const lead = out.trim();
  return lead !== '' ? lead : `${text.slice(0, limit - 1).trimEnd()}…`;
}
