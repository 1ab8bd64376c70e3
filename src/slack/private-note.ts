/**
 * A private answer to one person, delivered by the first way that works: the command's `response_url` (valid 30
 * minutes, five posts), then `chat.postEphemeral` in the channel, then a message in the app's direct conversation
 * with the person (the Messages tab; `chat.postMessage` to the user id). An expired `response_url` (HTTP 404), a
 * channel the bot was removed from or an archived channel therefore still reach the person; nothing here throws.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../log.js';
import type { SlackMessage } from './blocks/index.js';
import { classifySlackError } from './slack-errors.js';

/** A slash command's `respond` (posts to its `response_url`). */
export type Respond = (message: {
  response_type: 'ephemeral';
  replace_original: false;
  text: string;
  blocks?: SlackMessage['blocks'];
}) => Promise<unknown>;

/** Where a private note goes. */
export interface PrivateNoteTarget {
  client: webApi.WebClient;
  /** The conversation the person wrote in. */
  channel: string;
  /** Slack user id of the person. */
  user: string;
  /** The command's `respond`, tried first when given (slash commands only). */
  respond?: Respond;
  logger: Logger;
}

/** Sends one private note; resolves `true` when some way delivered it. Never rejects. */
export type PrivateNote = (message: string | SlackMessage) => Promise<boolean>;

/** How a note was delivered, for logs and tests. */
export type NoteRoute = 'response_url' | 'ephemeral' | 'direct_message';

/**
 * A {@link PrivateNote} for `target`: `response_url` → `chat.postEphemeral` → the app's direct message with the
 * person. Each refusal is logged (its code, never the text) and the next way is tried.
 */
export function privateNote(target: PrivateNoteTarget): PrivateNote {
  return async (message) => {
    const body = typeof message === 'string' ? { text: message } : { text: message.text, blocks: message.blocks };
    const routes: [NoteRoute, () => Promise<unknown>][] = [];
    const respond = target.respond;
    if (respond)
      routes.push(['response_url', () => respond({ response_type: 'ephemeral', replace_original: false, ...body })]);
    routes.push([
      'ephemeral',
      () => target.client.chat.postEphemeral({ channel: target.channel, user: target.user, ...body }),
    ]);
    if (target.channel !== target.user) {
      routes.push(['direct_message', () => target.client.chat.postMessage({ channel: target.user, ...body })]);
    }
    for (const [route, send] of routes) {
      try {
        await send();
        target.logger.debug({ route }, 'Private note delivered');
        return true;
      } catch (err) {
        target.logger.warn({ route, code: noteErrorCode(err) }, 'A private note could not be delivered this way');
      }
    }
    target.logger.error('A private note could not be delivered at all');
    return false;
  };
}

/** The Web API error code, or the HTTP status of a `response_url` post (`http_404`). */
function noteErrorCode(err: unknown): string {
  const status = (err as { response?: { status?: number } } | undefined)?.response?.status;
  return status === undefined ? classifySlackError(err).code : `http_${status}`;
}
