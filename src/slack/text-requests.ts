/**
 * A request written in words, from a mention in a channel or a message in the bot's direct message: read it
 * ({@link readTextRequest}), answer `help` and unclear requests privately, and hand a ticker to the run launcher
 * exactly as `/research-stock` does. Events are acknowledged by Bolt itself, so this may take its time.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../log.js';
import {
  alreadyRunningNotice,
  helpMessage,
  noTickerNotice,
  rateLimitNotice,
  severalTickersNotice,
} from './blocks/index.js';
import { privateNote } from './private-note.js';
import { readTextRequest, withoutMentions } from './request-text.js';
import type { LaunchRequest, RunLauncher } from './run-launcher.js';

/** One request in words. */
export interface TextRequestEvent {
  /** The message text (mentions are removed here). */
  text: string;
  channel: string;
  user: string;
  /** The event's `event_id` (one delivery). */
  requestKey: string;
  teamId?: string;
  retryNum?: number;
  /** How the person wrote: `@tickerdesk` in a channel, or a direct message. */
  via: 'mention' | 'direct_message';
}

/** Answer one request in words; never rejects. */
export async function answerTextRequest(
  event: TextRequestEvent,
  deps: { launcher: RunLauncher; client: webApi.WebClient; logger: Logger },
): Promise<void> {
  const { launcher, client, logger } = deps;
  const note = privateNote({ client, channel: event.channel, user: event.user, logger });
  const read = readTextRequest(withoutMentions(event.text), await launcher.knownTickers());
  const how = event.via === 'mention' ? '@tickerdesk' : '';
  if (read.kind === 'help') {
    await note(helpMessage());
    return;
  }
  if (read.kind === 'none') {
    await note(noTickerNotice(how));
    return;
  }
  if (read.kind === 'several') {
    await note(severalTickersNotice(read.tickers, how));
    return;
  }
  const request: LaunchRequest = {
    ticker: read.ticker,
    channel: event.channel,
    user: event.user,
    requestKey: event.requestKey,
    ...(event.teamId ? { teamId: event.teamId } : {}),
    ...(event.retryNum === undefined ? {} : { retryNum: event.retryNum }),
  };
  const admission = launcher.admit(request);
  switch (admission.kind) {
    case 'redelivery':
      logger.info({ ticker: read.ticker, retryNum: event.retryNum, via: event.via }, 'Ignored a redelivered request');
      return;
    case 'already-running':
      await note(alreadyRunningNotice(read.ticker, admission.permalink));
      return;
    case 'rate-limited':
      await note(rateLimitNotice(admission.limit, admission.retryInMs));
      return;
    case 'start':
      await launcher.launch(request, client, note);
  }
}
