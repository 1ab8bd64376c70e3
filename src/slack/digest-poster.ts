/**
 * Posting a watchlist digest in its channel: one `chat.postMessage` per channel, through the app's Web API budget
 * (`SlackMethodBudget`: Slack's per-channel posting limit, shared with the runs' messages), with the digest's
 * blocks (`blocks/digest.ts`).
 */
import type { webApi } from '@slack/bolt';
import { DigestChannelGoneError, type DigestPoster } from '../ops/digest/service.js';
import { digestMessage } from './blocks/digest.js';
import type { SlackMethodBudget } from './method-budget.js';
import { classifySlackError, describeSlackFailure } from './slack-errors.js';

/** Codes of a channel that is gone for good (archived or deleted); `not_in_channel` is not: the bot can be invited. */
const CHANNEL_GONE: ReadonlySet<string> = new Set(['channel_not_found', 'is_archived', 'channel_is_archived']);

/** The Web API client of a workspace (its bot token), for an app installed in several (OAuth). */
export type ClientFor = (teamId: string | undefined) => Promise<webApi.WebClient>;

/**
 * A {@link DigestPoster} posting with `client` (the bot token; or, installed in several workspaces, the client of the
 * watchlist's workspace) within `budget`.
 * @throws DigestChannelGoneError when the channel was archived or deleted; an Error in plain words for other refusals
 *   (the bot is not in the channel, a missing scope …).
 */
export function digestPoster(client: webApi.WebClient | ClientFor, budget: SlackMethodBudget): DigestPoster {
  return async (digest, list) => {
    const message = digestMessage(digest);
    try {
      const web = typeof client === 'function' ? await client(list.teamId) : client;
      const res = await budget.run('chat.postMessage', list.teamId ?? 'workspace', digest.channel, () =>
        web.chat.postMessage({ channel: digest.channel, text: message.text, blocks: message.blocks }),
      );
      return res.ts ? { ts: res.ts } : {};
    } catch (err) {
      const failure = classifySlackError(err);
      if (CHANNEL_GONE.has(failure.code))
        throw new DigestChannelGoneError(`the channel is gone (${failure.code})`, { cause: err });
      throw new Error(describeSlackFailure(failure), { cause: err });
    }
  };
}
