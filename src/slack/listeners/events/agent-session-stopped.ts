/**
 * Slack's own Stop on a run's agent session (`agent_session_stopped`, with `SLACK_AGENT_SESSIONS` and an app declared
 * as an agent): the same as the Cancel button — only the requester or an admin; the run stops, is recorded as
 * cancelled and the thread says who; otherwise a private, plain answer. A thread with no run of this instance is
 * moved out of `processing` (Slack leaves that to the app). Bolt acknowledges events itself.
 */
import type { App } from '@slack/bolt';
import { setAgentSession } from '../../agent-session.js';
import { privateNote } from '../../private-note.js';
import { cancelOnRequest } from '../actions/cancel-run.js';
import type { ListenerDeps } from '../index.js';

/** Register `agent_session_stopped`. */
export function registerAgentSessionStopped(app: App, { registry, logger }: ListenerDeps): void {
  app.event('agent_session_stopped', async ({ event, client }) => {
    const run = registry.byThread(event.channel, event.thread_ts);
    const log = logger.child({ channel: event.channel, threadTs: event.thread_ts, user: event.user });
    if (run?.status !== 'running') {
      log.info('Stop on a session with no run in progress here');
      await setAgentSession(client, { channel: event.channel, threadTs: event.thread_ts }, 'active', log);
      if (run)
        await privateNote({ client, channel: event.channel, user: event.user, logger })(
          `This ${run.ticker} run has already ${run.status === 'finished' ? 'finished' : 'stopped'}; there is nothing to stop.`,
        );
      return;
    }
    const note = privateNote({ client, channel: event.channel, user: event.user, logger });
    await cancelOnRequest(registry, run, event.user, { client, note, logger: log });
  });
}
