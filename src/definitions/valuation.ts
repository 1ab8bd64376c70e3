/**
 * Valuation inputs, defined once: the share count behind market capitalisation and the earnings behind P/E. The
 * fundamentals analyst builds its `market_cap` and `pe_ratio` figures from these; a live provider's statements feed
 * the same functions.
 *
 * - **Market capitalisation** = the share price × the latest shares outstanding (the newest balance-sheet count of
 *   any annual or quarterly period), not a fiscal year's weighted-average diluted shares. Where the count is kept in
 *   another class's units (Berkshire counts Class A equivalents; one Class A = 1,500 Class B), it is converted.
 * - **P/E** = price ÷ diluted EPS over the trailing twelve months: the sum of the last four fiscal quarters' diluted
 *   EPS, when four consecutive quarters newer than the last fiscal year exist (a fourth quarter a company does not
 *   report on its own is its fiscal year's EPS minus its first three quarters'); else price ÷ the last fiscal year's
 *   diluted EPS. The basis is named in the figure's period and in every sentence stating it.
 */
import type { Source, StatementPeriod } from '../mcp-server/shapes.js';

/** Tickers whose reported share count is in another class's units: ticker → ticker shares per counted share. */
export const SHARE_COUNT_UNITS: Readonly<Record<string, { counted: string; perCounted: number }>> = {
  'BRK.B': { counted: 'Class A equivalent shares', perCounted: 1500 },
};

/** The latest shares outstanding of any period (newest period end first), with its period. */
export function latestSharesOutstanding(
  periods: readonly StatementPeriod[],
): { value: number; period: StatementPeriod; source: Source } | undefined {
  const p = [...periods]
    .filter((x) => (x.items.sharesOutstanding?.value ?? 0) > 0)
    .sort((a, b) => b.periodEnd.localeCompare(a.periodEnd))[0];
  const s = p?.items.sharesOutstanding;
  return p && s ? { value: s.value, period: p, source: s.source } : undefined;
}

/**
 * Market capitalisation in USD: `price` (USD per share of `ticker`) × the latest shares outstanding, converted to
 * `ticker`'s class where {@link SHARE_COUNT_UNITS} says the count is in another class's units.
 * @returns the value and the words of its inputs (`price 2026-08-21 × shares outstanding at 2026-06-27 (Q3 FY2026)`).
 */
export function marketCap(
  ticker: string,
  price: { value: number; date: string },
  shares: { value: number; period: StatementPeriod },
): { value: number; inputs: string } {
  const unit = SHARE_COUNT_UNITS[ticker];
  const count = shares.value * (unit?.perCounted ?? 1);
  const what = unit ? ` (${unit.counted} × ${unit.perCounted})` : '';
  return {
    value: price.value * count,
    inputs: `price ${price.date} × shares outstanding at ${shares.period.periodEnd} (${shares.period.label})${what}`,
  };
}

/** Trailing-twelve-month diluted EPS: its value (USD/share), the basis in words and the quarters used. */
export interface TtmEps {
  value: number;
  /** `TTM to Q2 FY2026` */
  basis: string;
  /** Quarter labels, newest first, and how each value was had. */
  quarters: { label: string; value: number; derived: boolean }[];
  source: Source;
}

/**
 * Diluted EPS over the last four fiscal quarters, or `undefined` when four consecutive quarters newer than the last
 * fiscal year (`latestYear`) are not all known. A quarter without its own EPS is derived only for Q4 (fiscal-year EPS
 * − Q1 − Q2 − Q3 of the same year).
 * @param quarters quarterly periods, any order. @param annual annual periods, any order.
 */
export function ttmDilutedEps(
  quarters: readonly StatementPeriod[],
  annual: readonly StatementPeriod[],
  latestYear: StatementPeriod,
): TtmEps | undefined {
  const q = [...quarters].filter((p) => p.fiscalQuarter).sort((a, b) => b.periodEnd.localeCompare(a.periodEnd));
  const newest = q[0];
  if (!newest || newest.periodEnd <= latestYear.periodEnd) return undefined;
  const eps = (fy: number, fq: number): { value: number; derived: boolean; source: Source } | undefined => {
    const p = q.find((x) => x.fiscalYear === fy && x.fiscalQuarter === fq);
    const own = p?.items.epsDiluted;
    if (own) return { value: own.value, derived: false, source: own.source };
    if (fq !== 4) return undefined;
    const year = annual.find((x) => x.fiscalYear === fy && x.fiscalQuarter === undefined)?.items.epsDiluted;
    const parts = [1, 2, 3].map((n) => q.find((x) => x.fiscalYear === fy && x.fiscalQuarter === n)?.items.epsDiluted);
    if (!year || parts.some((x) => x === undefined)) return undefined;
    const rest = parts.reduce((s, x) => s + (x?.value ?? 0), 0);
    return { value: year.value - rest, derived: true, source: year.source };
  };
  const used: TtmEps['quarters'] = [];
  let fy = newest.fiscalYear;
  let fq = newest.fiscalQuarter as number;
  let source: Source | undefined;
  for (let i = 0; i < 4; i++) {
    const e = eps(fy, fq);
    if (!e) return undefined;
    source ??= e.source;
    used.push({ label: `Q${fq} FY${fy}`, value: e.value, derived: e.derived });
    fq -= 1;
    if (fq === 0) {
      fq = 4;
      fy -= 1;
    }
  }
  const value = Math.round(used.reduce((s, x) => s + x.value, 0) * 10_000) / 10_000;
  return { value, basis: `TTM to ${newest.label}`, quarters: used, source: source as Source };
}
