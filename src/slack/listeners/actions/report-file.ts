/**
 * Report file on a finished report: ack → the report's Markdown (`TICKER-YYYY-MM-DD.md`, every figure's source at
 * the end) uploaded into its thread, through the same upload path as `/research-stock TICKER --file`. A run that has
 * not finished (or failed) gets a private answer.
 */
import type { App, BlockAction } from '@slack/bolt';
import { RUN_ACTIONS } from '../../blocks/run-actions.js';
import type { TrackedRun } from '../../run-registry.js';
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
      await press.note(noFileNote(run));
      return;
    }
    const log = logger.child({ runId: run.runId, ticker: run.ticker, user: press.user });
    const outcome = await postRunReport({ client, channel: run.channel, threadTs: run.ts, logger: log }, run.result);
    log.info({ outcome: outcome.kind }, 'Report file requested from Slack');
  });
}

/** Why run `run` has no report to upload, in plain words. */
function noFileNote(run: TrackedRun): string {
  if (run.status === 'running')
    return `The ${run.ticker} report is still being written; press Report file once it is done.`;
  if (run.status === 'finished')
    return `This ${run.ticker} report is too old for its file to be at hand. Press Refresh for a new report, with its file.`;
  return `This ${run.ticker} run did not finish, so there is no report file to upload.`;
}
