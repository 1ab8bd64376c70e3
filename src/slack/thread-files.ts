/**
 * Files in a run's thread, in Slack's three upload steps (`files.getUploadURLExternal`, the upload to the URL it
 * gives, `files.completeUploadExternal`; scope `files:write`): the price chart (PNG) right after the
 * Technicals section, and on request (`/research-stock NVDA --file`) the whole report as a Markdown file at the
 * end. A chart that cannot be drawn or a file Slack refuses becomes a short text note in the thread; the run and
 * its thread go on either way, so these functions never reject.
 */
import type { webApi } from '@slack/bolt';
import type { PriceChart } from '../charts/price-chart.js';
import type { Logger } from '../log.js';
import { reportBaseName } from '../report/files.js';
import { buildReportMarkdown } from '../report/markdown.js';
import type { RunResult } from '../research/types.js';
import { clip, contextLine, escapeMrkdwn } from './blocks/format.js';
import { classifySlackError, type SlackFailure } from './slack-errors.js';
import { withRateLimitRetry } from './web-api-calls.js';

/** The thread files go to. */
export interface ThreadTarget {
  client: webApi.WebClient;
  channel: string;
  /** `ts` of the run's parent message. */
  threadTs: string;
  logger: Logger;
  /**
   * Told of an upload Slack refused; `true` means the channel or thread is gone, so no note is attempted there
   * either (the caller tells the requester).
   */
  onRefused?: (failure: SlackFailure) => boolean;
}

/** How an attempt ended: the file is in the thread, or a note explains why not. */
export type FileOutcome = { kind: 'uploaded'; fileId?: string } | { kind: 'noted'; reason: string };

/** Plain words for an upload Slack refused. */
export function uploadFailureWords(failure: SlackFailure): string {
  switch (failure.kind) {
    case 'missing_scope':
      return 'the app lacks the `files:write` permission (reinstall it with the scope from manifest.yml)';
    case 'not_in_channel':
      return 'tickerdesk is not a member of this channel';
    case 'ratelimited':
      return 'Slack is rate limiting uploads right now';
    case 'too_long':
      return 'Slack refused the file as too large';
    case 'message_gone':
      return 'the thread it belongs to was deleted';
    case 'blocks_refused':
      return `Slack refused the upload (${failure.code})`;
    case 'transient':
    case 'other':
      return failure.message.replace(/\.$/, '');
  }
}

/** Post a one-line warning in the thread (best effort: a failure here is only logged). */
async function note(target: ThreadTarget, text: string): Promise<void> {
  try {
    await withRateLimitRetry(
      () =>
        target.client.chat.postMessage({
          channel: target.channel,
          thread_ts: target.threadTs,
          text,
          blocks: [contextLine(`:warning: ${clip(escapeMrkdwn(text), 2900)}`)],
        }),
      target.logger,
      'chat.postMessage (file note)',
    );
  } catch (err) {
    target.logger.error({ code: classifySlackError(err).code }, 'Could not post a note about a file in the thread');
  }
}

/** A file to upload. */
export interface Upload {
  file: Buffer;
  filename: string;
  title: string;
  altText?: string;
  initialComment?: string;
}

/**
 * Upload `file` into `target.channel` (into the thread when `threadTs` is set) in Slack's three steps:
 * `files.getUploadURLExternal` (filename, length and the alt text as `alt_txt`, the argument Slack documents; the
 * SDK's `files.uploadV2` sends it as `alt_text`, which Slack ignores), the bytes posted to the URL it returns, then
 * `files.completeUploadExternal` into the channel or thread with the title and caption. Rate limits are retried
 * per step.
 * @returns the file id Slack gave it. @throws the Web API error (`classifySlackError` names it), or an Error when
 *   the upload URL refuses the bytes.
 */
