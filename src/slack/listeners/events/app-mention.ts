/**
 * `@tickerdesk NVDA` (or a sentence naming one ticker, or `help`): the same as `/research-stock NVDA` in the channel
 * of the mention. Bolt acknowledges events itself; notes go to the person privately.
 */
import type { App } from '@slack/bolt';
import { answerTextRequest } from '../../text-requests.js';
import type { ListenerDeps } from '../index.js';

/** Register the `app_mention` event. */
export function registerAppMention(app: App, { launcher, logger }: ListenerDeps): void {
  app.event('app_mention', async ({ event, body, client, context }) => {
    const b = body as { event_id?: string; team_id?: string };
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
