/**
 * A message in a report's thread (events `message.channels`, `message.groups`, `message.im`, `message.mpim`): a
 * question about that report, answered in the same thread. Left alone: the bot's own and other bots' messages,
 * edits, joins and other subtypes, top-level messages, threads the bot did not start, and messages that mention the
 * bot in a channel (the `app_mention` listener answers those, so each is answered once). A reply also sent to the
 * channel (`thread_broadcast`) or with a file attached (`file_share`) is still a question.
 */
import type { App } from '@slack/bolt';
import { withoutMentions } from '../../request-text.js';
import type { ListenerDeps } from '../index.js';

/** The fields of a `message` event read here. */
interface MessageFields {
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  channel_type?: string;
}

/** Subtypes that still carry a person's words: a reply also sent to the channel, a reply with a file attached. */
const ASKING_SUBTYPES = new Set(['thread_broadcast', 'file_share']);

/** Register `message` events in threads. */
export function registerThreadMessage(app: App, { followUps }: ListenerDeps): void {
  if (!followUps) return;
  app.event('message', async ({ event, body, client, context }) => {
    const e = event as unknown as MessageFields;
    if (e.subtype !== undefined && !ASKING_SUBTYPES.has(e.subtype)) return;
    if (e.bot_id || !e.user || e.user === context.botUserId) return;
    if (!e.thread_ts || e.thread_ts === e.ts) return;
    const text = e.text ?? '';
    if (e.channel_type !== 'im' && context.botUserId && text.includes(`<@${context.botUserId}`)) return;
    const key = { channel: e.channel, threadTs: e.thread_ts };
    if (!(await followUps.isReportThread(key))) return;
    const b = body as { event_id?: string; team_id?: string };
    await followUps.answer(
      {
        ...key,
        ts: e.ts,
        user: e.user,
        text: withoutMentions(text),
        eventId: b.event_id ?? `${e.channel}:${e.ts}`,
        ...(b.team_id ? { teamId: b.team_id } : {}),
      },
      client,
    );
  });
}
