/**
 * The Block Kit limits Slack enforces when a message is posted or edited, as the stand-in applies them: at most 50
 * blocks; a section's text at most 3,000 characters; the `markdown` blocks of one message at most 12,000
 * characters together (`msg_blocks_too_long`); one `table` block per message (`invalid_attachments`,
 * `only_one_table_allowed`); a table at most 100 rows of 20 cells and 20 `column_settings`, no empty cell text
 * (`invalid_blocks`). Block types listed in `refused` answer `invalid_blocks`, as a workspace or client surface
 * without them does.
 */

interface AnyBlock {
  type?: string;
  text?: string | { text?: string };
  rows?: { type?: string; text?: unknown }[][];
  column_settings?: unknown[];
}

/** Slack's answer to a message whose blocks break a rule: the `error` and its detail; `undefined` when valid. */
export function blockRuleError(
  blocks: unknown,
  refused: ReadonlySet<string> = new Set(),
): { error: string; messages?: string[] } | undefined {
  if (!Array.isArray(blocks)) return undefined;
  const list = blocks as AnyBlock[];
  if (list.length > 50) return { error: 'invalid_blocks', messages: ['[ERROR] no more than 50 items allowed'] };
  let markdownChars = 0;
  let tables = 0;
  for (const block of list) {
    if (block.type && refused.has(block.type))
      return { error: 'invalid_blocks', messages: [`[ERROR] unsupported type: ${block.type}`] };
    if (block.type === 'section' && typeof block.text === 'object' && (block.text.text ?? '').length > 3000)
      return { error: 'invalid_blocks', messages: ['[ERROR] must be less than 3001 characters'] };
    if (block.type === 'markdown') markdownChars += typeof block.text === 'string' ? block.text.length : 0;
    if (block.type === 'table') {
      tables++;
      const rows = block.rows ?? [];
      if (rows.length === 0 || rows.length > 100)
        return { error: 'invalid_blocks', messages: ['[ERROR] rows: 1 to 100 items allowed'] };
      if (rows.some((r) => r.length === 0 || r.length > 20) || (block.column_settings?.length ?? 0) > 20)
        return { error: 'invalid_blocks', messages: ['[ERROR] no more than 20 cells allowed'] };
      if (rows.some((r) => r.some((c) => c.type === 'raw_text' && String(c.text ?? '') === '')))
        return { error: 'invalid_blocks', messages: ['[ERROR] must be more than 0 characters'] };
    }
  }
  if (tables > 1) return { error: 'invalid_attachments', messages: ['[ERROR] only_one_table_allowed'] };
  if (markdownChars > 12_000) return { error: 'msg_blocks_too_long' };
  return undefined;
}
