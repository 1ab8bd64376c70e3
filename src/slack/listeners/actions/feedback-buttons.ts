/**
 * Feedback buttons under LLM-written text: ack → a thumbs-up is stored with the run's record; a thumbs-down opens a
 * short form asking what was wrong (`views.open`, within the trigger's 3 s), stored when sent or closed (see
 * `listeners/views/feedback-modal.ts`). A run the run log does not know, or a button from another channel: a
 * private, plain answer.
 */
import type { App, BlockAction } from '@slack/bolt';
import { feedbackModal } from '../../blocks/feedback-modal.js';
import { parseFeedbackValue, RUN_ACTIONS } from '../../blocks/run-actions.js';
import { feedbackCheck, storeFeedback } from '../../feedback.js';
import { classifySlackError } from '../../slack-errors.js';
import type { ListenerDeps } from '../index.js';
import { FOREIGN_NOTE, readPress, STALE_NOTE } from './run-button.js';

/** Register the feedback buttons. */
export function registerFeedbackButtons(app: App, { runLog, registry, logger }: ListenerDeps): void {
  app.action<BlockAction>(RUN_ACTIONS.feedback, async ({ ack, body, client, respond }) => {
    await ack();
    const press = readPress(body, client, respond, logger);
    const value = parseFeedbackValue(press.value);
    if (!value) {
      await press.note(STALE_NOTE);
      return;
    }
    const entry = { vote: value.vote, user: press.user, target: value.target, at: new Date().toISOString() };
    const deps = { runLog, note: press.note, logger };
    if (value.vote === 'up') {
      await storeFeedback(deps, value.runId, press.channel, entry);
      return;
    }
    const check = await feedbackCheck(runLog, value.runId, press.channel).catch(() => 'ok' as const);
    if (check !== 'ok') {
      await press.note(check === 'stale' ? STALE_NOTE : FOREIGN_NOTE);
      return;
    }
    const ticker = registry.get(value.runId)?.ticker;
    try {
      await client.views.open({
        trigger_id: press.triggerId,
        view: feedbackModal({
          runId: value.runId,
          target: value.target,
          channel: press.channel,
          ...(ticker ? { ticker } : {}),
        }),
      });
    } catch (err) {
      // No form (the trigger expired, Slack refused it): the thumbs-down still counts.
      logger.warn({ code: classifySlackError(err).code }, 'Could not open the feedback form; storing the thumbs-down');
      await storeFeedback(deps, value.runId, press.channel, entry);
    }
  });
}
