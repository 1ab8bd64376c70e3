/**
 * `/research-stock watch NVDA AMD`, `unwatch NVDA`, `watchlist`: permission (watch and unwatch need the right to run
 * research in the channel; the list may be read by anyone) → ack → hand off to the channel's watchlists
 * (`src/watchlists/`) → a short confirmation the channel sees, and privately whatever was not done and why (unknown
 * tickers with their close matches) or the list itself.
 */
import type { RespondFn, SlashCommand } from '@slack/bolt';
import { asTickerdeskError, ErrorCode } from '../../../errors.js';
import { StoreUnavailableError } from '../../../watchlists/store.js';
import {
  unwatchConfirmation,
  unwatchProblems,
  watchConfirmation,
  watchlistMessage,
  watchlistUnavailableNotice,
  watchProblems,
} from '../../blocks/watchlist.js';
import type { WatchCommandText } from '../../command-text.js';
import type { ListenerDeps } from '../index.js';

/** What the command handler passes on. */
export interface WatchRequest {
  command: SlashCommand;
  ack: (answer?: { response_type: 'ephemeral'; text: string }) => Promise<void>;
  respond: RespondFn;
}

/** Answer a watchlist subcommand of `/research-stock`. Never rejects. */
export async function answerWatchCommand(
  watch: WatchCommandText,
  { command, ack, respond }: WatchRequest,
  { watchlists, permissions, logger }: ListenerDeps,
): Promise<void> {
  if (!watchlists) {
    await ack({ response_type: 'ephemeral', text: 'Watchlists are not enabled in this app.' });
    return;
  }
  if (watch.verb !== 'watchlist') {
    const refusal = permissions.check('research', command.user_id, command.channel_id);
    if (refusal) {
      await ack({ response_type: 'ephemeral', text: refusal.text });
      return;
    }
  }
  await ack();
  const where = {
    channel: command.channel_id,
    user: command.user_id,
    ...(command.team_id ? { teamId: command.team_id } : {}),
  };
  const say = async (text: string | undefined, visible: 'in_channel' | 'ephemeral') => {
    if (text === undefined) return;
    await respond({ response_type: visible, replace_original: false, text }).catch((err: unknown) =>
      logger.warn({ err: asTickerdeskError(err).message }, 'Could not answer a watchlist command'),
    );
  };
  try {
    switch (watch.verb) {
      case 'watch': {
        const outcome = await watchlists.watch(where, watch.words);
        logger.info(
          { channel: where.channel, added: outcome.added, refused: outcome.refused.length },
          'Watchlist: watch',
        );
        await say(watchConfirmation(outcome, where.user), 'in_channel');
        await say(watchProblems(outcome, watchlists.maxTickers), 'ephemeral');
        return;
      }
      case 'unwatch': {
        const outcome = await watchlists.unwatch(where, watch.words);
        logger.info({ channel: where.channel, removed: outcome.removed }, 'Watchlist: unwatch');
        await say(unwatchConfirmation(outcome, where.user), 'in_channel');
        await say(unwatchProblems(outcome), 'ephemeral');
        return;
      }
      case 'watchlist': {
        const { list, lastDigest, closes } = await watchlists.show(where.channel);
        const message = watchlistMessage(list, lastDigest, closes);
        await respond({ response_type: 'ephemeral', replace_original: false, ...message }).catch((err: unknown) =>
          logger.warn({ err: asTickerdeskError(err).message }, 'Could not answer /research-stock watchlist'),
        );
        return;
      }
    }
  } catch (err) {
    if (err instanceof StoreUnavailableError) await say(watchlistUnavailableNotice(), 'ephemeral');
    else {
      const error = asTickerdeskError(err);
      if (error.code !== ErrorCode.InvalidInput) logger.warn({ err: error.message }, 'A watchlist command failed');
      await say(`${error.message}`, 'ephemeral');
    }
  }
}
