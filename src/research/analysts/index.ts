/**
 * The four analysts, run side by side on the data bundle: pure, deterministic, no tool calls. Each returns
 * {@link Findings}: a rule-based signal and confidence, plain-word points, and the {@link Figure}s it derived (the
 * only numbers a writer may state). Both the template writer and the Claude writer use these figures.
 *
 * Where things live: analyst consensus (targets, rating, implied upside) is read by the `news` analyst, as the
 * market's outside view; valuation multiples (P/E, P/S) by `fundamentals`; leverage and insider selling by `risk`.
 */
import type { AnalystName, DataBundle, Findings } from '../types.js';
import { analyzeFundamentals } from './fundamentals.js';
import { analyzeNews } from './news.js';
import { analyzeRisk } from './risk.js';
import { analyzeTechnicals } from './technicals.js';

export { analyzeFundamentals } from './fundamentals.js';
export { allFigures, getFigure, getFigures } from './lookup.js';
export { analyzeNews, ratingWords } from './news.js';
export { analyzeRisk } from './risk.js';
export { ITEM_NAMES } from './sec-items.js';
export { analyzeTechnicals, crossState } from './technicals.js';

const ANALYSTS: Record<AnalystName, (bundle: DataBundle) => Findings> = {
  fundamentals: analyzeFundamentals,
  technicals: analyzeTechnicals,
  news: analyzeNews,
  risk: analyzeRisk,
};

/**
 * One analyst's findings from the bundle only. Never throws on missing data: missing or failed parts give
 * `degraded` findings with a plain reason and fewer figures. An unexpected fault inside an analyst is also turned
 * into degraded findings, so one analyst never fails a run.
 */
export function analyzeBundle(analyst: AnalystName, bundle: DataBundle): Findings {
  try {
    return ANALYSTS[analyst](bundle);
  } catch (err) {
    const reason = `The ${analyst} analysis failed on the data for ${bundle.ticker} (${err instanceof Error ? err.message : String(err)}).`;
    return { analyst, signal: 'neutral', confidence: 0.1, points: [reason], figures: [], degraded: reason };
  }
}
