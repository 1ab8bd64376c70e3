/**
 * What a follow-up question asks, read with a small matcher over a fixed vocabulary ({@link TERMS}): a comparison
 * with another ticker, what changed since the last report, figures by name (and period), or nothing it can answer.
 * Pure: the ticker directory is passed in. A number in the question is never read as data.
 */
import { tickersInText } from '../../ticker-words.js';
import { CHANGE_WORDS, COMPARE_WORDS, FIGURE_WORDS, TERMS, type Term } from './vocabulary.js';

/** Which period of a per-period figure (revenue by fiscal year) the question asks for. */
export type PeriodAsk =
  /** A named period: `FY2025`, `Q2 FY2026`. */
  | { kind: 'named'; label: string }
  /** The one before the newest ("last year", "previous year"). */
  | { kind: 'previous' }
  /** Every period the report has ("trend", "over time", "year over year"). */
  | { kind: 'all' }
  /** The newest (nothing said). */
  | { kind: 'latest' };

/** What a question asks. */
export type Intent =
  | { kind: 'comparison'; others: string[]; unlisted: string[] }
  | { kind: 'changes' }
  | { kind: 'figure'; terms: Term[]; period: PeriodAsk; hasNumbers: boolean }
  | { kind: 'help'; reason: 'empty' | 'not-understood' };

const BY_LENGTH = [...TERMS].sort((a, b) => b.phrase.length - a.phrase.length);

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const TERM_RES = BY_LENGTH.map((term) => ({
  term,
  re: new RegExp(`(?<![a-z0-9/])${escapeRe(term.phrase)}(?![a-z0-9/])`, 'g'),
}));

/** Slack emoji codes (`:rocket:`) and pictographs. */
const EMOJI = /:[a-z0-9_+'-]+:|\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200d|\uFE0F/gu;

/** The vocabulary terms `text` (lower case) uses, in the order written; longer phrases win over their parts. */
export function termsIn(text: string): Term[] {
  let rest = text.toLowerCase();
  const found: { at: number; term: Term }[] = [];
  for (const { term, re } of TERM_RES) {
    rest = rest.replace(re, (match, at: number) => {
      found.push({ at, term });
      return ' '.repeat(match.length);
    });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.term);
}

/** The period a question names, if any. */
export function periodIn(text: string): PeriodAsk {
  const fiscal = /\b(?:q([1-4])\s*)?(?:fy|fiscal(?: year)?)\s*'?(\d{4}|\d{2})\b/i.exec(text);
  if (fiscal) {
    const digits = fiscal[2] as string;
    const year = digits.length === 2 ? `20${digits}` : digits;
    return { kind: 'named', label: fiscal[1] ? `Q${fiscal[1]} FY${year}` : `FY${year}` };
  }
  const quarter = /\bq([1-4])\s*(20\d{2})\b/i.exec(text);
  if (quarter) return { kind: 'named', label: `Q${quarter[1]} FY${quarter[2]}` };
  const year = /\b(?:in |for |of )?(20\d{2})\b/.exec(text);
  if (year) return { kind: 'named', label: `FY${year[1]}` };
  if (
    /\b(trend|over time|history|historical|each year|every year|year over year|yoy|over the (last )?(years|few years)|compared? (with|to) last year|vs\.? last year|versus last year)\b/i.test(
      text,
    )
  ) {
    return { kind: 'all' };
  }
  if (/\b(last|previous|prior) (fiscal )?year\b|\ba year (ago|earlier)\b/i.test(text)) return { kind: 'previous' };
  return { kind: 'latest' };
}

/**
 * Read `text` (mentions already removed) asked in the thread of a report on `ticker`.
 * @param known tickers the data sources cover (to tell `AMD` the company from `RSI` the indicator).
 */
export function readIntent(text: string, ticker: string, known?: ReadonlySet<string>): Intent {
  const plain = text.replace(EMOJI, ' ').replace(/\s+/g, ' ').trim();
  if (!/[\p{L}\p{N}]/u.test(plain)) return { kind: 'help', reason: 'empty' };
  if (/^(help|\?+|hi|hello|hey|usage|what can you (do|answer)\??)$/i.test(plain))
    return { kind: 'help', reason: 'empty' };
  const named = tickersInText(plain, known, FIGURE_WORDS);
  const others = named.tickers.filter((t) => t !== ticker);
  const compare = COMPARE_WORDS.test(plain);
  const unlisted = compare ? named.unlisted.filter((t) => t !== ticker) : [];
  if (others.length > 0 || unlisted.length > 0) return { kind: 'comparison', others, unlisted };
  if (CHANGE_WORDS.test(plain)) return { kind: 'changes' };
  const terms = termsIn(plain);
  if (terms.length > 0) {
    return {
      kind: 'figure',
      terms,
      period: periodIn(plain),
      hasNumbers: /\d/.test(plain.replace(/\b(q[1-4]|fy\s*'?\d{2,4}|20\d{2}|52|50|200)\b/gi, '')),
    };
  }
  return { kind: 'help', reason: 'not-understood' };
}
