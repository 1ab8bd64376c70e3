/**
 * Markdown → Slack mrkdwn. The writers produce GitHub-flavoured Markdown; Slack shows its own `mrkdwn`. Prose goes
 * through the maintained `slackify-markdown` converter; tables (which Slack cannot draw) become aligned,
 * preformatted text; long text is split into pieces that fit a section block without losing a character.
 */
import slackifyMarkdown from 'slackify-markdown';

/** Most characters Slack accepts in one section block's `text`. */
export const SECTION_TEXT_LIMIT = 3000;

const FENCE = '```';
const TABLE_SEPARATOR = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const placeholder = (i: number) => `TICKERDESKTABLE${i}X`;
/** Stands for a thematic break (`---`) through the converter, which would print it as `***`. */
const RULE = 'TICKERDESKRULEX';
/** What a thematic break becomes in mrkdwn (Slack has no rule in text). */
export const MRKDWN_RULE = '──────────';
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const FOOTNOTE_DEFINITION = /^\[\^([^\]\s]+)\]:\s?(.*)$/;
const FOOTNOTE_REFERENCE = /\[\^([^\]\s]+)\]/g;
const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** `12` → `¹²`. */
const superscript = (n: number) => [...String(n)].map((d) => SUPERSCRIPT[Number(d)] ?? d).join('');

/**
 * GitHub-flavoured extras the converter does not know, outside code fences: a thematic break (`---`, `***`, `___`
 * on a line of its own after a blank line; after text, `---` underlines a heading) becomes a placeholder for a thin
 * rule, and footnotes (`[^1]` references, `[^1]: text` definitions) become superscript numbers with the notes
 * listed at the end, numbered in order of first reference.
 */
function githubExtras(markdown: string): string {
  const lines = markdown.split('\n');
  const body: string[] = [];
  const notes = new Map<string, string>();
  let inFence = false;
  let current: string | undefined;
  for (const line of lines) {
    if (line.trim().startsWith(FENCE)) inFence = !inFence;
    const definition = inFence ? null : line.match(FOOTNOTE_DEFINITION);
    if (definition) {
      current = definition[1] as string;
      notes.set(current, (definition[2] ?? '').trim());
      continue;
    }
    if (current !== undefined && !inFence && /^ {2,}\S/.test(line)) {
      notes.set(current, `${notes.get(current) ?? ''} ${line.trim()}`.trim());
      continue;
    }
    current = undefined;
    const previous = body.at(-1) ?? '';
    if (!inFence && THEMATIC_BREAK.test(line) && previous.trim() === '') {
      body.push(RULE);
      continue;
    }
    body.push(line);
  }
  const order: string[] = [];
  const number = (label: string) => {
    if (!order.includes(label)) order.push(label);
    return order.indexOf(label) + 1;
  };
  let text = body.join('\n');
  if (notes.size === 0 && !FOOTNOTE_REFERENCE.test(text)) return text;
  FOOTNOTE_REFERENCE.lastIndex = 0;
  let fenced = false;
  text = text
    .split('\n')
    .map((line) => {
      if (line.trim().startsWith(FENCE)) fenced = !fenced;
      return fenced ? line : line.replace(FOOTNOTE_REFERENCE, (_, label: string) => superscript(number(label)));
    })
    .join('\n');
  for (const label of notes.keys()) number(label);
  const listed = order
    .filter((label) => notes.has(label))
    .map((label) => `${superscript(number(label))} ${notes.get(label)}`);
  return listed.length > 0 ? `${text.trimEnd()}\n\n${listed.join('\n\n')}` : text;
}

/** Split one Markdown table row into trimmed cells (`\|` stays a literal pipe). */
function cells(line: string): string[] {
  const trimmed = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return trimmed.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

/** Strip inline Markdown from a table cell so the monospace columns line up. */
function plainCell(cell: string): string {
  return cell
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.*?)\1/g, '$2')
    .replace(/(\*|_)(.*?)\1/g, '$2')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/~~(.*?)~~/g, '$1');
}

