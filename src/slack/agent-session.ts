/**
 * A run's thread as a Slack agent session (`SLACK_AGENT_SESSIONS`, an app declared as an agent): `processing` while
 * the run works, so Slack shows its own Stop button (its click arrives as the `agent_session_stopped` event and
 * cancels the run like Cancel), then `active` when the run has ended (Slack does not move the status itself).
 * Best effort: a refusal (not an agent app, a missing scope) is logged at debug and changes nothing else.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../log.js';
import { classifySlackError } from './slack-errors.js';

/** Statuses of an agent session this app sets. */
export type AgentSessionStatus = 'processing' | 'active';

/** Where a session is and what to say about it. */
export interface AgentSessionTarget {
  channel: string;
  /** `ts` of the run's parent message (the session's thread). */
  threadTs: string;
  /** Title of a new session, e.g. `Research: NVDA` (at most 200 characters). */
  title?: string;
  /** Who started it (used only when Slack creates the session). */
  user?: string;
}

/** Set the session of `target` to `status` (`agents.sessions.setStatus`). Never rejects. */
export async function setAgentSession(
  client: webApi.WebClient,
  target: AgentSessionTarget,
  status: AgentSessionStatus,
  logger: Logger,
): Promise<boolean> {
  try {
    await client.agents.sessions.setStatus({
      channel_id: target.channel,
      thread_ts: target.threadTs,
      status,
      ...(target.title ? { title: target.title.slice(0, 200) } : {}),
      ...(target.user ? { initiator_user_id: target.user } : {}),
    });
    return true;
  } catch (err) {
    logger.debug({ code: classifySlackError(err).code, status }, 'agents.sessions.setStatus refused');
    return false;
  }
}
