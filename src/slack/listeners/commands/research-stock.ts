/**
 * `/research-stock TICKER [--file]` (or `help`: the guide, privately; `watch`, `unwatch`, `watchlist`: the channel's
 * watchlist, see `watchlist.ts`): validate → ack (an ephemeral note for bad input, duplicates and the rate
 * limit; an empty ack otherwise) → hand off to the run launcher, which posts the parent and starts the run. `--file`
 * also attaches the report as a Markdown file at the end of the thread.
 */
import type { App } from '@slack/bolt';
import { asTickerdeskError } from '../../../errors.js';
import { normalizeTicker } from '../../../tickers.js';
import { alreadyRunningNotice, helpMessage, rateLimitNotice, usageNotice } from '../../blocks/index.js';
import { parseResearchCommand, parseWatchCommand } from '../../command-text.js';
import { privateNote } from '../../private-note.js';
import { asksForHelp } from '../../request-text.js';
import type { ListenerDeps } from '../index.js';
import { answerWatchCommand } from './watchlist.js';

/** Register the `/research-stock` command. */
export function registerResearchStockCommand(app: App, deps: ListenerDeps): void {
  const { launcher, permissions, logger } = deps;
  app.command('/research-stock', async ({ command, ack, respond, client, context }) => {
    const watch = parseWatchCommand(command.text);
    if (watch) {
      await answerWatchCommand(watch, { command, ack, respond }, deps);
      return;
    }
    const options = parseResearchCommand(command.text);
    if (asksForHelp(options.tickerText)) {
      const help = helpMessage();
      await ack({ response_type: 'ephemeral', text: help.text, blocks: help.blocks });
      return;
    }
    // In memory, before anything else: a refused person gets a private answer and nothing is posted in the channel.
    const refusal = permissions.check(
      'research',
      command.user_id,
      command.channel_id,
      `/research-stock ${command.text.trim()}`.slice(0, 60),
    );
    if (refusal) {
      await ack({ response_type: 'ephemeral', text: refusal.text });
      return;
    }
    let ticker: string;
    try {
      ticker = normalizeTicker(options.tickerText);
    } catch (err) {
      await ack({ response_type: 'ephemeral', text: usageNotice(asTickerdeskError(err).message) });
      return;
    }
    const request = {
      ticker,
      channel: command.channel_id,
      user: command.user_id,
      requestKey: command.trigger_id,
      teamId: command.team_id,
      ...(options.attachReport ? { attachReport: true } : {}),
      ...(context.retryNum === undefined ? {} : { retryNum: context.retryNum }),
    };
    const admission = launcher.admit(request);
    switch (admission.kind) {
      case 'redelivery':
        logger.info({ ticker, retryNum: context.retryNum }, 'Ignored a redelivered /research-stock');
        await ack();
        return;
      case 'already-running':
        await ack({ response_type: 'ephemeral', text: alreadyRunningNotice(ticker, admission.permalink) });
        return;
      case 'rate-limited':
        await ack({ response_type: 'ephemeral', text: rateLimitNotice(admission.limit, admission.retryInMs) });
        return;
      case 'start':
        await ack();
        await launcher.launch(
          request,
          client,
          privateNote({ client, channel: command.channel_id, user: command.user_id, respond, logger }),
        );
    }
  });
}