/** Lay out rows of cells as aligned text with a dashed rule under the first row. */
function layout(rows: string[][], align: readonly ('left' | 'right')[]): string {
  const columns = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const format = (row: string[]) =>
    widths
      .map((w, i) => (align[i] === 'right' ? (row[i] ?? '').padStart(w) : (row[i] ?? '').padEnd(w)))
      .join('  ')
      .trimEnd();
  const [head = [], ...rest] = rows;
  return [format(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rest.map(format)].join('\n');
}

/** Widest line of `text`. */
const widthOf = (text: string) => Math.max(...text.split('\n').map((l) => l.length));

/** Tables wider than this are turned on their side when that makes them narrower (phones wrap code blocks). */
export const TABLE_MAX_WIDTH = 60;

/**
 * Render a Markdown table (header, separator, rows) as aligned plain text: columns padded to a common width,
 * right-aligned where the separator says `---:`, a dashed rule under the header. A table wider than
 * {@link TABLE_MAX_WIDTH} with more columns than rows is transposed (columns become rows) when that is narrower.
 */
export function renderTable(lines: readonly string[]): string {
  const [header = '', separator = '', ...body] = lines;
  const align = cells(separator).map((c) => (c.endsWith(':') && !c.startsWith(':') ? 'right' : 'left'));
  const rows = [cells(header), ...body.map(cells)].map((r) => r.map(plainCell));
  const normal = layout(rows, align);
  if (widthOf(normal) <= TABLE_MAX_WIDTH) return normal;
  const columns = Math.max(...rows.map((r) => r.length));
  const turned = Array.from({ length: columns }, (_, i) => rows.map((r) => r[i] ?? ''));
  const numeric = align.slice(1).filter((a) => a === 'right').length >= (columns - 1) / 2;
  const side: 'left' | 'right' = numeric ? 'right' : 'left';
  const transposed = layout(turned, ['left', ...rows.slice(1).map(() => side)]);
  return widthOf(transposed) < widthOf(normal) ? transposed : normal;
}

/** A piece of a writer's Markdown: prose, or one GFM table (its header, separator and row lines). */
export type MarkdownPart = { kind: 'text'; markdown: string } | { kind: 'table'; lines: string[] };

/** Split `markdown` into prose and GFM tables (tables inside code fences stay prose), in order. */
export function markdownParts(markdown: string): MarkdownPart[] {
  const lines = markdown.split('\n');
  const parts: MarkdownPart[] = [];
  let prose: string[] = [];
  let inFence = false;
  const flush = () => {
    if (prose.length > 0) parts.push({ kind: 'text', markdown: prose.join('\n') });
    prose = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim().startsWith(FENCE)) inFence = !inFence;
    const next = lines[i + 1];
    if (!inFence && line.includes('|') && next !== undefined && TABLE_SEPARATOR.test(next) && next.includes('-')) {
      const block = [line, next];
      i += 2;
      while (i < lines.length && (lines[i] ?? '').includes('|') && (lines[i] ?? '').trim() !== '') {
        block.push(lines[i] ?? '');
        i++;
      }
      i--;
      flush();
      parts.push({ kind: 'table', lines: block });
      continue;
    }
    prose.push(line);
  }
  flush();
  return parts;
}

/** Pull GFM tables out of `markdown` (outside code fences), leaving a placeholder paragraph for each. */
function extractTables(markdown: string): { text: string; tables: string[] } {
  const tables: string[] = [];
  const text = markdownParts(markdown)
    .map((part) => {
      if (part.kind === 'text') return part.markdown;
      tables.push(renderTable(part.lines));
      return `\n${placeholder(tables.length - 1)}\n`;
    })
    .join('\n');
  return { text, tables };
}

/** The cells of a GFM table (inline Markdown kept) and each column's alignment from its separator. */
export function tableCells(lines: readonly string[]): {
  rows: string[][];
  align: ('left' | 'center' | 'right')[];
} {
  const [header = '', separator = '', ...body] = lines;
  const align = cells(separator).map((c) => {
    const left = c.startsWith(':');
    const right = c.endsWith(':');
    return left && right ? 'center' : right ? 'right' : 'left';
  });
  return { rows: [cells(header), ...body.map(cells)], align };
}

/** Inline Markdown of a table cell removed (links keep their text), for plain cells. */
export const plainTableCell = (cell: string): string => plainCell(cell);

