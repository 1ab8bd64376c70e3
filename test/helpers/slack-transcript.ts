/**
 * Renders what the app posted to Slack as readable text: each Block Kit block as lines (section and markdown text,
 * fields, context in parentheses, a table's rows as `| a | b |` with bold cells as `*…*`), each recorded Web API call with its time offset, and a thread as Slack would show it.
 */
import type { RecordedCall, SlackStandIn } from './slack-stand-in.js';

interface AnyBlock {
  type: string;
  text?: string | { text?: string };
  fields?: { text?: string }[];
  elements?: { text?: string }[];
  rows?: TableCell[][];
}

interface TableCell {
  type: string;
  text?: string;
  elements?: { elements?: { text?: string }[] }[];
}

/** A table cell's text: `raw_text` as is, `rich_text` with its bold marked `*…*`. */
const cellText = (c: TableCell) =>
  c.type === 'raw_text'
    ? String(c.text ?? '')
    : `*${(c.elements ?? [])
        .flatMap((e) => e.elements ?? [])
        .map((e) => e.text ?? '')
        .join('')}*`;

/** An interactive element as a reader sees it. */
interface Control {
  type: string;
  text?: { text?: string };
  placeholder?: { text?: string };
  positive_button?: { text?: { text?: string } };
  negative_button?: { text?: { text?: string } };
}

/** `[Cancel]`, `[Compare with… ▾]`, `[👍] [👎]`. */
const controlText = (e: Control) =>
  e.type === 'feedback_buttons'
    ? `[${e.positive_button?.text?.text ?? ''}] [${e.negative_button?.text?.text ?? ''}]`
    : e.type.endsWith('select')
      ? `[${e.placeholder?.text ?? ''} ▾]`
      : `[${e.text?.text ?? e.type}]`;

/** Block Kit blocks as plain lines (buttons and menus as `[Label]`, `[Menu ▾]`). */
export function renderBlocks(blocks: readonly unknown[]): string {
  const lines: string[] = [];
  for (const raw of blocks as AnyBlock[]) {
    const text = typeof raw.text === 'string' ? raw.text : raw.text?.text;
    if (raw.type === 'section') {
      if (text) lines.push(text);
      for (const f of raw.fields ?? []) lines.push(`  ▪ ${(f.text ?? '').replace('\n', ': ')}`);
    } else if (raw.type === 'context') {
      lines.push(`(${(raw.elements ?? []).map((e) => e.text ?? '').join(' ')})`);
    } else if (raw.type === 'header') {
      lines.push(`# ${text ?? ''}`);
    } else if (raw.type === 'markdown') {
      lines.push(text ?? '');
    } else if (raw.type === 'table') {
      lines.push(...(raw.rows ?? []).map((row) => `| ${row.map(cellText).join(' | ')} |`));
    } else if (raw.type === 'divider') {
      lines.push('────────');
    } else if (raw.type === 'actions' || raw.type === 'context_actions') {
      lines.push((raw.elements ?? []).map((e) => controlText(e as unknown as Control)).join(' '));
    } else {
      lines.push(`[${raw.type} block]`);
    }
  }
  return lines.join('\n');
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `    │ ${l}`)
    .join('\n');

/** Every recorded call after `since` (epoch ms), with offsets in seconds and the rendered content. */
export function callTranscript(calls: readonly RecordedCall[], since: number): string {
  return calls
    .filter((c) => c.at >= since && c.method !== 'auth.test')
    .map((c) => {
      const offset = `+${((c.at - since) / 1000).toFixed(3)}s`;
      const where = [
        c.args.channel ? `#${String(c.args.channel)}` : '',
        c.args.thread_ts ? `thread ${String(c.args.thread_ts)}` : '',
        c.method === 'chat.update' ? `ts ${String(c.args.ts)}` : '',
      ]
        .filter(Boolean)
        .join(' ');
      const outcome =
        c.status === 429 ? ' → HTTP 429 ratelimited' : c.error ? ` → ${c.error}` : c.ts ? ` → ts ${c.ts}` : '';
      const body = Array.isArray(c.args.blocks) ? renderBlocks(c.args.blocks) : String(c.args.text ?? '');
      return `[${offset}] ${c.method} ${where}${outcome}${body ? `\n${indent(body)}` : ''}`;
    })
    .join('\n');
}

/** The parent (latest content) followed by its thread replies, as a reader would see them. */
export function threadView(standIn: SlackStandIn, parentTs: string): string {
  const parent = standIn.messages.get(parentTs);
  if (!parent) return '(no such message)';
  const replies = [...standIn.messages.values()].filter((m) => m.threadTs === parentTs);
  const parts = [
    `=== #${parent.channel} · parent ${parent.ts} (edited ${parent.edits}×) ===`,
    renderBlocks(parent.blocks),
    ...replies.map((r, i) => `--- reply ${i + 1} (ts ${r.ts}) ---\n${renderBlocks(r.blocks)}`),
  ];
  return parts.join('\n');
}
