/**
 * Number extraction for the number check: finds every amount, percentage, multiple, plain number and date printed in
 * a Markdown text, with its unit, scale and printed precision, and its offsets so it can be marked in place.
 *
 * Rules (what is NOT checked, because it is a label rather than data):
 * - fiscal and calendar labels: `FY2024`, `FY 24`, `Q3`, `H1`, `fiscal 2025`, `CY2026`, and bare years 1900–2100
 *   printed without currency, unit, decimals or separators;
 * - form and item names: `8-K`, `10-Q`, `Form 4`, `Item 2.02`, `items 2.02 and 9.01`;
 * - indicator parameters and look-back windows: `SMA50`, `SMA 200` (usual windows 5–200 only), `RSI (14)`, `MACD (12, 26, 9)`, `52-week`,
 *   `200-day`, `30 days`, `12 months`, `1Y`, `3M` (a window, not three million, when no currency is attached);
 * - small ordinals and counts: plain integers 0–10 with no currency, unit or scale ("three of four analysts",
 *   "2 risks");
 * - Markdown list markers (`1.` or `2)` at the start of a line) and numbers glued to letters (`S&P500`, `H100`);
 * - the strings passed in `ignore` (the company name, the ticker: "3M" is a name).
 * - index and form names: `S&P 500`, `Nasdaq-100`, `Russell 2000`, `Fortune 500`, `DEF 14A`, `Rule 10b5-1`,
 *   `Section 16`, `Schedule 13D`, `13F`;
 * - split ratios, ranks and fiscal-year spans: `10-for-1`, `top 20`, `2024/25`, `24/7`, `50/200-day`;
 * - model and product names: a whole number right after an upper-case name (`RTX 5090`, `CUDA 12`), unless the name
 *   is a metric (`RSI 71`, `EPS 5` are checked); a number glued to a word by a hyphen (`COVID-19`, `GPT-4`).
 * Numbers written in words ("nine hundred ninety-nine billion dollars", "sixty percent", "fifty-eight analysts") are
 * read by `number-words.ts` and returned like digits, within the precision of their last word.
 * Dates (ISO `2026-08-21`, `Aug 21, 2026`, `21 August 2026`, `August 2026`, `May 28`) are returned with kind `date` and are
 * checked against the known dates of the data, not against figure values.
 */

import { findWordNumbers, type WordNumber } from './number-words.js';

/** How a number was printed. */
export type NumberKind = 'amount' | 'percent' | 'multiple' | 'plain' | 'date';

/** One number found in a text. */
export interface ExtractedNumber {
  /** The exact printed slice, e.g. `$60.9 billion`, `61%`, `45x`, `2026-08-21`. */
  text: string;
  /** Offsets of {@link text} in the input (end exclusive). */
  start: number;
  end: number;
  kind: NumberKind;
  /** Value in base units: USD for amounts (scale applied), percent for percentages, a multiple for `x`. */
  value: number;
  /** True when a currency sign or word was printed (`$`, `USD`, `dollars`). */
  currency: boolean;
  /** Scale word factor: 1, 1e3, 1e6, 1e9, 1e12. */
  scale: number;
  /** Digits printed after the decimal point. */
  decimals: number;
  /** Half a unit of the last printed digit, in base units: the rounding the printed form allows. */
  tolerance: number;
  /** For dates: `YYYY-MM-DD`, `YYYY-MM` when only a month and year were printed, `MM-DD` for a day without a year. */
  date?: string;
}

const MONTHS =
  'Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?';
const MONTH_INDEX = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const DATE_PATTERNS: readonly { re: RegExp; parse: (m: RegExpMatchArray) => string }[] = [
  { re: /\b(\d{4})-(\d{2})-(\d{2})\b/g, parse: (m) => `${m[1]}-${m[2]}-${m[3]}` },
  // US numeric dates: 8/21/2026
  {
    re: /\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/g,
    parse: (m) => `${m[3]}-${(m[1] ?? '').padStart(2, '0')}-${(m[2] ?? '').padStart(2, '0')}`,
  },
  {
    re: new RegExp(`\\b(${MONTHS})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'gi'),
    parse: (m) => isoDate(m[3], m[1], m[2]),
  },
  {
    re: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(${MONTHS})\\.?,?\\s+(\\d{4})\\b`, 'gi'),
    parse: (m) => isoDate(m[3], m[2], m[1]),
  },
  { re: new RegExp(`\\b(${MONTHS})\\.?,?\\s+(\\d{4})\\b`, 'gi'), parse: (m) => isoDate(m[2], m[1]) },
  {
    re: new RegExp(`\\b(${MONTHS})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?!,?\\s*\\d{4})`, 'gi'),
    parse: (m) => isoDate('', m[1], m[2]).slice(1),
  },
];

function isoDate(year = '', month = '', day?: string): string {
  const mm = String(MONTH_INDEX.indexOf(month.slice(0, 3).toLowerCase()) + 1).padStart(2, '0');
  return day === undefined ? `${year}-${mm}` : `${year}-${mm}-${day.padStart(2, '0')}`;
}

