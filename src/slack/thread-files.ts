/**
 * Files in a run's thread, with `files.uploadV2` (three Web API steps: `files.getUploadURLExternal`, the upload to
 * the URL it gives, `files.completeUploadExternal`; scope `files:write`): the price chart (PNG) right after the
 * Technicals section, and on request (`/research-stock NVDA --file`) the whole report as a Markdown file at the
 * end. A chart that cannot be drawn or a file Slack refuses becomes a short text note in the thread; the run and
 * its thread go on either way, so these functions never reject.
 */
import type { webApi } from '@slack/bolt';
import type { PriceChart } from '../charts/price-chart.js';
import type { Logger } from '../log.js';
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
 * Upload `file` into `target.channel` (into the thread when `threadTs` is set) with `files.uploadV2`.
 * @returns the file id Slack gave it. @throws the Web API error (`classifySlackError` names it).
 */
export async function upload(
  target: Omit<ThreadTarget, 'threadTs'> & { threadTs?: string },
  file: Upload,
): Promise<string | undefined> {
  const content = {
    channel_id: target.channel,
    file: file.file,
    filename: file.filename,
    title: file.title,
    ...(file.altText ? { alt_text: file.altText } : {}),
    ...(file.initialComment ? { initial_comment: file.initialComment } : {}),
  };
  const threadTs = target.threadTs;
  const res = await withRateLimitRetry(
    () =>
      threadTs
        ? target.client.files.uploadV2({ ...content, thread_ts: threadTs })
        : target.client.files.uploadV2(content),
    target.logger,
    'files.uploadV2',
  );
  const completed = (res as { files?: { files?: { id?: string }[] }[] }).files?.[0]?.files?.[0];
  return completed?.id;
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
    await note(target, `No price chart for ${ticker}: ${reason.replace(/\.$/, '')}. The report goes on without it.`);
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

/** Attach the report as a Markdown file at the end of the thread (`/research-stock TICKER --file`). */
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
