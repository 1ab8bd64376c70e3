/**
 * Everything in a piece of Claude's text that the data does not back, as {@link Flag}s for the release gate
 * (`checked-text.ts`): numbers that no figure backs as the sentence states them (value, metric, period, direction),
 * references to ids no figure has, a verdict other than the rules', and advice where none is wanted. Shared by the
 * report writer's sections and the follow-up answerer.
 */
import type { Figure, SectionId, Verdict } from '../../research/types.js';
import {
  type ClaimReference,
  checkClaims,
  contradictedVerdicts,
  unknownReferences,
  unwantedRecommendations,
} from '../verify/index.js';
import type { Flag } from './checked-text.js';

/** What a text is checked against. */
export interface FlagContext {
  reference: ClaimReference;
  /** Figure ids a `{id}` reference may name. */
  ids: ReadonlyMap<string, Figure>;
  /** Names that are not numbers (company name, ticker). */
  ignore: readonly string[];
  /** The rules' verdict. */
  rating: Verdict['rating'];
  /** Where the text goes: advice is allowed (as the rules' verdict) only in `verdict`. */
  section: SectionId;
}

/** The flags of `text`, in order of where they end. */
export function textFlags(text: string, context: FlagContext): Flag[] {
  const { reference, ids, ignore, rating, section } = context;
  return [
    ...checkClaims(text, reference, ignore).map((f) =>
      f.problem === 'value' ? { text: f.text, end: f.end } : { text: f.text, end: f.end, reason: f.reason },
    ),
    ...unknownReferences(text, ids).map((r) => ({ text: r.text, end: r.end, reason: r.reason })),
    ...contradictedVerdicts(text, rating).map((c) => ({ ...c, drop: true })),
    // Advice outside the verdict section, or a recommendation in other words than the rules' verdict.
    ...unwantedRecommendations(text, section, rating).map((c) => ({
      text: c.text,
      end: c.end,
      drop: true,
      reason: c.reason,
    })),
  ].sort((a, b) => a.end - b.end);
}
