/**
 * Checks a live daily series must pass before it is answered, so that a broken series passes to the next price
 * provider (with a note naming what was wrong) instead of reaching the technicals: a run of missing NYSE sessions
 * (Yahoo leaves nulls, a source drops weeks), and a one-day jump by a split ratio with no split event to explain it
 * (a split the source applied to neither side). Bars oldest first, closes in USD.
 */
import { tradingDaysBetween } from '../../market-calendar.js';
import type { PriceBar } from '../shapes.js';
import type { Split } from './daily-series.js';

/** The most NYSE sessions in a row a live series may lack (a holiday the calendar table does not know, a halt). */
export const MAX_MISSING_SESSIONS = 5;

/** Largest split ratio recognised in a jump (N-for-1 or 1-for-N). */
const MAX_SPLIT_RATIO = 50;

/** How close a one-day move must be to N (or 1/N) to read as an unapplied N-for-1 split: within 3 %. */
const SPLIT_TOLERANCE = 0.03;

/**
 * The first run of more than {@link MAX_MISSING_SESSIONS} NYSE sessions missing between two bars, in words
 * (`a gap of 40 sessions between 2026-05-29 and 2026-07-28`), or `undefined` when there is none.
 */
export function sessionGap(bars: readonly PriceBar[]): string | undefined {
  for (let i = 1; i < bars.length; i++) {
    const from = (bars[i - 1] as PriceBar).date;
    const to = (bars[i] as PriceBar).date;
    const missing = tradingDaysBetween(from, to) - 1;
    if (missing > MAX_MISSING_SESSIONS) return `a gap of ${missing} sessions between ${from} and ${to}`;
  }
  return undefined;
}

/** The whole N (2…50) that `ratio` or its inverse is within {@link SPLIT_TOLERANCE} of, signed: 4 → 4, 0.25 → -4. */
function splitRatioOf(ratio: number): number | undefined {
  for (const [r, sign] of [
    [ratio, 1],
    [1 / ratio, -1],
  ] as const) {
    const n = Math.round(r);
    if (n >= 2 && n <= MAX_SPLIT_RATIO && Math.abs(r / n - 1) <= SPLIT_TOLERANCE) return sign * n;
  }
  return undefined;
}

/**
 * The first one-day close-to-close move by a split ratio (×N or ÷N, N 2…50) on a day with no split event, in words
 * (`a one-day move from $1,237.40 to $309.35 on 2026-07-10, as a 4-for-1 split left unapplied would make`), or
 * `undefined`. Call it on bars after {@link applyUnadjustedSplits}: a split the source names is already handled.
 */
export function unexplainedSplitJump(bars: readonly PriceBar[], splits: readonly Split[]): string | undefined {
  const splitDays = new Set(splits.map((s) => s.date));
  for (let i = 1; i < bars.length; i++) {
    const before = bars[i - 1] as PriceBar;
    const on = bars[i] as PriceBar;
    if (splitDays.has(on.date) || !(before.close > 0) || !(on.close > 0)) continue;
    const n = splitRatioOf(before.close / on.close);
    if (n === undefined) continue;
    const split = n > 0 ? `${n}-for-1 split` : `1-for-${-n} reverse split`;
    return `a one-day move from $${usd(before.close)} to $${usd(on.close)} on ${on.date}, as a ${split} left unapplied would make`;
  }
  return undefined;
}

function usd(x: number): string {
  return x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
