/**
 * Readers' feedback over run records (Slack's thumbs up / down under LLM-written text, stored in each run's record):
 * the `/perf` and `npm run perf` figures. Pure.
 */
import type { FeedbackEntry, PerfReport, RunRecord } from './types.js';

/** The reasons a thumbs-down form offers, by value, with the words shown. */
export const FEEDBACK_REASONS = {
  'wrong-figure': 'A figure is wrong',
  'out-of-date': 'Out of date',
  missing: 'Something important is missing',
  unclear: 'Hard to follow',
  other: 'Something else',
} as const;

/** A reason's value. */
export type FeedbackReason = keyof typeof FEEDBACK_REASONS;

/** Latest comments the report lists. */
const COMMENTS = 5;

/** The feedback figures over `runs` (newest first). */
export function feedbackOf(runs: readonly RunRecord[]): NonNullable<PerfReport['feedback']> {
  let up = 0;
  let down = 0;
  let withAny = 0;
  const reasons = new Map<string, number>();
  const comments: (NonNullable<PerfReport['feedback']>['comments'][number] & { sortAt: string })[] = [];
  for (const r of runs) {
    const entries: FeedbackEntry[] = r.feedback ?? [];
    if (entries.length > 0) withAny += 1;
    for (const e of entries) {
      if (e.vote === 'up') up += 1;
      else down += 1;
      for (const reason of e.reasons ?? []) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      if (e.comment)
        comments.push({ runId: r.id, ticker: r.ticker, target: e.target, at: e.at, comment: e.comment, sortAt: e.at });
    }
  }
  return {
    up,
    down,
    runs: withAny,
    reasons: [...reasons.entries()]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    comments: comments
      .sort((a, b) => b.sortAt.localeCompare(a.sortAt))
      .slice(0, COMMENTS)
      .map(({ sortAt: _sortAt, ...c }) => c),
  };
}

/** A reason's words (`A figure is wrong`), or the value itself when it is not one the form offers. */
export function reasonWords(reason: string): string {
  return (FEEDBACK_REASONS as Record<string, string>)[reason] ?? reason;
}

/** `Feedback: 12 👍, 3 👎 on 9 runs · A figure is wrong ×2, Out of date ×1`, or `Feedback: none yet`. */
export function feedbackLine(feedback: PerfReport['feedback'], thumbs: { up: string; down: string }): string {
  if (!feedback || feedback.up + feedback.down === 0) return 'Feedback: none yet';
  const reasons = feedback.reasons.map((r) => `${reasonWords(r.reason)} ×${r.count}`).join(', ');
  const on = `on ${feedback.runs} run${feedback.runs === 1 ? '' : 's'}`;
  return `Feedback: ${feedback.up} ${thumbs.up}, ${feedback.down} ${thumbs.down} ${on}${reasons ? ` · ${reasons}` : ''}`;
}
