/**
 * A report table as a Block Kit `table` block: the header row bold, every other cell as written (a cell wholly in
 * `**bold**` stays bold), each column aligned as its Markdown separator says (`---:` right, `:---:` centre). Slack
 * takes at most {@link TABLE_MAX_ROWS} rows of {@link TABLE_MAX_COLUMNS} cells and one table per message; a bigger
 * table gets no block (the caller shows it as aligned text). Pure.
 */
import type { types } from '@slack/bolt';
import { plainTableCell, tableCells } from '../markdown.js';

/** Most rows Slack draws in one table block, the header included. */
export const TABLE_MAX_ROWS = 100;
/** Most cells in one row (and `column_settings` entries) of a table block. */
export const TABLE_MAX_COLUMNS = 20;

type Cell = types.TableBlock['rows'][number][number];

/** One cell: bold text as a `rich_text` cell, else `raw_text` (Slack refuses an empty text, so a blank is a space). */
function cell(text: string, bold: boolean): Cell {
  const shown = text === '' ? ' ' : text;
  if (!bold) return { type: 'raw_text', text: shown };
  return {
    type: 'rich_text',
    elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: shown, style: { bold: true } }] }],
  };
}

/**
 * The table block for a GFM table (`lines`: header, separator, rows), or `undefined` when Slack's table block
 * cannot hold it (more than {@link TABLE_MAX_ROWS} rows or {@link TABLE_MAX_COLUMNS} columns).
 */
export function tableBlock(lines: readonly string[]): types.TableBlock | undefined {
  const { rows, align } = tableCells(lines);
  const columns = Math.max(...rows.map((r) => r.length));
  if (rows.length > TABLE_MAX_ROWS || columns > TABLE_MAX_COLUMNS || columns === 0) return undefined;
  const built = rows.map((row, r) =>
    Array.from({ length: columns }, (_, c) => {
      const raw = row[c] ?? '';
      const wholeBold = /^(\*\*|__)(?!\s).*\S\1$/.test(raw);
      return cell(plainTableCell(raw), r === 0 || wholeBold);
    }),
  );
  return {
    type: 'table',
    rows: built,
    column_settings: Array.from({ length: columns }, (_, c) => ({ align: align[c] ?? 'left' })),
  };
}
