/**
 * Posting a watchlist digest in its channel: one `chat.postMessage` per channel, through the app's Web API budget
 * (`SlackMethodBudget`: Slack's per-channel posting limit, shared with the runs' messages), with the digest's
 * blocks (`blocks/digest.ts`).
 */
import type { webApi } from '@slack/bolt';
import type { DigestPoster } from '../ops/digest/service.js';
import { digestMessage } from './blocks/digest.js';
import type { SlackMethodBudget } from './method-budget.js';
import { classifySlackError, describeSlackFailure } from './slack-errors.js';

/**
 * A {@link DigestPoster} posting with `client` (the bot token) within `budget`.
 * @throws an Error in plain words when Slack refuses (the bot is not in the channel, a missing scope …).
 */
export function digestPoster(client: webApi.WebClient, budget: SlackMethodBudget): DigestPoster {
  return async (digest, list) => {
    const message = digestMessage(digest);
    try {
      const res = await budget.run('chat.postMessage', list.teamId ?? 'workspace', digest.channel, () =>
        client.chat.postMessage({ channel: digest.channel, text: message.text, blocks: message.blocks }),
      );
      return res.ts ? { ts: res.ts } : {};
    } catch (err) {
      throw new Error(describeSlackFailure(classifySlackError(err)), { cause: err });
    }
  };
}
