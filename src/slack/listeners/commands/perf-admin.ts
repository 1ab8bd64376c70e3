/**
 * The admin subcommands of `/perf` (`reset`, `flush-cache`, `prewarm`): checked against `ADMIN_USERS` in memory
 * first (a refused person gets the private plain refusal naming the admins, and it is recorded); then ack at once,
 * then the work (`AdminActions`, `src/ops/admin.ts`), answered privately. `prewarm` answers as soon as it is started
 * and sends the summary when it is done.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { asTickerdeskError } from '../../../errors.js';
import {
  cacheFlushNotice,
  errorNotice,
  perfResetNotice,
  prewarmRefusedNotice,
  prewarmStartedNotice,
  prewarmSummaryNotice,
} from '../../blocks/index.js';
import type { PerfAdminAction } from '../../perf-command-text.js';
import { type PrivateNote, privateNote } from '../../private-note.js';
import type { ListenerDeps } from '../index.js';

type CommandArgs = Pick<SlackCommandMiddlewareArgs, 'ack' | 'respond' | 'command'> & Pick<AllMiddlewareArgs, 'client'>;

/** Run one admin subcommand of `/perf` for the person who typed it. Never rejects. */
export async function runAdminCommand(
  action: PerfAdminAction,
  { ack, respond, command, client }: CommandArgs,
  { permissions, admin, logger }: ListenerDeps,
): Promise<void> {
  const refusal = permissions.check('admin', command.user_id, command.channel_id, `/perf ${action}`);
  if (refusal) {
    await ack({ response_type: 'ephemeral', text: refusal.text });
    return;
  }
  await ack();
  const note = privateNote({ client, channel: command.channel_id, user: command.user_id, respond, logger });
  if (!admin) {
    await note('Admin commands are not available in this app.');
    return;
  }
  const log = logger.child({ admin: action, user: command.user_id });
  try {
    switch (action) {
      case 'reset': {
        const reset = await admin.resetPerf(command.user_id);
        log.info({ at: reset.at }, 'Performance figures reset');
        await note(perfResetNotice(reset));
        return;
      }
      case 'flush-cache': {
        const flush = await admin.flushCache();
        log.info({ ...flush }, 'Tool cache flushed');
        await note(cacheFlushNotice(flush));
        return;
      }
      case 'prewarm':
        await startPrewarm(admin, note);
        return;
    }
  } catch (err) {
    const error = asTickerdeskError(err);
    log.warn({ code: error.code, err: error.message }, `/perf ${action} failed`);
    await note(errorNotice(`/perf ${action} failed: ${error.message}`));
  }
}

/** Start a prewarm; say so at once, then send its summary when it ends. */
async function startPrewarm(admin: NonNullable<ListenerDeps['admin']>, note: PrivateNote): Promise<void> {
  const start = await admin.startPrewarm();
  if (!start.started) {
    await note(prewarmRefusedNotice(start.reason));
    return;
  }
  await note(prewarmStartedNotice());
  // The command's handler ends here; the summary follows whenever the prewarm does (a response_url expired by then
  // is replaced by an ephemeral message, then a direct message).
  void start.done.then((summary) => note(prewarmSummaryNotice(summary)));
}
