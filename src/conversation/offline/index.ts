/**
 * The offline answerer (template writer mode): answers the questions it can from the thread's data — a figure by
 * name and period, a comparison with other tickers, what changed since the last report — and says plainly what it
 * can answer when a question is not one of those. Deterministic; never states a number that is not a figure.
 */

import { allFigures } from '../../research/analysts/lookup.js';
import type { AnswerOptions, FollowUpAnswer, FollowUpAnswerer, FollowUpQuestion, ThreadContext } from '../types.js';
import { answerComparison } from './comparison.js';
import { answerChanges, answerFigures, lacksPeriod } from './figures.js';
import { readIntent } from './intent.js';
import { olderYearFigures } from './older-year.js';
import { canAnswer } from './words.js';

export { readIntent } from './intent.js';

/** Build the offline answerer. */
export function createOfflineAnswerer(): FollowUpAnswerer {
  return {
    name: 'offline',
    async answer(question: FollowUpQuestion, context: ThreadContext, options: AnswerOptions): Promise<FollowUpAnswer> {
      const { record } = context;
      const known = await context.data.knownTickers();
      const intent = readIntent(question.text, record.ticker, known);
      const base = { answerer: 'offline', intent: intent.kind, toolCalls: [] };
      switch (intent.kind) {
        case 'comparison': {
          const composed = await answerComparison(context, intent.others, intent.unlisted, options.signal);
          return { ...base, ...composed };
        }
        case 'changes':
          return { ...base, ...answerChanges(record) };
        case 'figure': {
          const { terms, period, hasNumbers } = intent;
          const figures = allFigures(record.findings);
          // A fiscal year older than the report's: fetched for the answer (only the annual statements).
          const older =
            period.kind === 'named' && /^FY\d{4}$/.test(period.label) && lacksPeriod(figures, terms, period.label)
              ? await olderYearFigures(context, period.label, options.signal)
              : { figures: [], toolCalls: [] };
          const from =
            older.figures.length > 0 ? "this report's data and the statements fetched for this answer" : undefined;
          const all = [...figures, ...older.figures];
          const composed = answerFigures(record.ticker, all, terms, period, hasNumbers, from);
          if (!composed.text) return { ...base, text: canAnswer(record.ticker), figures: [] };
          return { ...base, ...composed, toolCalls: older.toolCalls };
        }
        case 'help': {
          const lead =
            intent.reason === 'empty'
              ? 'Ask me about this report here in its thread.'
              : "That is not a question I can answer from the report's data.";
          return { ...base, text: `${lead} ${canAnswer(record.ticker)}`, figures: [] };
        }
      }
    },
  };
}