/**
 * A writer's Markdown prepared for Slack's `markdown` block (which takes standard Markdown): the GitHub extras the
 * block may not know are rendered as for mrkdwn (footnotes as superscript numbers with the notes at the end, a
 * thematic break as a thin rule line), raw HTML tags are escaped, and the text is split into prose and tables.
 */
export function markdownBlockParts(markdown: string): MarkdownPart[] {
  return markdownParts(githubExtras(markdown)).map((part) =>
    part.kind === 'table'
      ? part
      : {
          kind: 'text',
          markdown: part.markdown
            .replaceAll(RULE, MRKDWN_RULE)
            .replace(/<(\/?[a-z][^<>]*)>/gi, (whole, inner: string) =>
              /^(https?:|mailto:)/i.test(inner) ? whole : `&lt;${inner}&gt;`,
            ),
        },
  );
}

/**
 * One space after a list marker. The converter pads `•` and `1.` to a tab stop (`•   item`), which Slack shows as
 * a wide gap; lines inside code blocks are left as they are.
 */
function tightenListMarkers(mrkdwn: string): string {
  let inFence = false;
  return mrkdwn
    .split('\n')
    .map((line) => {
      if (line.trim().startsWith(FENCE)) inFence = !inFence;
      return inFence ? line : line.replace(/^( *)(•|\d+\.) {2,}(?=\S)/, '$1$2 ');
    })
    .join('\n');
}

/**
 * Convert a writer's Markdown to Slack mrkdwn: headings become bold lines, `**bold**` → `*bold*`, links →
 * `<url|text>`, lists → bullets (via `slackify-markdown`), tables → aligned text in a code block, a thematic break
 * (`---`) → a thin rule line, footnotes (`[^1]`) → superscript numbers with the notes at the end.
 * @example markdownToMrkdwn('**Revenue** up') // contains '*Revenue*'
 */
export function markdownToMrkdwn(markdown: string): string {
  const { text, tables } = extractTables(githubExtras(markdown));
  let converted = tightenListMarkers(slackifyMarkdown(text).trimEnd());
  converted = converted.replaceAll(RULE, MRKDWN_RULE);
  // Raw HTML passes through the converter untouched; Slack would read `<tag>` as a control sequence.
  converted = converted.replace(/<([^<>]*)>/g, (whole, inner: string) =>
    /^(https?:|mailto:|[@#!])/.test(inner) ? whole : `&lt;${inner}&gt;`,
  );
  tables.forEach((table, i) => {
    converted = converted.replace(placeholder(i), `${FENCE}\n${table}\n${FENCE}`);
  });
  return converted;
}

/** Split one over-long line at the last space before `limit` (or hard at `limit` when there is none). */
function splitLine(line: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = line;
  while (rest.length > limit) {
    const cut = rest.lastIndexOf(' ', limit);
    const at = cut > limit / 2 ? cut : limit;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^ /, '');
  }
  parts.push(rest);
  return parts;
}

/**
 * Split mrkdwn into pieces of at most `limit` characters, at line boundaries where possible. A code block cut in
 * two is closed at the end of one piece and reopened at the start of the next, so both render. No text is dropped.
 * @param limit characters per piece, at least 20. @default {@link SECTION_TEXT_LIMIT}
 */
export function splitMrkdwn(text: string, limit = SECTION_TEXT_LIMIT): string[] {
  if (text.length <= limit) return [text];
  const room = limit - (FENCE.length + 1) * 2;
  const lines = text.split('\n').flatMap((l) => splitLine(l, room));
  const pieces: string[] = [];
  let current: string[] = [];
  let size = 0;
  let inFence = false;
  let openedInFence = false;
  const close = () => {
    if (current.length === 0) return;
    const body = current.join('\n');
    pieces.push(`${openedInFence ? `${FENCE}\n` : ''}${body}${inFence ? `\n${FENCE}` : ''}`);
    openedInFence = inFence;
    current = [];
    size = 0;
  };
  for (const line of lines) {
    if (size + line.length + 1 > room) close();
    current.push(line);
    size += line.length + 1;
    if (line.trim().startsWith(FENCE)) inFence = !inFence;
  }
  close();
  return pieces.map((p) => p.replace(/^\n+|\n+$/g, '')).filter((p) => p.trim() !== '');
}
