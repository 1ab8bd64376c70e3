/**
 * Refresh on a finished report: ack → a fresh run of the same ticker in the same channel (cache reads skipped, like
 * `--fresh`), posted as a new report asked by whoever pressed; the usual admission applies (one run of a ticker per
 * channel at a time, the per-user rate limit), with its private notes.
 */
import type { App, BlockAction } from '@slack/bolt';
import { RUN_ACTIONS } from '../../blocks/run-actions.js';
import type { ListenerDeps } from '../index.js';
import { launchFromPress, mayResearchFromPress, readPress, runOfPress } from './run-button.js';

/** Register the Refresh button. */
export function registerRefreshRun(app: App, { registry, permissions, launcher, logger }: ListenerDeps): void {
  app.action<BlockAction>(RUN_ACTIONS.refresh, async ({ ack, body, client, respond }) => {
    await ack();
    const press = readPress(body, client, respond, logger);
    const run = await runOfPress(registry, press.value, press);
    if (!run || !(await mayResearchFromPress(permissions, run, press))) return;
    const request = {
      ticker: run.ticker,
      channel: run.channel,
      user: press.user,
      requestKey: `refresh:${press.triggerId}`,
      fresh: true,
      ...(press.teamId ? { teamId: press.teamId } : {}),
    };
    await launchFromPress(launcher, request, press, client, () =>
      logger.info({ ticker: run.ticker, from: run.runId }, 'Refresh: a fresh run from Slack'),
    );
  });
}
