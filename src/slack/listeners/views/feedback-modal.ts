/**
 * The thumbs-down form (`blocks/feedback-modal.ts`): sent → ack (the form closes) → the thumbs-down with the reasons
 * ticked and the comment is stored with the run's record; closed without sending (`view_closed`) → the thumbs-down
 * alone is stored. Either way the reader is thanked privately in the report's channel.
 */
import type { App, ViewClosedAction, ViewSubmitAction } from '@slack/bolt';
import type { FeedbackEntry } from '../../../metrics/types.js';
import {
  FEEDBACK_INPUTS,
  FEEDBACK_VIEW,
  type FeedbackFormContext,
  MAX_FEEDBACK_COMMENT,
  readFeedbackContext,
} from '../../blocks/feedback-modal.js';
import { storeFeedback } from '../../feedback.js';
import { privateNote } from '../../private-note.js';
import type { ListenerDeps } from '../index.js';

type ViewState = ViewSubmitAction['view']['state'];

/** The reasons ticked and the comment written in the form's `state`. */
export function formAnswers(state: ViewState): Pick<FeedbackEntry, 'reasons' | 'comment'> {
  const values = state.values;
  const reasons = (values[FEEDBACK_INPUTS.reasons.block]?.[FEEDBACK_INPUTS.reasons.action]?.selected_options ?? [])
    .map((o) => o.value)
    .filter((v): v is string => typeof v === 'string');
  const comment = (values[FEEDBACK_INPUTS.comment.block]?.[FEEDBACK_INPUTS.comment.action]?.value ?? '').trim();
  return {
    ...(reasons.length > 0 ? { reasons } : {}),
    ...(comment ? { comment: comment.slice(0, MAX_FEEDBACK_COMMENT) } : {}),
  };
}

/** Register the form's submission and closing. */
export function registerFeedbackModal(app: App, { runLog, logger }: ListenerDeps): void {
  const store = async (
    context: FeedbackFormContext,
    user: string,
    client: Parameters<typeof privateNote>[0]['client'],
    answers: Pick<FeedbackEntry, 'reasons' | 'comment'>,
  ) => {
    const note = privateNote({ client, channel: context.channel || user, user, logger });
    const entry: FeedbackEntry = {
      vote: 'down',
      user,
      target: context.target,
      at: new Date().toISOString(),
      ...answers,
    };
    await storeFeedback({ runLog, note, logger }, context.runId, context.channel, entry);
  };
  app.view<ViewSubmitAction>(FEEDBACK_VIEW, async ({ ack, body, view, client }) => {
    await ack();
    const context = readFeedbackContext(view.private_metadata);
    if (!context) return;
    await store(context, body.user.id, client, formAnswers(view.state));
  });
  app.view<ViewClosedAction>(
    { callback_id: FEEDBACK_VIEW, type: 'view_closed' },
    async ({ ack, body, view, client }) => {
      await ack();
      const context = readFeedbackContext(view.private_metadata);
      if (!context) return;
      await store(context, body.user.id, client, {});
    },
  );
}
