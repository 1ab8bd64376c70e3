/**
 * The claim check: a printed number is true only when a figure backs it for the metric, the period and the direction
 * its sentence states — not merely when the value exists somewhere in the bundle. Pure functions; a whole report
 * takes well under 5 ms (`npm run bench` measures it).
 *
 * For each number (`extract.ts` decides what is a number and what is a label), in its clause (the sentence cut at
 * `,` `;` `:` `(` `)` and dashes), else in its whole sentence:
 * - **metric**: the metric phrases named there (from the figures' labels and a small alias table, `vocabulary.ts`)
 *   that have a value of a unit the number's printed form allows. The number must be a value of one of those metrics
 *   (a figure, or a value derived from it: its growth, its change in points, its share of revenue). When no such
 *   phrase is named, any figure of a fitting unit backs it (the number check's rule).
 * - **period**: the fiscal periods named there (`FY2026`, `fiscal 2026`, `FY26`, `Q1 FY2027`, "last year" = the latest
 *   fiscal year, "the latest quarter"); when none is named, the metric's latest fiscal year or quarter. Values that
 *   carry a date or a window rather than a fiscal period (a price, a return) fit any period.
 * - **direction**: a direction word governing the number — before it in its clause with at most four words between
 *   (`grew 65.5%`, `rose by 1.9%`), or right after it (`19.1% above`) — or its printed sign (`-9.2%`, `+41.6%`), must
 *   agree with the sign of a change value it matches (growth, change, return, upside, drawdown, gap to an average).
 *   Levels (a margin that "fell to 71.1%") have no direction.
 * Dates are checked as by the number check (a known date).
 */
import type { Figure, FigureUnit } from '../../research/types.js';
import { type ExtractedNumber, extractNumbers } from './extract.js';
import { dateKnown, unitFits, valueWithin } from './match.js';
import { buildReference, type Reference, type ReferenceValue } from './reference.js';
import {
  buildVocabulary,
  type DirectionWord,
  findDirections,
  findMentions,
  findPeriods,
  isQuarter,
  latestPeriods,
  type Mention,
  type PeriodMention,
  periodTokens,
  type Vocabulary,
} from './vocabulary.js';

/** What is wrong with a printed number. */
export type ClaimProblem = 'value' | 'metric' | 'period' | 'direction';

/** A printed number that no figure backs as stated. */
export interface ClaimFinding {
  /** The printed slice, e.g. `$130.50B`. */
  text: string;
  /** Offsets of {@link text} in the checked text (end exclusive). */
  start: number;
  end: number;
  problem: ClaimProblem;
  /** Plain words for the rewrite prompt and the log, e.g. `"$130.50B" is Revenue of FY2025, not of FY2026`. */
  reason: string;
}

interface ClaimValue extends ReferenceValue {
  /** Fiscal periods of the value (`[]` for a date or a window: fits any period). */
  tokens: readonly string[];
  /** True when the value is of its metric's latest fiscal year or quarter. */
  latest: boolean;
}

/** What the claim check compares against. Build once per run with {@link buildClaimReference}. */
export interface ClaimReference {
  /** The number check's reference (values, derived values, dates, label numbers). */
  numbers: Reference;
  values: readonly ClaimValue[];
  vocabulary: Vocabulary;
  /** The latest fiscal year and quarter of the data ("last year", "the latest quarter"). */
  latest: { year?: string; quarter?: string };
}

/**
 * Build the claim reference from figures.
 * @param dates extra known dates (see `buildReference`).
 */
export function buildClaimReference(figures: readonly Figure[], dates: readonly string[] = []): ClaimReference {
  const numbers = buildReference(figures, dates);
  const labels = new Map<string, string>();
  for (const f of figures) if (!labels.has(f.name)) labels.set(f.name, f.label);
  const byMetric = new Map<string, string[]>();
  const all: string[] = [];
  for (const v of numbers.values) {
    const tokens = periodTokens(v.period);
    all.push(...tokens);
    const key = v.metrics[0] ?? v.name;
    byMetric.set(key, [...(byMetric.get(key) ?? []), ...tokens]);
  }
  const latestOf = new Map([...byMetric].map(([k, t]) => [k, latestPeriods(t)]));
  const values = numbers.values.map((v): ClaimValue => {
    const tokens = periodTokens(v.period);
    const l = latestOf.get(v.metrics[0] ?? v.name) ?? {};
    return { ...v, tokens, latest: tokens.some((t) => t === (isQuarter(t) ? l.quarter : l.year)) };
  });
  return { numbers, values, vocabulary: buildVocabulary(labels), latest: latestPeriods(all) };
}

/**
 * Where a sentence ends: a newline, or `.` `!` `?` followed by a space and an upper-case letter or a Markdown marker,
 * or by a space and a digit or `$` unless after an abbreviation (`Aug. 21`, `vs. 12%`, `No. 1`); so `U.S. sales` and
 * `60.9` end none. The Claude writer releases streamed text at these boundaries.
 */
