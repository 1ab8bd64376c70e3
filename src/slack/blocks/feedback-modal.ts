/**
 * The short form a thumbs-down opens (`views.open`): what was wrong (tick any of a few reasons) and, optionally, a
 * sentence. It carries the run id and what the feedback is about in `private_metadata`, and asks Slack for
 * `view_closed` so that a form closed without sending still counts the thumbs-down. Pure.
 */
import type { types } from '@slack/bolt';
import { FEEDBACK_REASONS } from '../../metrics/feedback.js';
import type { FeedbackTarget } from './run-actions.js';

/** `callback_id` of the form, matched by `listeners/views/feedback-modal.ts`. */
export const FEEDBACK_VIEW = 'run_feedback_form';
/** Block and action ids of the form's inputs. */
export const FEEDBACK_INPUTS = {
  reasons: { block: 'feedback_reasons', action: 'reasons' },
  comment: { block: 'feedback_comment', action: 'comment' },
} as const;
/** Longest comment kept, characters. */
export const MAX_FEEDBACK_COMMENT = 1000;

/** What the form carries between opening and sending. */
export interface FeedbackFormContext {
  runId: string;
  target: FeedbackTarget;
  /** Channel of the report (where the thank-you note goes). */
  channel: string;
  ticker?: string;
}

const plain = (text: string): types.PlainTextElement => ({ type: 'plain_text', text, emoji: true });

/** The thumbs-down form for `context`. */
export function feedbackModal(context: FeedbackFormContext): types.ModalView {
  const about = context.target.startsWith('section:')
    ? `the ${context.target.slice('section:'.length)} section${context.ticker ? ` of the ${context.ticker} report` : ''}`
    : 'this answer';
  return {
    type: 'modal',
    callback_id: FEEDBACK_VIEW,
    private_metadata: JSON.stringify(context),
    notify_on_close: true,
    title: plain('What was wrong?'),
    submit: plain('Send'),
    close: plain('Skip'),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `Thanks for telling us about ${about}.` } },
      {
        type: 'input',
        block_id: FEEDBACK_INPUTS.reasons.block,
        optional: true,
        label: plain('What was wrong'),
        element: {
          type: 'checkboxes',
          action_id: FEEDBACK_INPUTS.reasons.action,
          options: Object.entries(FEEDBACK_REASONS).map(([value, words]) => ({ text: plain(words), value })),
        },
      },
      {
        type: 'input',
        block_id: FEEDBACK_INPUTS.comment.block,
        optional: true,
        label: plain('Anything to add'),
        element: {
          type: 'plain_text_input',
          action_id: FEEDBACK_INPUTS.comment.action,
          multiline: true,
          max_length: MAX_FEEDBACK_COMMENT,
          placeholder: plain('e.g. the FY2025 revenue does not match the 10-K'),
        },
      },
    ],
  };
}

/** Read the form's `private_metadata`; undefined when it is not ours. */
export function readFeedbackContext(raw: string | undefined): FeedbackFormContext | undefined {
  try {
    const parsed = JSON.parse(raw ?? '') as Partial<FeedbackFormContext>;
    if (typeof parsed.runId !== 'string' || typeof parsed.target !== 'string' || typeof parsed.channel !== 'string')
      return undefined;
    return parsed as FeedbackFormContext;
  } catch {
    return undefined;
  }
}
