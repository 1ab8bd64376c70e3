/**
 * `@tickerdesk NVDA` (or a sentence naming one ticker, or `help`): the same as `/research-stock NVDA` in the channel
 * of the mention. Inside a report's thread it is a question about that report instead (see `follow-ups.ts`). Bolt
 * acknowledges events itself; notes go to the person privately.
 */
import type { App } from '@slack/bolt';
import { privateNote } from '../../private-note.js';
import { withoutMentions } from '../../request-text.js';
import { answerTextRequest } from '../../text-requests.js';
import type { ListenerDeps } from '../index.js';

/** Register the `app_mention` event. */
export function registerAppMention(app: App, { launcher, permissions, logger, followUps }: ListenerDeps): void {
  app.event('app_mention', async ({ event, body, client, context }) => {
    const b = body as { event_id?: string; team_id?: string };
    // Reports and follow-up answers alike are research: a refused person is told privately (an ephemeral note).
    const refusal = permissions.check('research', event.user ?? '', event.channel, 'a mention');
    if (refusal) {
      await privateNote({ client, channel: event.channel, user: event.user ?? '', logger })(refusal.text);
      return;
    }
    // In a report's thread a mention is a question about that report ("@tickerdesk compare with AMD"), not a new run.
    const threadTs = event.thread_ts;
    if (followUps && threadTs && threadTs !== event.ts && event.user) {
      const key = { channel: event.channel, threadTs };
      if (await followUps.isReportThread(key)) {
        await followUps.answer(
          {
            ...key,
            ts: event.ts,
            user: event.user,
            text: withoutMentions(event.text),
            eventId: b.event_id ?? `${event.channel}:${event.ts}`,
            ...(b.team_id ? { teamId: b.team_id } : {}),
          },
          client,
        );
        return;
      }
    }
    await answerTextRequest(
      {
        text: event.text,
        channel: event.channel,
        user: event.user ?? '',
        requestKey: b.event_id ?? `${event.channel}:${event.ts}`,
        ...(b.team_id ? { teamId: b.team_id } : {}),
        ...(context.retryNum === undefined ? {} : { retryNum: context.retryNum }),
        via: 'mention',
      },
      { launcher, client, logger },
    );
  });
}