export const SENTENCE_BOUNDARY =
  /\n|[.!?](?=[ \t]+[A-Z*_\-#>"“([`])|(?<!\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|No|no|approx|ca|Fig|p|pp|U\.S))[.!?](?=[ \t]+[0-9$])/g;
const CLAUSE = /[;:()]|,\s|\s[—–-]\s|—/g;

/** Spans `[start, end)` of `text` cut at each match of `re`. */
function spans(text: string, re: RegExp, from = 0, to = text.length): [number, number][] {
  const out: [number, number][] = [];
  let at = from;
  const part = text.slice(from, to);
  for (const m of part.matchAll(re)) {
    const cut = from + (m.index ?? 0) + m[0].length;
    out.push([at, cut]);
    at = cut;
  }
  if (at < to) out.push([at, to]);
  return out;
}

const inside = (x: { start: number; end: number }, [a, b]: [number, number]) => x.start >= a && x.end <= b;

interface Context {
  mentions: Mention[];
  periods: PeriodMention[];
  directions: DirectionWord[];
}

const UNITS = new WeakMap<ReadonlySet<string>, FigureUnit[]>();

/** The units of the values of some metrics (cached per vocabulary entry). */
function unitsOf(metrics: ReadonlySet<string>, ref: ClaimReference): FigureUnit[] {
  let units = UNITS.get(metrics);
  if (!units) {
    const found = new Set<FigureUnit>();
    for (const v of ref.values) if (v.metrics.some((x) => metrics.has(x))) found.add(v.unit);
    units = [...found];
    UNITS.set(metrics, units);
  }
  return units;
}

/** The metrics named in a span that have a value of a fitting unit (`undefined` when none). */
function namedMetrics(
  n: ExtractedNumber,
  span: [number, number],
  ctx: Context,
  ref: ClaimReference,
): { metrics: Set<string>; phrases: string[] } | undefined {
  const metrics = new Set<string>();
  const phrases: string[] = [];
  for (const m of ctx.mentions) {
    if (!inside(m, span) || (m.start < n.end && m.end > n.start)) continue;
    if (!unitsOf(m.metrics, ref).some((unit) => unitFits(n, { unit }))) continue;
    for (const x of m.metrics) metrics.add(x);
    if (!phrases.includes(m.phrase)) phrases.push(m.phrase);
  }
  return metrics.size > 0 ? { metrics, phrases } : undefined;
}

/** The fiscal periods named in a span ("last year" resolved), `undefined` when none. */
function namedPeriods(span: [number, number], ctx: Context, ref: ClaimReference): Set<string> | undefined {
  const out = new Set<string>();
  for (const p of ctx.periods) {
    if (!inside(p, span)) continue;
    const token =
      p.token === 'latest-year' ? ref.latest.year : p.token === 'latest-quarter' ? ref.latest.quarter : p.token;
    if (token) out.add(token);
  }
  return out.size > 0 ? out : undefined;
}

const BASE = /\b(?:from|than|against|versus|vs\.?|compared\s+(?:with|to))\s+(?:the\s+|a\s+|its\s+)?[-+−]?(?:US)?\$?$/i;

const wordsBetween = (text: string) => text.split(/\s+/).filter((w) => /[A-Za-z0-9]/.test(w)).length;

/** The direction that governs `n`: a direction word just before or after it in its clause, else its printed sign. */
function directionOf(n: ExtractedNumber, text: string, clause: [number, number], ctx: Context): 1 | -1 | undefined {
  let before: DirectionWord | undefined;
  for (const d of ctx.directions) {
    if (d.start < clause[0]) continue;
    if (d.start >= clause[1]) break;
    if (d.end <= n.start) before = d;
    else if (d.start >= n.end) {
      if (wordsBetween(text.slice(n.end, d.start)) === 0) return d.sign;
      break;
    }
  }
  if (before && wordsBetween(text.slice(before.end, n.start)) <= 4) return before.sign;
  if (n.value < 0) return -1;
  if (text[n.start - 1] === '+') return 1;
  return undefined;
}

const directionOk = (v: ClaimValue, dir: 1 | -1 | undefined) =>
  !v.change || dir === undefined || v.value === 0 || Math.sign(v.value) === dir;

const describe = (v: ClaimValue) => `${v.label}${v.period ? ` (${v.period})` : ''}`;

/** The parts of a text's context inside one sentence, with the sentence's clauses. */
interface SentenceContext extends Context {
  span: [number, number];
  clauses: [number, number][];
}

function sentenceContext(text: string, span: [number, number], ctx: Context): SentenceContext {
  const within = <T extends { start: number; end: number }>(list: readonly T[]): T[] => {
    const out: T[] = [];
    for (const x of list) if (x.start >= span[0] && x.end <= span[1]) out.push(x);
    return out;
  };
  return {
    span,
    clauses: spans(text, CLAUSE, span[0], span[1]),
    mentions: within(ctx.mentions),
    periods: within(ctx.periods),
    directions: within(ctx.directions),
  };
}

function ofMetric(v: ClaimValue, named: { metrics: Set<string> } | undefined): boolean {
  if (!named) return true;
  for (const x of v.metrics) if (named.metrics.has(x)) return true;
  return false;
}

function inPeriod(v: ClaimValue, named: unknown, periods: Set<string> | undefined): boolean {
  if (!named || v.tokens.length === 0) return true;
  if (!periods) return v.latest;
  for (const t of v.tokens) if (periods.has(t)) return true;
  return false;
}

function finding(n: ExtractedNumber, problem: ClaimProblem, reason: string): ClaimFinding {
  return { text: n.text, start: n.start, end: n.end, problem, reason };
}

/** Check one number; `undefined` when a figure backs it as stated. */
function checkOne(
  n: ExtractedNumber,
  text: string,
  sc: SentenceContext,
  ref: ClaimReference,
): ClaimFinding | undefined {
  if (n.kind === 'plain' && ref.numbers.labelNumbers.has(Math.abs(n.value))) return undefined;
  const matching: ClaimValue[] = [];
  for (const v of ref.values) if (unitFits(n, v) && valueWithin(n, v)) matching.push(v);
  const said = `"${n.text}"`;
  if (matching.length === 0) return finding(n, 'value', `${said} matches no figure in the data`);
  const sentence = sc.span;
  let clause = sentence;
  for (const c of sc.clauses) {
    if (n.start >= c[0] && n.start < c[1]) {
      clause = c;
      break;
    }
  }
  // The base of a comparison ("+41.6% from $214.72", "rose to $215.94B from $130.50B") is another metric or period
  // than the clause's: it is checked as a value of the data only.
  const base = BASE.test(text.slice(Math.max(clause[0], n.start - 24), n.start));
  const named = base ? undefined : (namedMetrics(n, clause, sc, ref) ?? namedMetrics(n, sentence, sc, ref));
  const periods = namedPeriods(clause, sc, ref) ?? namedPeriods(sentence, sc, ref);
  const dir = directionOf(n, text, clause, sc);
  let wrongWay: ClaimValue | undefined;
  for (const v of matching) {
    if (!ofMetric(v, named) || !inPeriod(v, named, periods)) continue;
    if (directionOk(v, dir)) return undefined;
    wrongWay ??= v;
  }
  if (wrongWay) {
    return finding(
      n,
      'direction',
      `${said} is ${describe(wrongWay)}, which went ${wrongWay.value > 0 ? 'up' : 'down'}, not ${dir === 1 ? 'up' : 'down'}`,
    );
  }
  const otherPeriod = matching.find((v) => ofMetric(v, named));
  if (otherPeriod && named) {
    const about = periods ? [...periods].join(' or ') : 'the latest period';
    return finding(n, 'period', `${said} is ${describe(otherPeriod)}, but the sentence is about ${about}`);
  }
  const other = matching[0];
  if (other && named) return finding(n, 'metric', `${said} is ${describe(other)}, not ${named.phrases.join(' or ')}`);
  return finding(n, 'value', `${said} matches no figure in the data`);
}

/**
 * Every number in `markdown` that no figure backs as its sentence states it (see the module comment).
 * @param ignore literal strings that are names, not numbers (company name, ticker).
 * @returns findings in text order; empty when every claim is backed.
 */
export function checkClaims(markdown: string, ref: ClaimReference, ignore: readonly string[] = []): ClaimFinding[] {
  const numbers = extractNumbers(markdown, ignore);
  if (numbers.length === 0) return [];
  const ctx: Context = {
    mentions: findMentions(markdown, ref.vocabulary),
    periods: findPeriods(markdown),
    directions: findDirections(markdown),
  };
  const sentences = spans(markdown, SENTENCE_BOUNDARY);
  const out: ClaimFinding[] = [];
  let si = 0;
  let sc: SentenceContext | undefined;
  for (const n of numbers) {
    if (n.kind === 'date') {
      if (!dateKnown(n, ref.numbers.dates)) out.push(finding(n, 'value', `"${n.text}" is no date of the data`));
      continue;
    }
    while (si < sentences.length - 1 && n.start >= (sentences[si]?.[1] ?? 0)) {
      si += 1;
      sc = undefined;
    }
    sc ??= sentenceContext(markdown, sentences[si] ?? [0, markdown.length], ctx);
    const f = checkOne(n, markdown, sc, ref);
    if (f) out.push(f);
  }
  return out;
}
