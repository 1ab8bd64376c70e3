/**
 * Web API calls that survive Slack's limits: a rate-limited call waits `Retry-After` and is tried again, and a
 * message refused as too long is split and posted in parts, so no text is lost.
 *
 * The `WebClient` is built with `rejectRateLimitedCalls: true` on purpose: its own 429 handling pauses the whole
 * client's queue and then resends the *same* payload, while the callers here want to resend the *latest* state
 * (coalesced edits) and to handle `ok: false, error: "ratelimited"` the same way.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../log.js';
import { type SlackMessage, splitMessage } from './blocks/index.js';
import { type Gate, openGate } from './method-budget.js';
import { classifySlackError } from './slack-errors.js';

/** Sleep `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Most attempts of one call while Slack keeps answering `ratelimited`. */
export const MAX_RATE_LIMITED_ATTEMPTS = 8;

/**
 * Run `call`; when Slack answers `ratelimited`, wait its `Retry-After` and run it again (up to
 * {@link MAX_RATE_LIMITED_ATTEMPTS} times). Other errors are thrown unchanged.
 */
export async function withRateLimitRetry<T>(call: () => Promise<T>, logger: Logger, what: string): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const failure = classifySlackError(err);
      if (failure.kind !== 'ratelimited' || attempt >= MAX_RATE_LIMITED_ATTEMPTS) throw err;
      logger.warn({ what, retryAfterMs: failure.retryAfterMs, attempt }, 'Slack rate limited a call; waiting');
      await sleep(failure.retryAfterMs);
    }
  }
}

/** Where a message goes: a channel, and a thread when `threadTs` is set. */
export interface Destination {
  channel: string;
  threadTs?: string;
}

/**
 * Post `message` (rate limits retried); when Slack refuses it as too long, split it in two and post both, in
 * order, recursively (each post within the `chat.postMessage` budget of `gate`); when Slack refuses its blocks (`invalid_blocks`), post its `legacy` rendering instead. Returns the `ts` of every message posted.
 * @throws the Web API error when the message cannot be posted (not in channel, missing scope, …).
 */
export async function postMessageSplitting(
  client: webApi.WebClient,
  to: Destination,
  message: SlackMessage,
  logger: Logger,
  gate: Gate = openGate,
): Promise<string[]> {
  try {
    const res = await withRateLimitRetry(
      () =>
        gate('chat.postMessage', () =>
          client.chat.postMessage({
            channel: to.channel,
            ...(to.threadTs ? { thread_ts: to.threadTs } : {}),
            text: message.text,
            blocks: message.blocks,
            unfurl_links: false,
            unfurl_media: false,
          }),
        ),
      logger,
      'chat.postMessage',
    );
    return res.ts ? [res.ts] : [];
  } catch (err) {
    const failure = classifySlackError(err);
    if (failure.kind === 'blocks_refused' && message.legacy) {
      logger.info({ code: failure.code }, 'Slack refused the blocks of a message; posting its mrkdwn rendering');
      const posted: string[] = [];
      for (const legacy of message.legacy)
        posted.push(...(await postMessageSplitting(client, to, legacy, logger, gate)));
      return posted;
    }
    const halves = failure.kind === 'too_long' ? splitMessage(message) : null;
    if (!halves) throw err;
    logger.info(
      { code: failure.code, blocks: message.blocks.length },
      'Slack refused a message as too long; splitting',
    );
    const first = await postMessageSplitting(client, to, halves[0], logger, gate);
    const second = await postMessageSplitting(client, to, halves[1], logger, gate);
    return [...first, ...second];
  }
}
