/**
 * What every report button does first, after `ack()`: read who pressed it where, find its run, and answer privately
 * in plain words when the run is unknown (stale: the app restarted, or another instance showed it) or belongs to
 * another channel (foreign).
 */
import type { BlockAction, webApi } from '@slack/bolt';
import type { Logger } from '../../../log.js';
import { alreadyRunningNotice, rateLimitNotice } from '../../blocks/index.js';
import type { Permissions } from '../../permissions.js';
import { type PrivateNote, privateNote, type Respond } from '../../private-note.js';
import type { LaunchRequest, RunLauncher } from '../../run-launcher.js';
import type { RunRegistry, TrackedRun } from '../../run-registry.js';

/** A pressed button, as the handlers need it. */
export interface Press {
  user: string;
  /** Channel of the message the button is on ('' from a view). */
  channel: string;
  teamId?: string;
  triggerId: string;
  /** The pressed element's `value` (a select: its selected option's). */
  value: string;
  /** Tell the person who pressed, privately. */
  note: PrivateNote;
}

/** Read a `block_actions` payload. */
export function readPress(
  body: BlockAction,
  client: webApi.WebClient,
  respond: Respond | undefined,
  logger: Logger,
): Press {
  const action = body.actions[0] as { value?: string; selected_option?: { value?: string } } | undefined;
  const channel = body.channel?.id ?? String(body.container.channel_id ?? '');
  const user = body.user.id;
  return {
    user,
    channel,
    ...(body.team?.id ? { teamId: body.team.id } : {}),
    triggerId: body.trigger_id,
    value: action?.value ?? action?.selected_option?.value ?? '',
    note: privateNote({ client, channel: channel || user, user, ...(respond ? { respond } : {}), logger }),
  };
}

/** The private answer to a button whose run this instance does not know. */
export const STALE_NOTE =
  'This button belongs to a report this app no longer has at hand (it was restarted since, or another instance ' +
  'showed it), so nothing was done. Start a new report with `/research-stock TICKER`.';

/** The private answer to a button pressed from another channel than its report's. */
export const FOREIGN_NOTE = 'This button belongs to a report in another channel, so nothing was done here.';

/**
 * The run `runId` names when it is known and belongs to the channel the button was pressed in; otherwise tells the
 * person privately why nothing happens and resolves undefined.
 */
export async function runOfPress(registry: RunRegistry, runId: string, press: Press): Promise<TrackedRun | undefined> {
  const run = registry.get(runId);
  if (!run) {
    await press.note(STALE_NOTE);
    return undefined;
  }
  if (press.channel && press.channel !== run.channel) {
    await press.note(FOREIGN_NOTE);
    return undefined;
  }
  return run;
}

/**
 * May the person who pressed start research in `run`'s channel (`ALLOWED_USERS`, `ALLOWED_CHANNELS`)? In memory;
 * when not, tells them privately who to ask and resolves false.
 */
export async function mayResearchFromPress(permissions: Permissions, run: TrackedRun, press: Press): Promise<boolean> {
  const refusal = permissions.check('research', press.user, run.channel, `a button on the ${run.ticker} report`);
  if (refusal) await press.note(refusal.text);
  return refusal === undefined;
}

/**
 * Start the run a button asks for, through the usual admission: a redelivered press does nothing; a run of the
 * ticker already going in the channel, or the person's rate limit, is told privately; otherwise `onStart` is called
 * (a log line) and the run is launched, its problems told privately too. Never rejects.
 */
export async function launchFromPress(
  launcher: RunLauncher,
  request: LaunchRequest,
  press: Press,
  client: webApi.WebClient,
  onStart: () => void,
): Promise<void> {
  const admission = launcher.admit(request);
  switch (admission.kind) {
    case 'redelivery':
      return;
    case 'already-running':
      await press.note(alreadyRunningNotice(request.ticker, admission.permalink));
      return;
    case 'rate-limited':
      await press.note(rateLimitNotice(admission.limit, admission.retryInMs));
      return;
    case 'start':
      onStart();
      await launcher.launch(request, client, press.note);
  }
}
