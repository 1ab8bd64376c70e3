/**
 * Number formatting shared by every writer, and the number checker that proves a text states only figures.
 *
 * Writers print numbers only through these helpers, so the same value always reads the same way
 * ("$60.92B", "125.9%", "52.3x", "$214.72"). {@link unbackedNumbers} parses numbers back out of a text and matches
 * them against {@link Figure} values within the rounding their printed form implies.
 */
import type { Figure } from '../research/types.js';

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

/**
 * US dollars with a B/M/T/K scale: 60_922_000_000 → `$60.92B`, 845_300_000 → `$845.3M`, -3.2e9 → `-$3.20B`.
 * @param value amount in USD (whole dollars).
 */
export function formatUsd(value: number): string {
  const abs = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  if (abs >= 1e12) return `${sign}$${toFixedHalfUp(abs / 1e12, 2)}T`;
  if (abs >= 1e9) return `${sign}$${toFixedHalfUp(abs / 1e9, 2)}B`;
  if (abs >= 1e6) return `${sign}$${toFixedHalfUp(abs / 1e6, 1)}M`;
  if (abs >= 1e4) return `${sign}$${toFixedHalfUp(abs / 1e3, 1)}K`;
  return `${sign}$${groupThousands(toFixedHalfUp(abs, 0))}`;
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

/** A share count with a scale: 24_500_000 → `24.5M shares`. */
export function formatShares(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${toFixedHalfUp(value / 1e9, 2)}B shares`;
  if (abs >= 1e6) return `${toFixedHalfUp(value / 1e6, 1)}M shares`;
  return `${formatCount(value)} shares`;
}

/** An index-like reading (RSI, MACD histogram) with fixed decimals: 71.26 → `71.3`. */
export function formatIndex(value: number, decimals = 1): string {
  return toFixedHalfUp(value, decimals);
}

/** An ISO date as printed in reports (kept ISO, `YYYY-MM-DD`, so it is unambiguous). */
export function formatDate(iso: string): string {
  return iso.slice(0, 10);
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
 * Number-bearing names that are labels, not data: ISO dates, fiscal periods (FY2024, Q3), form names (8-K, 10-K,
 * Form 4), 8-K item codes ("item 2.02", "items 2.02, 5.02 and 9.01"), indicator names (SMA 50, RSI 14, MACD (12, 26,
 * 9), 52-week, 200-day, 1M/3M/1Y), and look-back windows ("last 90 days", "12 months"). Removed before checking.
 */
export const LABEL_PATTERNS: readonly RegExp[] = [
  /\b\d{4}-\d{2}-\d{2}\b/g,
  /\bFY\s?\d{4}\b/g,
  /\b[QH][1-4]\b/g,
  /\b(?:8|10)-[KQ](?:\/A)?\b/g,
  /\bForm [0-9]\b/g,
  /\bitems? \d{1,2}\.\d{2}(?:(?:,\s*|,? and |\/)\d{1,2}\.\d{2})*/gi,
  /\bSMA\s?\d+(?:\/\d+)*/g,
  /\bRSI\s?\(?14\)?/g,
  /\bMACD \(12, 26, 9\)/g,
  /\b\d+-(?:day|week|month|year|quarter)\b/g,
  /(?<![$\d.,])\b(?:1|3|6)M\b(?! shares)|(?<![$\d.,])\b1Y\b/g,
  /\b(?:last|past|over|prior|trailing) \d+ (?:days|months|years|quarters)\b/g,
  /\b\d+ months\b/g,
  /\b\d+ days to\b/g,
];

/** A number found in a text: its printed form, value in base units, and what kind of unit it was printed with. */
export interface PrintedNumber {
  raw: string;
  /** Absolute value in base units (USD, %, x, or plain). */
  value: number;
  /** Half a unit of the last printed digit, in base units: the rounding the printed form allows. */
  tolerance: number;
  kind: 'money' | 'percent' | 'multiple' | 'plain';
}

const SCALES: Record<string, number> = {
  t: 1e12,
  trillion: 1e12,
  b: 1e9,
  bn: 1e9,
  billion: 1e9,
  m: 1e6,
  million: 1e6,
  k: 1e3,
  thousand: 1e3,
};

const NUMBER_RE =
  /(\$)?(-)?(\d[\d,]*(?:\.\d+)?)(?:\s?(trillion|billion|million|thousand|bn|T|B|M|K)\b)?\s?(%|x\b|×)?(?:\s?(shares|days))?/g;

/**
 * Every number printed in `text`, after removing label patterns ({@link LABEL_PATTERNS}) and the `ignore` strings
 * (company name, ticker — "3M" is a name, not a number), each removed only where it stands as a whole word.
 */
export function extractNumbers(text: string, ignore: readonly string[] = []): PrintedNumber[] {
  let clean = text;
  for (const re of LABEL_PATTERNS) clean = clean.replace(re, ' ');
  for (const s of ignore) {
    if (!s) continue;
    const escaped = s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    clean = clean.replace(new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`, 'g'), ' ');
  }
  const out: PrintedNumber[] = [];
  for (const m of clean.matchAll(NUMBER_RE)) {
    const [raw, dollar, , digits = '', scaleWord, suffix] = m;
    const before = m.index > 0 ? clean[m.index - 1] : '';
    if (before && /[A-Za-z_]/.test(before)) continue; // part of a word or identifier
    const scale = scaleWord ? (SCALES[scaleWord.toLowerCase()] ?? 1) : 1;
    const decimals = digits.includes('.') ? (digits.split('.')[1]?.length ?? 0) : 0;
    const base = Number(digits.replace(/,/g, ''));
    const kind = dollar ? 'money' : suffix === '%' ? 'percent' : suffix ? 'multiple' : 'plain';
    out.push({ raw: raw.trim(), value: base * scale, tolerance: 0.5 * 10 ** -decimals * scale * 1.0001 + 1e-9, kind });
  }
  return out;
}

function unitFits(kind: PrintedNumber['kind'], unit: Figure['unit']): boolean {
  if (kind === 'money') return unit === 'USD' || unit === 'USD/share';
  if (kind === 'percent') return unit === '%';
  if (kind === 'multiple') return unit === 'x';
  return true;
}

/**
 * The numbers in `text` that no figure backs: a printed number is backed when some figure of a fitting unit has the
 * same absolute value within the printed rounding (`$60.92B` backs 60,922,000,000 USD; `125.9%` backs 125.88 %).
 * @returns the raw printed forms of unbacked numbers (empty when every number is true).
 */
export function unbackedNumbers(text: string, figures: readonly Figure[], ignore: readonly string[] = []): string[] {
  return extractNumbers(text, ignore)
    .filter(
      (n) => !figures.some((f) => unitFits(n.kind, f.unit) && Math.abs(Math.abs(f.value) - n.value) <= n.tolerance),
    )
    .map((n) => n.raw);
}
