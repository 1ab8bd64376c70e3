/**
 * The overall verdict: the analysts' signals, weighted by analyst and by confidence, turned into Buy / Hold / Sell.
 *
 * Score = Σ weight × direction × confidence over the analysts that could assess the stock (see {@link isUsable}),
 * with direction +1 bullish, 0 neutral, −1 bearish (for the risk analyst, bearish means high risk); the weights sum to
 * 1. Missing data is no evidence either way: an analyst that lacks its data keeps its weight as a zero, and that weight
 * is NOT handed to the others (KO without news or consensus was a Buy on its uptrend alone, the technicals' 0.25
 * stretched to 0.31 of the score). Score ≥ {@link BUY_THRESHOLD} → buy, ≤ −{@link BUY_THRESHOLD} → sell, else hold;
 * always hold when the usable analysts carry less than {@link MIN_COVERAGE} of the weight (consensus alone never makes
 * a Buy). The line names the analysts that had no data ("no data for news and consensus"), so a verdict that rests on
 * fewer analysts says so.
 */
import { ANALYSTS, type AnalystName, type Findings, type Signal, type Verdict } from './types.js';

/** How much each analyst counts. Sums to 1. */
export const VERDICT_WEIGHTS: Readonly<Record<AnalystName, number>> = {
  fundamentals: 0.35,
  technicals: 0.25,
  news: 0.2,
  risk: 0.2,
};

/** |score| at or above which the verdict leaves Hold. */
export const BUY_THRESHOLD = 0.2;

const DIRECTION: Record<Signal, number> = { bullish: 1, neutral: 0, bearish: -1 };

/** What each signal says about the stock, per analyst, in plain words. */
export const REASON_WORDS: Readonly<Record<AnalystName, Record<Signal, string>>> = {
  fundamentals: { bullish: 'strong fundamentals', neutral: 'mixed fundamentals', bearish: 'weak fundamentals' },
  technicals: { bullish: 'an uptrend', neutral: 'no clear trend', bearish: 'a downtrend' },
  news: {
    bullish: 'supportive consensus and events',
    neutral: 'neutral news flow',
    bearish: 'negative consensus or events',
  },
  risk: { bullish: 'low risk', neutral: 'moderate risk', bearish: 'elevated risk' },
};

/** One analyst's share of the verdict score. */
export interface VerdictContribution {
  analyst: AnalystName;
  signal: Signal;
  confidence: number;
  weight: number;
  /** weight × direction × confidence (the weights of all analysts sum to 1). */
  contribution: number;
  reason: string;
}

/**
 * Findings carry weight when they hold figures beyond the data-gap count and more than the 0.1 confidence analysts
 * give when their primary data is missing (fundamentals from a market snapshot only, say).
 */
export function isUsable(findings: Findings): boolean {
  return findings.confidence > 0.1 && findings.figures.some((f) => f.name !== 'data_gaps');
}

/** Share of the analysts' weight that must be usable before the verdict leaves Hold. */
export const MIN_COVERAGE = 0.5;

function joinWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** An analyst as the verdict line names it. */
export const VERDICT_ANALYST_WORDS: Readonly<Record<AnalystName, string>> = {
  fundamentals: 'fundamentals',
  technicals: 'technicals',
  news: 'news and consensus',
  risk: 'risk',
};

/**
 * The weighted score (−1…1), the share of the weight that could be assessed (`coverage`, 0–1), each usable analyst's
 * contribution (largest magnitude first) and the analysts that could not be assessed for lack of data, in
 * {@link ANALYSTS} order.
 */
