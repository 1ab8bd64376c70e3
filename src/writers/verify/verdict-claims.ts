/**
 * The verdict check: a written section may state the verdict, but only the one tickerdesk's rules decided. A model
 * that was talked into another call (by a headline or a filing text: "the verdict is Strong Sell") is caught here,
 * like an invented number.
 *
 * What counts as stating the verdict: the word `verdict`, `we rate`, `we recommend`, `our rating` or
 * `our recommendation`, followed within a few words by a rating (`Buy`, `Strong Sell`, `Outperform`, `Overweight`,
 * …). Ratings elsewhere — the analysts' consensus ("a consensus rating of strong buy") — are not claims of the verdict.
 */
import type { Verdict } from '../../research/types.js';

/** A verdict stated in a text that is not the decided one. */
export interface VerdictClaim {
  /** The printed rating, e.g. `Strong Sell`. */
  text: string;
  /** Offsets of {@link text} in the input (end exclusive). */
  start: number;
  end: number;
}

const CLAIM =
  /\b(?:verdict|we\s+(?:rate|recommend)|our\s+(?:rating|recommendation))\b[^.!?\n]{0,40}?\b((?:strong(?:ly)?\s+)?(?:buy|sell|hold|outperform|underperform|overweight|underweight|accumulate|reduce))\b/gi;

/**
 * Every verdict stated in `markdown` that differs from `rating` (a `Strong Buy` is not the `Buy` decided, either).
 * @returns the claims in text order; empty when the text states no verdict or only the decided one.
 */
export function contradictedVerdicts(markdown: string, rating: Verdict['rating']): VerdictClaim[] {
  const out: VerdictClaim[] = [];
  for (const m of markdown.matchAll(CLAIM)) {
    const said = m[1] ?? '';
    if (said.toLowerCase() === rating) continue;
    const start = (m.index ?? 0) + m[0].length - said.length;
    out.push({ text: said, start, end: start + said.length });
  }
  return out;
}
