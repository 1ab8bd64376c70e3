/**
 * The number check: every number a model writes must be a figure of the data bundle (or derived from them), within
 * the rounding of its printed precision. Pure functions; the Claude writer uses them before text is posted.
 *
 * Matching rules, by how the number was printed (see `extract.ts` for what is skipped as a label):
 * - `61%`, `12.5 percent`, `40 bps` → a `%` figure or a derived % (growth, share of revenue);
 * - `45x`, `45 times` → an `x` figure;
 * - `$60.9 billion`, `$60.92B`, `60,922 M`, `$135.40`, `9,999 USD` → a `USD` or `USD/share` figure (with a scale and
 *   no currency also `shares` and `count`);
 * - plain numbers (`62.3`, `1,234`) → a figure of any unit, or an integer printed in a figure's label;
 * - dates → a known date (`August 2026` matches any known date in that month, `May 28` any known May 28).
 * Signs are compared by absolute value (a fall is often written "down 12%"). A printed value matches when it is
 * within half a unit of its last printed digit of the figure: `$60.9B` matches 60,922,000,000; `$61B` does too;
 * `$60.8B` does not.
 */
import type { Figure } from '../../research/types.js';
import { type ExtractedNumber, extractNumbers } from './extract.js';
import { dateKnown, unitFits, valueWithin } from './match.js';
import { buildReference, type Reference } from './reference.js';

export {
  buildClaimReference,
  type ClaimFinding,
  type ClaimProblem,
  type ClaimReference,
  checkClaims,
  SENTENCE_BOUNDARY,
} from './claims.js';
export { type ExtractedNumber, extractNumbers, LABELS, type NumberKind } from './extract.js';
export {
  displayOf,
  figureId,
  figureIds,
  idsOf,
  REFERENCE,
  resolveReferences,
  type UnknownReference,
  unknownReferences,
} from './figure-ids.js';
export { findWordNumbers, type WordNumber } from './number-words.js';
export { type RecommendationClaim, unwantedRecommendations } from './recommendations.js';
export { buildReference, type Reference, type ReferenceValue } from './reference.js';
export { contradictedVerdicts, type VerdictClaim } from './verdict-claims.js';

/** The marker put after a number that matched nothing. */
export const UNVERIFIED_MARK = '⚠️unverified';

/** Result of checking one text. */
export interface NumberCheckResult {
  /** How many numbers were checked (labels and ordinals excluded). */
  checked: number;
  /** The numbers that matched no figure, in text order. */
  unmatched: ExtractedNumber[];
}

/** Whether one printed number is backed by the reference. */
export function isBacked(n: ExtractedNumber, ref: Reference): boolean {
  if (n.kind === 'date') return dateKnown(n, ref.dates);
  if (n.kind === 'plain' && ref.labelNumbers.has(Math.abs(n.value))) return true;
  return ref.values.some((v) => unitFits(n, v) && valueWithin(n, v));
}

/**
 * Check every number in `markdown` against the reference.
 * @param ignore literal strings that are names, not numbers (company name, ticker).
 */
export function checkNumbers(markdown: string, ref: Reference, ignore: readonly string[] = []): NumberCheckResult {
  const found = extractNumbers(markdown, ignore);
  return { checked: found.length, unmatched: found.filter((n) => !isBacked(n, ref)) };
}

/** Convenience: check `markdown` against figures directly (builds a reference each call). */
export function checkAgainstFigures(markdown: string, figures: readonly Figure[], dates: readonly string[] = []) {
  return checkNumbers(markdown, buildReference(figures, dates));
}

/**
 * Put {@link UNVERIFIED_MARK} right after each unmatched number: `$9,999` → `$9,999 ⚠️unverified`.
 * @param unmatched numbers from {@link checkNumbers} on this same text (offsets must refer to it); only `end` is read.
 */
export function markUnverified(markdown: string, unmatched: readonly Pick<ExtractedNumber, 'end'>[]): string {
  let out = markdown;
  for (const n of [...unmatched].sort((a, b) => b.end - a.end)) {
    out = `${out.slice(0, n.end)} ${UNVERIFIED_MARK}${out.slice(n.end)}`;
  }
  return out;
}