export function verdictBreakdown(findings: readonly Findings[]): {
  score: number;
  coverage: number;
  parts: VerdictContribution[];
  unassessed: AnalystName[];
} {
  const used = findings.filter(isUsable);
  const coverage = used.reduce((sum, f) => sum + VERDICT_WEIGHTS[f.analyst], 0);
  const unassessed = ANALYSTS.filter((a) => !used.some((f) => f.analyst === a));
  const parts = used
    .map((f) => {
      const weight = VERDICT_WEIGHTS[f.analyst];
      const contribution = weight * DIRECTION[f.signal] * f.confidence;
      return {
        analyst: f.analyst,
        signal: f.signal,
        confidence: f.confidence,
        weight,
        contribution,
        reason: REASON_WORDS[f.analyst][f.signal],
      };
    })
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || b.weight - a.weight);
  const score = parts.reduce((sum, p) => sum + p.contribution, 0);
  return { score, coverage, parts, unassessed };
}

/**
 * Weighted signals → buy / hold / sell, a confidence (0–1) and one line with the main reasons, e.g.
 * "Buy — strong fundamentals, an uptrend; against it: elevated risk (confidence 0.62)". Never throws; with no usable
 * findings it is a low-confidence hold.
 */
export function decideVerdict(findings: readonly Findings[]): Verdict {
  const { score, coverage, parts, unassessed } = verdictBreakdown(findings);
  const enough = coverage >= MIN_COVERAGE - 1e-9;
  const rating: Verdict['rating'] = !enough
    ? 'hold'
    : score >= BUY_THRESHOLD
      ? 'buy'
      : score <= -BUY_THRESHOLD
        ? 'sell'
        : 'hold';
  const signal: Signal = rating === 'buy' ? 'bullish' : rating === 'sell' ? 'bearish' : 'neutral';
  const raw = Math.round(Math.min(0.9, Math.max(0.2, 0.35 + Math.abs(score))) * (0.6 + 0.4 * coverage) * 100) / 100;
  const confidence = enough ? raw : Math.min(raw, 0.35);
  const word = rating === 'buy' ? 'Buy' : rating === 'sell' ? 'Sell' : 'Hold';
  if (parts.length === 0)
    return {
      rating,
      signal,
      confidence,
      line: `${word} — not enough data for a view (confidence ${confidence.toFixed(2)})`,
    };
  const pos = parts.filter((p) => p.contribution > 0).map((p) => p.reason);
  const neg = parts.filter((p) => p.contribution < 0).map((p) => p.reason);
  let reasons: string;
  if (!enough) {
    reasons = `only ${joinWords(parts.map((p) => p.reason))} could be assessed, too little data to act on`;
  } else if (rating !== 'hold') {
    const [forIt, against] = rating === 'buy' ? [pos, neg] : [neg, pos];
    reasons = forIt.join(', ') + (against.length > 0 ? `; against it: ${against.join(', ')}` : '');
  } else if (pos.length > 0 && neg.length > 0) {
    reasons = `${pos.join(', ')}, balanced by ${neg.join(', ')}`;
  } else if (pos.length + neg.length > 0) {
    reasons = `${[...pos, ...neg].join(', ')}, but no strong case either way`;
  } else {
    reasons = parts.map((p) => p.reason).join(', ');
  }
  if (enough && unassessed.length > 0) {
    reasons += `; no data for ${joinWords(unassessed.map((a) => VERDICT_ANALYST_WORDS[a]))}`;
  }
  return { rating, signal, confidence, line: `${word} — ${reasons} (confidence ${confidence.toFixed(2)})` };
}

/** The word for a confidence (0–1), used wherever a report or Slack names it: ≥ 0.7 high, ≥ 0.5 moderate, else low. */
export function confidenceWord(confidence: number): string {
  return confidence >= 0.7 ? 'high' : confidence >= 0.5 ? 'moderate' : 'low';
}

/**
 * The verdict line with its confidence in words and number, as the report's sections say it:
 * `Buy — strong fundamentals (confidence 0.86)` → `Buy — strong fundamentals (high confidence, 0.86)`.
 */
export function verdictInWords(v: Pick<Verdict, 'line' | 'confidence'>): string {
  return v.line.replace(
    /\(confidence ([\d.]+)\)$/,
    (_, n: string) => `(${confidenceWord(v.confidence)} confidence, ${n})`,
  );
}
