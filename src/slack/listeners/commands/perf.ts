/**
 * `/perf`: ack at once, then answer ephemerally with the desk's statistics from `metrics.perfReport()`.
 */
import type { App } from '@slack/bolt';
import { asTickerdeskError } from '../../../errors.js';
import { errorNotice, perfMessage } from '../../blocks/index.js';
import type { ListenerDeps } from '../index.js';

/** Register the `/perf` command. */
export function registerPerfCommand(app: App, { metrics, logger }: ListenerDeps): void {
  app.command('/perf', async ({ ack, respond }) => {
    await ack();
    try {
      const message = perfMessage(await metrics.perfReport());
      await respond({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
    } catch (err) {
      const error = asTickerdeskError(err);
      logger.error({ code: error.code, err: error.message }, '/perf failed');
      await respond({ response_type: 'ephemeral', text: errorNotice(`No statistics: ${error.message}`) });
    }
  });
}
