/**
 * `/perf` (`/perf help`: the guide, privately): ack at once, then answer ephemerally with the desk's statistics from `metrics.perfReport()`.
 * `/perf chart` also posts the recent run durations (cold and warm) as a picture in the channel, for everyone there.
 * `/perf reset`, `/perf flush-cache` and `/perf prewarm` are admin commands (`perf-admin.ts`); any other word gets the
 * list of subcommands, privately.
 */
import type { App } from '@slack/bolt';
import { renderPerfChart } from '../../../charts/perf-chart.js';
import { asTickerdeskError } from '../../../errors.js';
import type { Logger } from '../../../log.js';
import type { PerfSource } from '../../app.js';
import {
  errorNotice,
  helpMessage,
  perfMessage,
  perfSubcommandHelp,
  refusalsLine,
  storedRefusalsScope,
} from '../../blocks/index.js';
import { parsePerfCommand } from '../../perf-command-text.js';
import { privateNote } from '../../private-note.js';
import { classifySlackError } from '../../slack-errors.js';
import { upload, uploadFailureWords } from '../../thread-files.js';
import type { ListenerDeps } from '../index.js';
import { runAdminCommand } from './perf-admin.js';

/** Runs the `/perf chart` picture shows. */
const CHART_RUNS = 40;

/** Register the `/perf` command. */
export function registerPerfCommand(app: App, deps: ListenerDeps): void {
  const { metrics, permissions, logger } = deps;
  app.command('/perf', async ({ ack, respond, command, client }) => {
    const request = parsePerfCommand(command.text);
    if (request.kind === 'help') {
      const help = helpMessage();
      await ack({ response_type: 'ephemeral', text: help.text, blocks: help.blocks });
      return;
    }
    if (request.kind === 'unknown') {
      await ack({ response_type: 'ephemeral', text: perfSubcommandHelp(request.word) });
      return;
    }
    if (request.kind === 'admin') {
      await runAdminCommand(request.action, { ack, respond, command, client }, deps);
      return;
    }
    await ack();
    // The answer is private: the response_url first, chat.postEphemeral when it has expired, then a direct message.
    const note = privateNote({ client, channel: command.channel_id, user: command.user_id, respond, logger });
    let report: Awaited<ReturnType<PerfSource['perfReport']>>;
    try {
      report = await metrics.perfReport();
    } catch (err) {
      const error = asTickerdeskError(err);
      logger.error({ code: error.code, err: error.message }, '/perf failed');
      await note(errorNotice(`No statistics: ${error.message}`));
      return;
    }
    const message = perfMessage(report);
    // Stored in the run log (kept over restarts) when the figures come from it; else counted in this process.
    const refusals = report.refusals ?? permissions.refusals();
    const scope = report.refusals ? storedRefusalsScope(report) : 'since start';
    if (refusals.count > 0) message.blocks = [...(message.blocks ?? []), refusalsLine(refusals, scope)];
    if (!(await note(message))) return;
    if (!request.chart) return;
    const problem = await postPerfChart(client, command.channel_id, metrics, logger);
    if (problem) await note(errorNotice(problem));
  });
}

/** Draw the recent runs and upload the picture into `channel`. Resolves to a plain-words problem, or undefined. */
async function postPerfChart(
  client: Parameters<typeof upload>[0]['client'],
  channel: string,
  metrics: PerfSource,
  logger: Logger,
): Promise<string | undefined> {
  if (!metrics.recent) return 'This desk keeps no run history to draw.';
  let chart: Awaited<ReturnType<typeof renderPerfChart>>;
  try {
    chart = await renderPerfChart(await metrics.recent(CHART_RUNS));
  } catch (err) {
    return `No chart: ${asTickerdeskError(err).message}`;
  }
  try {
    await upload(
      { client, channel, logger },
      {
        file: chart.png,
        filename: 'tickerdesk-perf.png',
        title: 'tickerdesk: recent run durations',
        altText: chart.altText,
        initialComment: 'Recent runs of this desk, cold and warm (from `/perf chart`).',
      },
    );
    return undefined;
  } catch (err) {
    const failure = classifySlackError(err);
    logger.warn({ code: failure.code }, '/perf chart could not be uploaded');
    return `The chart could not be posted: ${uploadFailureWords(failure)}.`;
  }
}
