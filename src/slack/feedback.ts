/**
 * Storing a reader's feedback with its run's record (the run log), as the feedback buttons and the thumbs-down form
 * do: the run must be in the run log (else a stale answer) and the feedback given in the report's own channel (else a
 * foreign answer); then the entry is appended and the reader thanked, privately.
 */
import type { Logger } from '../log.js';
import type { MetricsStore } from '../metrics/store.js';
import type { FeedbackEntry } from '../metrics/types.js';
import { FOREIGN_NOTE, STALE_NOTE } from './listeners/actions/run-button.js';
import type { PrivateNote } from './private-note.js';

/** The run log, as the buttons and the Home tab use it. */
export type RunLogAccess = Pick<MetricsStore, 'addFeedback' | 'get' | 'recent' | 'perfReport'>;

/** Whether feedback on `runId` given in `channel` can be stored: `ok`, or why not. */
export async function feedbackCheck(
  runLog: RunLogAccess | undefined,
  runId: string,
  channel: string,
): Promise<'ok' | 'stale' | 'foreign'> {
  const record = await runLog?.get(runId);
  if (!record) return 'stale';
  if (channel && record.channel && record.channel !== channel) return 'foreign';
  return 'ok';
}

/**
 * Append `entry` to run `runId`'s record and thank the reader privately; a run the run log does not know, or
 * feedback from another channel, gets the plain answer instead. Never rejects (a run log that cannot be written is
 * logged and said).
 * @returns true when stored.
 */
export async function storeFeedback(
  deps: { runLog: RunLogAccess | undefined; note: PrivateNote; logger: Logger },
  runId: string,
  channel: string,
  entry: FeedbackEntry,
): Promise<boolean> {
  const log = deps.logger.child({ runId, user: entry.user, vote: entry.vote });
  try {
    const check = await feedbackCheck(deps.runLog, runId, channel);
    if (check !== 'ok') {
      await deps.note(check === 'stale' ? STALE_NOTE : FOREIGN_NOTE);
      return false;
    }
    if (!(await deps.runLog?.addFeedback(runId, entry))) {
      await deps.note(STALE_NOTE);
      return false;
    }
  } catch (err) {
    log.warn({ err }, 'Could not store feedback in the run log');
    await deps.note(
      'Your feedback could not be stored just now (the run log is unavailable). Sorry; please try again later.',
    );
    return false;
  }
  log.info({ target: entry.target }, 'Feedback stored');
  await deps.note(
    entry.vote === 'up'
      ? ':+1: Thanks! Your feedback is stored with this report.'
      : 'Thanks for saying what was wrong. Your feedback is stored with this report and counted in `/perf`.',
  );
  return true;
}
