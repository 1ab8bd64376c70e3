/**
 * The Cancel button on a run in progress: ack → only the requester or an admin (`ADMIN_USERS`) may press it → the
 * run is cancelled (its record says `cancelled`) and the thread says who cancelled it. Pressed again, after the run
 * ended, or by someone else: a private, plain answer; the run is left as it is.
 */
import type { App, BlockAction, webApi } from '@slack/bolt';
import type { Logger } from '../../../log.js';
import { escapeMrkdwn, mrkdwnSection } from '../../blocks/format.js';
import { RUN_ACTIONS } from '../../blocks/run-actions.js';
import type { PrivateNote } from '../../private-note.js';
import type { RunRegistry, TrackedRun } from '../../run-registry.js';
import { classifySlackError } from '../../slack-errors.js';
import { withRateLimitRetry } from '../../web-api-calls.js';
import type { ListenerDeps } from '../index.js';
import { readPress, runOfPress } from './run-button.js';

/** Register the Cancel button. */
export function registerCancelRun(app: App, { registry, logger }: ListenerDeps): void {
  app.action<BlockAction>(RUN_ACTIONS.cancel, async ({ ack, body, client, respond }) => {
    await ack();
    const press = readPress(body, client, respond, logger);
    const run = await runOfPress(registry, press.value, press);
    if (!run) return;
    await cancelOnRequest(registry, run, press.user, { client, note: press.note, logger });
  });
}

/**
 * Cancel `run` for `user` (the Cancel button, or Slack's Stop): refused privately when `user` may not, answered
 * privately when it already ended; else cancelled, and the thread says who cancelled it.
 */
export async function cancelOnRequest(
  registry: RunRegistry,
  run: TrackedRun,
  user: string,
  deps: { client: webApi.WebClient; note: PrivateNote; logger: Logger },
): Promise<void> {
  const outcome = registry.cancel(run.runId, user);
  const log = deps.logger.child({ runId: run.runId, ticker: run.ticker, user });
  switch (outcome.kind) {
    case 'unknown':
      return;
    case 'not-allowed':
      log.info('Cancel refused: not the requester or an admin');
      await deps.note(
        `Only the person who asked for this ${run.ticker} report, or an admin, can cancel it. It goes on.`,
      );
      return;
    case 'already-ended':
      await deps.note(alreadyEnded(outcome.run));
      return;
    case 'cancelled':
      log.info('Run cancelled from Slack');
      try {
        const text = `:octagonal_sign: <@${user}> cancelled this ${escapeMrkdwn(run.ticker)} run.`;
        await withRateLimitRetry(
          () =>
            deps.client.chat.postMessage({
              channel: run.channel,
              thread_ts: run.ts,
              text,
              blocks: [mrkdwnSection(text)],
            }),
          log,
          'chat.postMessage (cancelled by)',
        );
      } catch (err) {
        log.warn({ code: classifySlackError(err).code }, 'Could not say in the thread who cancelled the run');
      }
  }
}

/** The private answer to Cancel on a run that is no longer running. */
function alreadyEnded(run: TrackedRun): string {
  if (run.status === 'cancelled') {
    const by = run.cancelledBy ? ` by <@${run.cancelledBy}>` : '';
    return `This ${run.ticker} run was already cancelled${by}; nothing more to do.`;
  }
  if (run.status === 'finished') return `This ${run.ticker} run has already finished; there is nothing to cancel.`;
  return `This ${run.ticker} run has already stopped; there is nothing to cancel.`;
}
