/**
 * The audit's own small readers of the raw files in `../shared/data`: a CSV splitter, SEC companyfacts facts, the
 * 10-K Markdown rows. Deliberately independent of the product's parsers (`src/mcp-server/providers/`) and of
 * `csv-parse`, so that a parser fault shows up as a difference instead of being repeated.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** One CSV row by column name. */
export type Row = Record<string, string>;

/** Split one CSV line into cells (double-quoted cells may hold commas and `""`). */
function cells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** A CSV file with a header row; `[]` when the file does not exist. Assumes no line breaks inside cells. */
export function readCsv(path: string): Row[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter(Boolean);
  const head = cells(lines[0] ?? '');
  return lines.slice(1).map((l) => {
    const c = cells(l);
    return Object.fromEntries(head.map((h, i) => [h, c[i] ?? '']));
  });
}

/** A number from a cell, or `undefined` for an empty or non-numeric one. */
export function n(cell: string | undefined): number | undefined {
  if (cell === undefined || cell.trim() === '') return undefined;
  const v = Number(cell);
  return Number.isFinite(v) ? v : undefined;
}

/** One SEC companyfacts fact. */
export interface SecFact {
  start?: string;
  end: string;
  val: number;
  accn: string;
  fy: number;
  fp: string;
  form: string;
  filed: string;
}

/** The us-gaap facts of a companyfacts file, by tag and unit: `facts('Revenues', 'USD')`. */
export function readCompanyFacts(path: string): ((tag: string, unit?: string) => SecFact[]) | undefined {
  if (!existsSync(path)) return undefined;
  const doc = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as {
    facts: Record<string, Record<string, { units: Record<string, SecFact[]> }>>;
  };
  const gaap = doc.facts['us-gaap'] ?? {};
  return (tag, unit = 'USD') => gaap[tag]?.units[unit] ?? [];
}

/** Plain (not italic, not bold) rows of a 10-K Markdown table: label → one number per column, and the columns. */
export function readTenKTable(path: string): { columns: string[]; rows: Map<string, (number | undefined)[]> } {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const scale = /in millions/i.test(text) ? 1e6 : 1;
  const lines = text.split('\n').filter((l) => l.trim().startsWith('|'));
  const split = (l: string) => l.trim().slice(1, -1).split('|');
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const columns = split(lines[0] ?? '|')
    .slice(1)
    .map((c) => {
      const m = /([A-Z][a-z]{2}) (\d{1,2}), (\d{4})/.exec(c);
      return m
        ? `${m[3]}-${String(months.indexOf(m[1] ?? '') + 1).padStart(2, '0')}-${(m[2] ?? '').padStart(2, '0')}`
        : '';
    });
  const rows = new Map<string, (number | undefined)[]>();
  for (const l of lines.slice(2)) {
    const [label = '', ...vals] = split(l);
    const name = label.trim();
    if (name.startsWith('*') || rows.has(name)) continue;
    rows.set(
      name,
      vals.map((v) => {
        const t = v.replace(/[$,\s]/g, '');
        if (t === '') return undefined;
        const neg = t.startsWith('(');
        const x = Number(t.replace(/[()]/g, ''));
        if (!Number.isFinite(x)) return undefined;
        return (neg ? -x : x) * (/per share|eps/i.test(name) ? 1 : scale);
      }),
    );
  }
  return { columns, rows };
}

/** `join` for the shared data directory. */
export const at = (dir: string, ...parts: string[]): string => join(dir, ...parts);
