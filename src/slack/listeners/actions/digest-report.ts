/**
 * *Full report* on a watchlist digest: ack → the person may run research in the digest's channel
 * (`ALLOWED_USERS`, `ALLOWED_CHANNELS`) → a report of the button's ticker in that channel, started as
 * `/research-stock TICKER` would (the same admission: one run of a ticker per channel at a time, the per-user rate
 * limit, the unknown-ticker check), with its private notes.
 */
import type { App, BlockAction } from '@slack/bolt';
import { normalizeTicker } from '../../../tickers.js';
import { DIGEST_ACTIONS } from '../../blocks/digest.js';
import type { ListenerDeps } from '../index.js';
import { launchFromPress, readPress } from './run-button.js';

/** Register the digest's Full report buttons. */
export function registerDigestReport(app: App, { permissions, launcher, logger }: ListenerDeps): void {
  app.action<BlockAction>(DIGEST_ACTIONS.report, async ({ ack, body, client, respond }) => {
    await ack();
    const press = readPress(body, client, respond, logger);
    let ticker: string;
    try {
      ticker = normalizeTicker(press.value);
    } catch {
      await press.note('This button names no ticker, so nothing was started. Try `/research-stock TICKER`.');
      return;
    }
    const refusal = permissions.check('research', press.user, press.channel);
    if (refusal) {
      await press.note(refusal.text);
      return;
    }
    const request = {
      ticker,
      channel: press.channel,
      user: press.user,
      requestKey: `digest:${press.triggerId}`,
      ...(press.teamId ? { teamId: press.teamId } : {}),
    };
    await launchFromPress(launcher, request, press, client, () =>
      logger.info({ ticker, user: press.user, channel: press.channel }, 'Full report from a watchlist digest'),
    );
  });
}
