/**
 * Report file on a finished report: ack → the report's Markdown (`TICKER-YYYY-MM-DD.md`, every figure's source at
 * the end) uploaded into its thread, through the same upload path as `/research-stock TICKER --file`. A run that has
 * not finished (or failed) gets a private answer.
 */
import type { App, BlockAction } from '@slack/bolt';
import { RUN_ACTIONS } from '../../blocks/run-actions.js';
import { postRunReport } from '../../thread-files.js';
import type { ListenerDeps } from '../index.js';
import { readPress, runOfPress } from './run-button.js';

/** Register the Report file button. */
export function registerReportFile(app: App, { registry, logger }: ListenerDeps): void {
  app.action<BlockAction>(RUN_ACTIONS.reportFile, async ({ ack, body, client, respond }) => {
    await ack();
    const press = readPress(body, client, respond, logger);
    const run = await runOfPress(registry, press.value, press);
    if (!run) return;
    if (!run.result) {
      await press.note(
        `The ${run.ticker} report has no finished report to upload (it ${run.status === 'running' ? 'is still being written' : 'did not finish'}).`,
      );
      return;
    }
    const log = logger.child({ runId: run.runId, ticker: run.ticker, user: press.user });
    const outcome = await postRunReport({ client, channel: run.channel, threadTs: run.ts, logger: log }, run.result);
    log.info({ outcome: outcome.kind }, 'Report file requested from Slack');
  });
}
