/**
 * Total debt, defined once for every statement source (SEC companyfacts, 10-K tables, yfinance-derived tables, and
 * the live SEC provider that shares the companyfacts parser): the parsers collect the debt lines a balance sheet
 * carries and call {@link totalDebt}; the analysts read the resulting `totalDebt` line item.
 *
 * Definition: total debt = commercial paper (and other short-term borrowings) + current portion of long-term debt +
 * non-current long-term debt (+ finance-lease liabilities where the balance sheet carries them on a debt line, as
 * Tesla's "debt and finance leases"). Operating-lease liabilities are not debt here. Finance leases that a company
 * shows only inside other liabilities (Apple, Alphabet) are not added: SEC companyfacts cannot tell those apart from
 * leases already inside a debt line, and yfinance's lease columns mix in operating leases.
 *
 * Example: Apple at FY2025 end = 7,979 + 12,350 + 78,328 = $98,657M (10-K accn 0000320193-25-000079).
 */
import type { Source, SourcedValue } from '../mcp-server/shapes.js';

/** The debt lines a balance sheet may carry, in the order they are added. */
export const DEBT_PARTS = [
  'commercial paper',
  'other short-term borrowings',
  'current debt',
  'current portion of long-term debt',
  'non-current long-term debt',
  'long-term debt (current and non-current)',
  'finance-lease liabilities on a debt line',
] as const;

/** One debt line's name. `current debt` is a source's own sum of the short-term lines (yfinance `Current Debt`). */
export type DebtPartName = (typeof DEBT_PARTS)[number];

/** One debt line of a balance sheet: its name, value (USD) and source. */
export interface DebtPart {
  name: DebtPartName;
  value: number;
  source: Source;
}

/** `7979000000` → `7,979M` (whole millions, as filings state them; smaller amounts in full). */
function millions(usd: number): string {
  const m = usd / 1e6;
  return Number.isInteger(m) ? `${m.toLocaleString('en-US')}M` : `${Math.round(usd).toLocaleString('en-US')}`;
}

/**
 * Total debt from the debt lines of one balance sheet (see the module comment for the definition). Lines with the
 * same name are counted once (the first wins). The source is the first line's, with a `ref` naming every line, its
 * value and its own filing or file, so the figure cites each source of its value.
 * @param parts the debt lines found (money in USD); zero lines count (a reported 0 of commercial paper).
 * @returns `undefined` when no line is present (debt not reported); else the sum in USD.
 * @example totalDebt([{ name: 'commercial paper', value: 7_979e6, source }, …]) // { value: 98_657e6, … }
 */
export function totalDebt(parts: readonly DebtPart[]): SourcedValue | undefined {
  const seen = new Set<DebtPartName>();
  const used = [...parts]
    .sort((a, b) => DEBT_PARTS.indexOf(a.name) - DEBT_PARTS.indexOf(b.name))
    .filter((p) => Number.isFinite(p.value) && !seen.has(p.name) && seen.add(p.name));
  const first = used[0];
  if (!first) return undefined;
  const refs = [...new Set(used.map((p) => p.source.ref))];
  const terms = used.map((p) => `${p.name} ${millions(p.value)}${refs.length > 1 ? ` (${p.source.ref})` : ''}`);
  const ref = `total debt = ${terms.join(' + ')}${refs.length === 1 ? ` (${refs[0]})` : ''}`;
  return { value: used.reduce((s, p) => s + p.value, 0), source: { ...first.source, ref } };
}
