/**
 * The figures audit's own readers (`scripts/audit/readers.ts`): quoted CSV cells and 10-K Markdown rows, read
 * without the product's parsers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { n, readCsv, readTenKTable } from '../../scripts/audit/readers.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});
const file = (name: string, text: string): string => {
  dir ??= mkdtempSync(join(tmpdir(), 'audit-readers-'));
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('audit readers', () => {
  it('reads quoted CSV cells with commas and doubled quotes, and numbers from cells', () => {
    const rows = readCsv(
      file('a.csv', 'Symbol,Name,Price\nAAPL,"Technology Hardware, Storage",309.35\nX,"say ""hi""",\n'),
    );
    expect(rows).toEqual([
      { Symbol: 'AAPL', Name: 'Technology Hardware, Storage', Price: '309.35' },
      { Symbol: 'X', Name: 'say "hi"', Price: '' },
    ]);
    expect(n(rows[0]?.Price)).toBe(309.35);
    expect(n(rows[1]?.Price)).toBeUndefined();
    expect(readCsv(join(tmpdir(), 'no-such-file.csv'))).toEqual([]);
  });

  it('reads plain 10-K rows in whole USD (per-share rows unscaled), skipping italic segment rows', () => {
    const t = readTenKTable(
      file(
        'b.md',
        `*(In millions, except per share data)*\n\n|  | Jun 30, 2025 | Jun 30, 2024 |\n| --- | --- | --- |\n|       Short-term debt |  | $6,693 |\n| *      Finance Lease* | $44,015 | $25,862 |\n|   Net Income | $(350) | $12 |\n|   Earnings Per Share (Diluted) | 2.04 | 1.50 |\n`,
      ),
    );
    expect(t.columns).toEqual(['2025-06-30', '2024-06-30']);
    expect(t.rows.get('Short-term debt')).toEqual([undefined, 6_693e6]);
    expect(t.rows.get('Net Income')).toEqual([-350e6, 12e6]);
    expect(t.rows.get('Earnings Per Share (Diluted)')).toEqual([2.04, 1.5]);
    expect([...t.rows.keys()].some((k) => k.includes('Finance'))).toBe(false);
  });
});
