/**
 * The offline answerer (template writer mode): answers the questions it can from the thread's data — a figure by
 * name and period, a comparison with other tickers, what changed since the last report — and says plainly what it
 * can answer when a question is not one of those. Deterministic; never states a number that is not a figure.
 */
import type { AnswerOptions, FollowUpAnswer, FollowUpAnswerer, FollowUpQuestion, ThreadContext } from '../types.js';
import { answerComparison } from './comparison.js';
import { answerChanges, answerFigures } from './figures.js';
import { readIntent } from './intent.js';
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
          const composed = answerFigures(record, intent.terms, intent.period, intent.hasNumbers);
          return composed.text ? { ...base, ...composed } : { ...base, text: canAnswer(record.ticker), figures: [] };
        }
        case 'help': {
          const lead =
            intent.reason === 'empty'
              ? 'I did not find a question in that.'
              : "That is not a question I can answer from the report's data.";
          return { ...base, text: `${lead} ${canAnswer(record.ticker)}`, figures: [] };
        }
      }
    },
  };
}