export async function upload(
  target: Omit<ThreadTarget, 'threadTs'> & { threadTs?: string },
  file: Upload,
): Promise<string | undefined> {
  const { client, logger } = target;
  const url = (await withRateLimitRetry(
    () =>
      client.apiCall('files.getUploadURLExternal', {
        filename: file.filename,
        length: file.file.length,
        ...(file.altText ? { alt_txt: file.altText } : {}),
      }),
    logger,
    'files.getUploadURLExternal',
  )) as { upload_url?: string; file_id?: string };
  if (!url.upload_url || !url.file_id) throw new Error('Slack gave no upload URL for the file.');
  const sent = await fetch(url.upload_url, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: new Uint8Array(file.file),
  });
  await sent.arrayBuffer();
  if (!sent.ok) throw new Error(`Slack's upload URL refused the file (HTTP ${sent.status}).`);
  const fileId = url.file_id;
  await withRateLimitRetry(
    () =>
      client.files.completeUploadExternal({
        files: [{ id: fileId, title: file.title }],
        channel_id: target.channel,
        ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
        ...(file.initialComment ? { initial_comment: file.initialComment } : {}),
      }),
    logger,
    'files.completeUploadExternal',
  );
  return fileId;
}

/**
 * Upload a run's price chart into its thread, with its alt text and caption. `chart` is the rendering in flight
 * (started when the data arrived); its failure, or Slack's refusal, becomes a note in the thread.
 */
export async function postChart(
  target: ThreadTarget,
  ticker: string,
  chart: Promise<PriceChart>,
): Promise<FileOutcome> {
  let rendered: PriceChart;
  try {
    rendered = await chart;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    target.logger.warn({ err: reason }, 'The price chart could not be drawn');
    // Said once: the renderer's own "There is no price chart for X:" is not repeated after ours.
    const why = reason.replace(/^There is no price chart for \S+: /, '').replace(/\.$/, '');
    await note(target, `No price chart for ${ticker}: ${why}. The report goes on without it.`);
    return { kind: 'noted', reason };
  }
  try {
    const fileId = await upload(target, {
      file: rendered.png,
      filename: `${ticker}-price-chart.png`,
      title: `${ticker}: price, 12 months`,
      altText: rendered.altText,
      initialComment: rendered.caption,
    });
    return { kind: 'uploaded', ...(fileId ? { fileId } : {}) };
  } catch (err) {
    const failure = classifySlackError(err);
    target.logger.warn({ code: failure.code }, 'The price chart could not be uploaded');
    const reason = uploadFailureWords(failure);
    if (target.onRefused?.(failure)) return { kind: 'noted', reason };
    await note(target, `The price chart for ${ticker} could not be uploaded: ${reason}.`);
    return { kind: 'noted', reason };
  }
}

/**
 * Attach run `result`'s report as `TICKER-YYYY-MM-DD.md` in the thread (`/research-stock TICKER --file`, and the
 * Report file button): the same Markdown as `--out` writes, every figure's source at the end.
 */
export function postRunReport(target: ThreadTarget, result: RunResult): Promise<FileOutcome> {
  const name = result.companyName ? `${result.companyName} (${result.ticker})` : result.ticker;
  return postReportFile(
    target,
    `${reportBaseName(result)}.md`,
    buildReportMarkdown(result),
    `${name}: research report`,
  );
}

/** Attach `markdown` as a file named `filename` in the thread; a refusal becomes a note there. */
export async function postReportFile(
  target: ThreadTarget,
  filename: string,
  markdown: string,
  title: string,
): Promise<FileOutcome> {
  try {
    const fileId = await upload(target, { file: Buffer.from(markdown, 'utf8'), filename, title });
    return { kind: 'uploaded', ...(fileId ? { fileId } : {}) };
  } catch (err) {
    const failure = classifySlackError(err);
    target.logger.warn({ code: failure.code }, 'The report file could not be uploaded');
    const reason = uploadFailureWords(failure);
    if (target.onRefused?.(failure)) return { kind: 'noted', reason };
    await note(target, `The report file ${filename} could not be attached: ${reason}.`);
    return { kind: 'noted', reason };
  }
}
