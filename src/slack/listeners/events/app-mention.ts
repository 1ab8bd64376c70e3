/**
 * `@tickerdesk NVDA`: the same as `/research-stock NVDA` in the channel of the mention. Bolt acknowledges events
 * itself; notes go to the person ephemerally (`chat.postEphemeral`).
 */
import type { App } from '@slack/bolt';
import { asTickerdeskError } from '../../../errors.js';
import { normalizeTicker } from '../../../tickers.js';
import { alreadyRunningNotice, rateLimitNotice, usageNotice } from '../../blocks/index.js';
import { privateNote } from '../../private-note.js';
import type { ListenerDeps } from '../index.js';

/** The mention's text without `<@U…>` mentions. */
export function mentionText(text: string): string {
  return text.replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, ' ').trim();
}

/** Register the `app_mention` event. */
export function registerAppMention(app: App, { launcher, logger }: ListenerDeps): void {
  app.event('app_mention', async ({ event, body, client, context }) => {
    const user = event.user ?? '';
    const ephemeral = (text: string) => client.chat.postEphemeral({ channel: event.channel, user, text });
    let ticker: string;
    try {
      ticker = normalizeTicker(mentionText(event.text));
    } catch (err) {
      await ephemeral(usageNotice(asTickerdeskError(err).message, '@tickerdesk')).catch(() => undefined);
      return;
    }
    const request = {
      ticker,
      channel: event.channel,
      user,
      requestKey: (body as { event_id?: string }).event_id ?? `${event.channel}:${event.ts}`,
      ...((body as { team_id?: string }).team_id ? { teamId: (body as { team_id: string }).team_id } : {}),
      ...(context.retryNum === undefined ? {} : { retryNum: context.retryNum }),
    };
    const admission = launcher.admit(request);
    if (admission.kind === 'redelivery') {
      logger.info({ ticker, retryNum: context.retryNum }, 'Ignored a redelivered app_mention');
      return;
    }
    if (admission.kind === 'already-running') {
      await ephemeral(alreadyRunningNotice(ticker, admission.permalink)).catch(() => undefined);
      return;
    }
    if (admission.kind === 'rate-limited') {
      await ephemeral(rateLimitNotice(admission.limit, admission.retryInMs)).catch(() => undefined);
      return;
    }
    await launcher.launch(request, client, privateNote({ client, channel: event.channel, user, logger }));
  });
}
