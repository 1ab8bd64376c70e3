/**
 * Parser for Stooq's daily CSV download (`GET /q/d/l/?s={symbol}.us&i=d&d1=YYYYMMDD&d2=YYYYMMDD`):
 * `Date,Open,High,Low,Close,Volume` rows, oldest first, split-adjusted. Stooq answers an unknown symbol with the
 * text `No data` and a spent daily quota with a text line, not CSV.
 */
import { parse } from 'csv-parse/sync';
import type { PriceBar } from '../../shapes.js';

/**
 * Parse Stooq CSV into bars, oldest first (rows with a missing or non-positive close are left out).
 * @returns `undefined` for Stooq's `No data` answer.
 * @throws Error when the body is not Stooq's CSV.
 */
export function parseStooqCsv(text: string): PriceBar[] | undefined {
  const trimmed = text.trim();
  if (/^no data/i.test(trimmed)) return undefined;
  if (!/^date,open,high,low,close/i.test(trimmed)) throw new Error(`not Stooq CSV ("${trimmed.slice(0, 40)}")`);
  const rows = parse(trimmed, {
    columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
    skip_empty_lines: true,
  }) as Record<string, string>[];
  const bars: PriceBar[] = [];
  for (const r of rows) {
    const close = Number(r.close);
    if (!r.date || !(close > 0)) continue;
    const num = (v: string | undefined) => (Number(v) > 0 ? Number(v) : close);
    bars.push({
      date: r.date,
      open: num(r.open),
      high: num(r.high),
      low: num(r.low),
      close,
      volume: Number(r.volume) || 0,
    });
  }
  return bars.sort((a, b) => a.date.localeCompare(b.date));
}