/** Labels removed before numbers are read (see the module comment). */
export const LABELS: readonly RegExp[] = [
  /\b(?:FY|CY)\s?'?\d{2,4}\b/gi,
  /\bfiscal(?: year)?\s+\d{4}\b/gi,
  /\b[QH][1-4]\b/g,
  /\b\d{1,2}-[KQ](?:\/A)?\b/g,
  /\bForm\s+\d+\b/gi,
  /\b(?:S&P|Fortune)\s?500\b|\bNasdaq[-\s]?100\b|\bRussell\s?[123]000\b|\bDEF\s?14A\b|\bRule\s10b5-1\b/gi,
  /\b(?:Section|Schedule|Rule|Regulation)\s+\d+[A-Za-z]?\b/g,
  /\b\d+[-\s]for[-\s]\d+\b/gi,
  /\btop[-\s]\d{1,3}\b/gi,
  /\b(?:19|20)\d{2}\/\d{2}\b|\b24\/7\b/g,
  /\b\d+(?:\/\d+)+[-\s](?:day|week|month)s?\b/gi,
  /\bitems?\s+\d{1,2}\.\d{2}(?:(?:,\s*|,?\s+and\s+|\/)\d{1,2}\.\d{2})*/gi,
  /\b(?:SMA|EMA|MA)[-\s]?\(?(?:5|10|20|50|100|150|200)(?:\/(?:5|10|20|50|100|150|200))*\)?(?![\d.,])/g,
  /\bRSI[-\s]?\(?(?:7|9|14|21)\)?(?![\d.,])/g,
  /\bMACD\s*\(\s*\d+\s*,\s*\d+\s*,\s*\d+\s*\)/g,
  /\b\d+(?:[-\s](?:day|week|month|quarter|year|yr))s?\b/gi,
];

const SCALES: Record<string, number> = {
  thousand: 1e3,
  k: 1e3,
  million: 1e6,
  mn: 1e6,
  mm: 1e6,
  m: 1e6,
  billion: 1e9,
  bn: 1e9,
  b: 1e9,
  trillion: 1e12,
  tn: 1e12,
  t: 1e12,
};

const NUMBER_RE = /(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)/g;
const PREFIX_RE = /(?:(US\$\s?|\$|USD\s?)|([-−–]))?(?:(US\$\s?|\$|USD\s?)|([-−–]))?$/;
const SUFFIX_RE =
  /^(\s?(trillion|billion|million|thousand|bn|tn|mn|mm|[KMBT])\b)?(\s?(USD|dollars)\b)?(\s?(%|percent\b|per cent\b|pct\b|percentage points?\b|pp\b|bps?\b|basis points?\b|x(?![A-Za-z0-9])|×|times\b))?/i;

/**
 * Upper-case names before a number that make it a reading of data, not a model or version (`RSI 71`, `EPS 5`);
 * any other upper-case name before a whole number makes it part of a name (`RTX 5090`, `CUDA 12`, `GB 200`).
 */
// biome-ignore format: a word list
const METRIC_NAMES = new Set([
  'RSI', 'EPS', 'MACD', 'ATR', 'ADX', 'SMA', 'EMA', 'MA', 'EBITDA', 'EBIT', 'FCF', 'ROE', 'ROA', 'ROIC', 'PE', 'PEG',
  'EV', 'TTM', 'LTM', 'YOY', 'QOQ', 'YTD', 'USD', 'CAGR', 'GAAP', 'NTM', 'DPS', 'BPS',
]);

function blank(text: string, start: number, end: number): string {
  return text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
}

/**
 * Every checkable number in `markdown` (labels, years, small ordinals and windows skipped; see the module comment).
 * @param ignore literal strings to skip (company name, ticker).
 * @returns numbers in text order.
 */
export function extractNumbers(markdown: string, ignore: readonly string[] = []): ExtractedNumber[] {
  let work = markdown;
  const out: ExtractedNumber[] = [];
  for (const s of ignore) {
    if (!s) continue;
    for (let i = work.indexOf(s); i >= 0; i = work.indexOf(s, i + s.length)) work = blank(work, i, i + s.length);
  }
  for (const { re, parse } of DATE_PATTERNS) {
    for (const m of work.matchAll(re)) {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      const date = parse(m);
      out.push({
        text: m[0],
        start,
        end,
        kind: 'date',
        value: Number.NaN,
        currency: false,
        scale: 1,
        decimals: 0,
        tolerance: 0,
        date,
      });
      work = blank(work, start, end);
    }
  }
  for (const re of LABELS) work = work.replace(re, (s) => ' '.repeat(s.length));
  for (const m of work.matchAll(NUMBER_RE)) {
    const n = readNumber(markdown, work, m);
    if (n) out.push(n);
  }
  for (const w of findWordNumbers(work)) {
    const n = fromWords(markdown, w);
    if (n) out.push(n);
  }
  return out.sort((a, b) => a.start - b.start);
}

