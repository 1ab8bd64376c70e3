/**
 * Files in a run's thread, end to end on the real pipeline (bundled data, template writer) and a real Web API
 * client against the stand-in: the price chart arrives through the three steps of `files.uploadV2` right after the
 * Technicals section; a renderer failure or a refused upload becomes a note and the run still finishes; with
 * `attachReport` the Markdown report comes last.
 */
import { webApi } from '@slack/bolt';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataUnavailableError } from '../../src/errors.js';
import { logger } from '../../src/log.js';
import type { ResearchService } from '../../src/research/types.js';
import { clientOptions } from '../../src/slack/app.js';
import { postChart } from '../../src/slack/thread-files.js';
import { ThreadWriter, type ThreadWriterOptions } from '../../src/slack/thread-writer.js';
import { PNG_SIGNATURE } from '../charts/helpers.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';
import { bundledResearch } from '../report/bundled-run.js';

let standIn: SlackStandIn;
let research: ResearchService;
let closeResearch: () => Promise<void>;

beforeAll(async () => {
  standIn = await new SlackStandIn().start();
  ({ research, close: closeResearch } = await bundledResearch());
});
afterAll(async () => {
  await closeResearch?.();
  await standIn?.close();
});

async function runInThread(channel: string, ticker: string, extra: Partial<ThreadWriterOptions> = {}) {
  const client = new webApi.WebClient(standIn.token, clientOptions(standIn.apiUrl));
  const writer = await ThreadWriter.open({ client, channel, ticker, logger, ...extra });
  const result = await writer.follow(research.start(ticker));
  return { writer, result };
}

/** Index in the stand-in's call log of the thread reply whose text contains `marker`. */
function replyIndex(threadTs: string, marker: string): number {
  return standIn.calls.findIndex(
    (c) =>
      c.method === 'chat.postMessage' &&
      c.args.thread_ts === threadTs &&
      JSON.stringify(c.args.blocks ?? c.args.text).includes(marker),
  );
}

describe('the price chart in the thread', () => {
  it('says once why there is no chart (was "No price chart for QCOM: There is no price chart for QCOM: …")', async () => {
    const client = new webApi.WebClient(standIn.token, clientOptions(standIn.apiUrl));
    const missing = Promise.reject(
      new DataUnavailableError('There is no price chart for QCOM: no price history in the bundled data set.'),
    );
    const outcome = await postChart({ client, channel: 'C0NOPRICES', threadTs: '1.000001', logger }, 'QCOM', missing);
    expect(outcome.kind).toBe('noted');
    const note = standIn.callsOf('chat.postMessage').find((c) => c.args.channel === 'C0NOPRICES');
    expect(note?.args.text).toBe(
      'No price chart for QCOM: no price history in the bundled data set. The report goes on without it.',
    );
  });

  it('is uploaded in three steps (alt text as alt_txt) into the run thread, right after the Technicals section', async () => {
    const { writer, result } = await runInThread('C0CHART', 'NVDA');
    expect(result?.outcome).toBe('ok');

    const files = standIn.files.filter((f) => f.threadTs === writer.ts);
    expect(files).toHaveLength(1);
    const [chart] = files;
    expect(chart).toMatchObject({ channel: 'C0CHART', filename: 'NVDA-price-chart.png' });
    expect(chart?.altText).toMatch(/^Line chart of Nvidia \(NVDA\) daily closing prices/);
    expect(chart?.initialComment).toMatch(/Daily prices: IBKR, to \d{4}-\d{2}-\d{2}\.$/);
    expect(chart?.initialComment).not.toMatch(/\.csv|@[0-9a-f]{7}/);
    expect(chart?.data.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const png = PNG.sync.read(chart?.data ?? Buffer.alloc(0));
    expect([png.width, png.height]).toEqual([1200, 700]);

    // The three steps, in order, for this file.
    const id = chart?.id;
    const steps = standIn.calls
      .map((c, i) => ({ c, i }))
      .filter(
        ({ c }) =>
          c.method === 'files.getUploadURLExternal' ||
          (c.method === 'files.upload' && c.args.file_id === id) ||
          (c.method === 'files.completeUploadExternal' && JSON.stringify(c.args.files).includes(String(id))),
      );
    expect(steps.map(({ c }) => c.method).slice(-3)).toEqual([
      'files.getUploadURLExternal',
      'files.upload',
      'files.completeUploadExternal',
    ]);
    const complete = steps.at(-1);
    expect(complete?.c.args).toMatchObject({ channel_id: 'C0CHART', thread_ts: writer.ts });
    // The alt text reaches files.getUploadURLExternal under the name Slack documents (alt_txt), not alt_text.
    const asked = steps.at(-3)?.c.args;
    expect(asked?.alt_txt).toBe(chart?.altText);
    expect(asked).not.toHaveProperty('alt_text');

    // After the Technicals reply, before the News reply.
    const technicals = replyIndex(writer.ts, '3/6 · Technicals');
    const news = replyIndex(writer.ts, '4/6 · News');
    expect(technicals).toBeGreaterThanOrEqual(0);
    expect(steps[0]?.i).toBeGreaterThan(technicals);
    expect(complete?.i).toBeLessThan(news);
  }, 90_000);

  it('becomes a note in the thread when the renderer fails; the run still finishes', async () => {
    const { writer, result } = await runInThread('C0NOCHART', 'KO', {
      chart: async () => {
        throw new Error('the renderer broke.');
      },
    });
    expect(result?.outcome).toBe('ok');
    expect(standIn.files.filter((f) => f.threadTs === writer.ts)).toHaveLength(0);
    const note = replyIndex(writer.ts, 'No price chart for KO: the renderer broke. The report goes on without it.');
    expect(note).toBeGreaterThan(replyIndex(writer.ts, '3/6 · Technicals'));
    expect(note).toBeLessThan(replyIndex(writer.ts, '4/6 · News'));
    expect(writer.replyTs.length).toBeGreaterThanOrEqual(6);
  }, 90_000);

  it('becomes a note naming the missing scope when Slack refuses the upload', async () => {
    standIn.failNext('files.getUploadURLExternal', { kind: 'error', error: 'missing_scope', needed: 'files:write' });
    const { writer, result } = await runInThread('C0NOSCOPE', 'AAPL');
    expect(result?.outcome).toBe('ok');
    expect(standIn.files.filter((f) => f.threadTs === writer.ts)).toHaveLength(0);
    expect(replyIndex(writer.ts, 'files:write')).toBeGreaterThan(replyIndex(writer.ts, '3/6 · Technicals'));
  }, 90_000);
});

describe('the report as a file', () => {
  it('is attached at the end of the thread when asked for', async () => {
    const { writer, result } = await runInThread('C0FILE', 'NVDA', { attachReport: true });
    const files = standIn.files.filter((f) => f.threadTs === writer.ts);
    expect(files.map((f) => f.filename)).toEqual(['NVDA-price-chart.png', `NVDA-${result?.startedAt.slice(0, 10)}.md`]);
    const markdown = files[1]?.data.toString('utf8') ?? '';
    expect(markdown).toMatch(/^# Nvidia \(NVDA\): research report/);
    expect(markdown).toContain('## Sources of the figures');
    const complete = standIn.calls.findLastIndex((c) => c.method === 'files.completeUploadExternal');
    expect(complete).toBeGreaterThan(replyIndex(writer.ts, '6/6 · Verdict'));
  }, 90_000);
});
