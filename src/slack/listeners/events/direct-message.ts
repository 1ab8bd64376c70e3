/**
 * A message to the bot in its direct conversation (the app's Messages tab; event `message.im`): `NVDA`, a sentence
 * naming one ticker, or `help`. The report is posted in that conversation, as in a channel. Messages from bots, edits
 * and other subtypes are left alone, and so are replies in threads (follow-up questions, `thread-message.ts`).
 */
import type { App } from '@slack/bolt';
import { answerTextRequest } from '../../text-requests.js';
import type { ListenerDeps } from '../index.js';

/** Register `message` events in the bot's direct messages. */
export function registerDirectMessage(app: App, { launcher, logger }: ListenerDeps): void {
  app.event('message', async ({ event, body, client, context }) => {
    if (event.channel_type !== 'im' || event.subtype !== undefined || event.bot_id) return;
    // A reply in a thread is a follow-up question (see thread-message.ts), not a new request.
    if (event.thread_ts !== undefined && event.thread_ts !== event.ts) return;
    const b = body as { event_id?: string; team_id?: string };
    await answerTextRequest(
      {
        text: event.text ?? '',
        channel: event.channel,
        user: event.user,
        requestKey: b.event_id ?? `${event.channel}:${event.ts}`,
        ...(b.team_id ? { teamId: b.team_id } : {}),
        ...(context.retryNum === undefined ? {} : { retryNum: context.retryNum }),
        via: 'direct_message',
      },
      { launcher, client, logger },
    );
  });
}