/** A number written in words as an extracted number (small counts 0–10 without a unit are skipped, as digits). */
function fromWords(original: string, w: WordNumber): ExtractedNumber | undefined {
  if (!w.unit && w.scale === 1 && w.decimals === 0 && w.value <= 10) return undefined;
  const kind: NumberKind =
    w.unit === 'percent' ? 'percent' : w.unit === 'times' ? 'multiple' : w.unit || w.scale > 1 ? 'amount' : 'plain';
  const unitStep = w.decimals > 0 ? 10 ** -w.decimals : w.precision;
  return {
    text: original.slice(w.start, w.end),
    start: w.start,
    end: w.end,
    kind,
    value: w.value,
    currency: w.unit === 'dollars',
    scale: w.scale,
    decimals: w.decimals,
    tolerance: 0.5 * unitStep * (1 + 1e-9) + 1e-9,
  };
}

function readNumber(original: string, work: string, m: RegExpMatchArray): ExtractedNumber | undefined {
  const digits = m[1] ?? '';
  const at = m.index ?? 0;
  const before = work[at - 1] ?? '';
  const after = work.slice(at + digits.length);
  if (/[A-Za-z_.\d]/.test(before)) return undefined; // glued to a word (H100, S&P500) or part of a dotted code
  if (/^[A-Za-z]{2,}/.test(after) && !/^(?:bn|tn|mn|mm|bps?\b|pp\b|pct\b|x\b)/i.test(after)) return undefined; // 3rd, 4nm
  if (/^[A-Za-z](?![A-Za-z])/.test(after) && !/^[KMBTkmbtxX]/.test(after)) return undefined; // 13F, 5G, 13D
  const lineStart = work.lastIndexOf('\n', at) + 1;
  if (/^\s*$/.test(work.slice(lineStart, at)) && /^[.)]\s/.test(after)) return undefined; // list marker
  const pre = work.slice(Math.max(0, at - 6), at).match(PREFIX_RE);
  const preText = pre?.[0] ?? '';
  const currency = Boolean(pre?.[1] || pre?.[3]);
  const negative =
    Boolean(pre?.[2] || pre?.[4]) &&
    !/[\w)]$/.test(work.slice(Math.max(0, at - preText.length - 1), at - preText.length));
  const suf = after.match(SUFFIX_RE);
  const scaleWord = suf?.[2];
  const scale = scaleWord ? (SCALES[scaleWord.toLowerCase()] ?? 1) : 1;
  const currencyWord = Boolean(suf?.[4]);
  const unit = (suf?.[6] ?? '').toLowerCase();
  const plainInt = !digits.includes('.') && !digits.includes(',');
  const base = Number(digits.replace(/,/g, ''));
  const hasCurrency = currency || currencyWord;
  const lead = work.slice(Math.max(0, at - 64), at); // what precedes the number (a bounded window: linear time)
  const name = lead.match(/(?:^|[^A-Za-z0-9&/])([A-Z][A-Za-z]*[A-Z][A-Za-z]*) $/)?.[1];
  if (/[A-Za-z]-$/.test(lead) && !hasCurrency && !suf?.[0] && !preText.includes('$')) {
    return undefined; // glued to a word by a hyphen: COVID-19, GPT-4 (not `down-12%`)
  }
  if (name && !METRIC_NAMES.has(name.toUpperCase()) && !hasCurrency && !suf?.[0] && plainInt && !preText) {
    return undefined; // a model or version number: RTX 5090, CUDA 12
  }
  if (!hasCurrency && !unit && scale === 1 && plainInt) {
    if (base <= 10) return undefined; // small ordinal or count
    if (base >= 1900 && base <= 2100 && digits.length === 4) return undefined; // a year
  }
  if (!hasCurrency && !unit && scale !== 1 && /^[KMBT]$/.test(scaleWord ?? '') && plainInt && base <= 12) {
    // "3M", "6M" without a currency are windows; a real amount is printed with `$`.
    return undefined;
  }
  const decimals = digits.includes('.') ? (digits.split('.')[1]?.length ?? 0) : 0;
  let kind: NumberKind = hasCurrency || scale !== 1 ? 'amount' : 'plain';
  let factor = scale;
  if (/^(%|percent|per cent|pct|percentage points?|pp)$/.test(unit)) kind = 'percent';
  else if (/^(bps?|basis points?)$/.test(unit)) {
    kind = 'percent';
    factor = 0.01;
  } else if (unit) kind = 'multiple';
  const start = at - preText.length;
  const end = at + digits.length + (suf?.[0]?.length ?? 0);
  const sign = negative ? -1 : 1;
  return {
    text: original.slice(start, end),
    start,
    end,
    kind,
    value: sign * base * factor,
    currency: hasCurrency,
    scale,
    decimals,
    tolerance: 0.5 * 10 ** -decimals * factor * (1 + 1e-9) + 1e-9,
  };
}
