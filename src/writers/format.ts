/**
 * Number formatting shared by every writer, and the check that a text states only figures.
 *
 * Writers print numbers only through these helpers, so the same value always reads the same way
 * ("$60.92B", "125.9%", "52.3x", "$214.72"). {@link unbackedNumbers} reads numbers back out of a text (with the
 * number check's extractor in `verify/`) and matches them against {@link Figure} values within the rounding their
 * printed form implies.
 */
import type { Figure } from '../research/types.js';
import { buildReference, extractNumbers, isBacked, type Reference } from './verify/index.js';

/**
 * `value` with `decimals` places, rounding halves away from zero on the decimal value as written (81.615 → `81.62`,
 * where `Number.prototype.toFixed` gives `81.61` because of binary representation).
 */
export function toFixedHalfUp(value: number, decimals: number): string {
  const sign = value < 0 ? -1 : 1;
  const abs = Math.abs(value);
  const rounded = String(abs).includes('e')
    ? Math.round(abs * 10 ** decimals) / 10 ** decimals
    : Number(`${Math.round(Number(`${abs}e${decimals}`))}e-${decimals}`);
  return (sign * rounded).toFixed(decimals);
}

/** One unit of a scaled amount: printed as value ÷ `divisor` with `decimals`, from `from` up. */
interface Scale {
  divisor: number;
  /** Smallest amount printed in this unit (only the smallest unit's matters: the others follow on). */
  from: number;
  suffix: string;
  decimals: number;
}

/**
 * `abs` in the unit it reaches *after rounding*, scales smallest first: a value that rounds to 1,000 of one unit is
 * printed in the next (999_960_000 → `1.00B`, not `1000.0M`). Undefined when `abs`, rounded to a whole number, is
 * below the smallest unit's `from`.
 */
export function scaledAmount(abs: number, scales: readonly Scale[]): string | undefined {
  const smallest = scales[0];
  if (!smallest || Number(toFixedHalfUp(abs, 0)) < smallest.from) return undefined;
  for (const [i, scale] of scales.entries()) {
    const text = toFixedHalfUp(abs / scale.divisor, scale.decimals);
    if (Number(text) < 1000 || i === scales.length - 1) return `${text}${scale.suffix}`;
  }
  return undefined;
}

const USD_SCALES: readonly Scale[] = [
  { divisor: 1e3, from: 1e4, suffix: 'K', decimals: 1 },
  { divisor: 1e6, from: 1e6, suffix: 'M', decimals: 1 },
  { divisor: 1e9, from: 1e9, suffix: 'B', decimals: 2 },
  { divisor: 1e12, from: 1e12, suffix: 'T', decimals: 2 },
];

/**
 * US dollars with a T/B/M/K scale chosen after rounding: 60_922_000_000 → `$60.92B`, 845_300_000 → `$845.3M`,
 * 999_960_000 → `$1.00B` (never `$1000.0M`), -3.2e9 → `-$3.20B`; below $10,000 whole dollars with separators.
 * @param value amount in USD (whole dollars).
 */
export function formatUsd(value: number): string {
  const abs = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  const scaled = scaledAmount(abs, USD_SCALES);
  return scaled ? `${sign}$${scaled}` : `${sign}$${groupThousands(toFixedHalfUp(abs, 0))}`;
}

/** `1829.54` → `1,829.54`: thousands grouped with commas, the decimals kept. */
function groupThousands(digits: string): string {
  const [whole = '', frac] = digits.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** A per-share price or amount in USD with cents: 214.72 → `$214.72`, 1829.54 → `$1,829.54`. */
export function formatPerShare(value: number): string {
  const sign = value < 0 ? '-' : '';
  return `${sign}$${groupThousands(toFixedHalfUp(Math.abs(value), 2))}`;
}

/**
 * A percentage (the value is already in percent: 12.5 means 12.5 %).
 * @param options.signed prefix `+` to positive values (growth, returns). @default false
 * @param options.decimals @default 1
 */
export function formatPct(value: number, options: { signed?: boolean; decimals?: number } = {}): string {
  const text = `${toFixedHalfUp(value, options.decimals ?? 1)}%`;
  return options.signed && value > 0 ? `+${text}` : text;
}

/**
 * A multiple such as P/E or debt/equity: 52.345 → `52.3x`; below 1 with two decimals: 0.047 → `0.05x`.
 * @param decimals @default 1 (2 when |value| < 1)
 */
export function formatMultiple(value: number, decimals = Math.abs(value) < 1 ? 2 : 1): string {
  return `${toFixedHalfUp(value, decimals)}x`;
}

/** A whole count with thousands separators: 1234 → `1,234`. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

const SHARE_SCALES: readonly Scale[] = [
  { divisor: 1e6, from: 1e6, suffix: 'M', decimals: 1 },
  { divisor: 1e9, from: 1e9, suffix: 'B', decimals: 2 },
];

/** A share count with a scale chosen after rounding: 24_500_000 → `24.5M shares`, 999_960_000 → `1.00B shares`. */
export function formatShares(value: number): string {
  const scaled = scaledAmount(Math.abs(value), SHARE_SCALES);
  return scaled ? `${value < 0 ? '-' : ''}${scaled} shares` : `${formatCount(value)} shares`;
}

/** An index-like reading (RSI, MACD histogram) with fixed decimals: 71.26 → `71.3`. */
export function formatIndex(value: number, decimals = 1): string {
  return toFixedHalfUp(value, decimals);
}

/**
 * A figure's value in its unit: USD → {@link formatUsd}, USD/share → {@link formatPerShare}, % → {@link formatPct},
 * x → {@link formatMultiple}, count/days → whole numbers, shares → {@link formatShares}, index → 1 decimal
 * (2 when |value| < 10).
 */
export function formatFigure(figure: Pick<Figure, 'value' | 'unit'>, options: { signed?: boolean } = {}): string {
  const v = figure.value;
  switch (figure.unit) {
    case 'USD':
      return formatUsd(v);
    case 'USD/share':
      return formatPerShare(v);
    case '%':
      return formatPct(v, options);
    case 'x':
      return formatMultiple(v);
    case 'count':
      return formatCount(v);
    case 'days':
      return `${formatCount(v)} days`;
    case 'shares':
      return formatShares(v);
    case 'index':
      return formatIndex(v, Math.abs(v) < 10 ? 2 : 1);
    case 'date':
      return formatCount(v);
  }
}

/**
 * The numbers in `text` that no figure backs, as printed (`$60.8B`): the writers' own number check, read with the
 * same grammar and reference as the Claude writer's check (`verify/`: labels such as FY2024, 8-K, SMA 50, 52-week,
 * small counts and years are skipped; a number printed in a figure's label, such as RSI 14, is backed; dates are
 * labels here). Stricter than that check: a number must match one of `figures` itself, within its printed rounding
 * and of a fitting unit (`$60.92B` backs 60,922,000,000 USD, `125.9%` backs 125.88 %); values the check derives
 * from figures (growth between periods, shares of revenue) back nothing.
 * @param ignore names that contain digits (company name, ticker).
 * @returns the raw printed forms of unbacked numbers (empty when every number is a figure).
 */
export function unbackedNumbers(text: string, figures: readonly Figure[], ignore: readonly string[] = []): string[] {
  const all = buildReference(figures);
  const reference: Reference = { ...all, values: all.values.filter((v) => !v.name.startsWith('derived:')) };
  return extractNumbers(text, ignore)
    .filter((n) => n.kind !== 'date' && !isBacked(n, reference))
    .map((n) => n.text);
}
