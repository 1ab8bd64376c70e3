/**
 * The Slack app on the real runtime: `createRuntime(config)` (tool gateway → our MCP server on the bundled data,
 * template writer, SQLite run log in a temp TICKERDESK_HOME) behind the real Bolt app, driven with signed requests,
 * the Web API answered by the local stand-in. Two NVDA runs (cold, then warm from the cache), then `/perf`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPerfReport } from '../../src/metrics/format.js';
import { renderPerfPage } from '../../src/ops/perf-page.js';
import type { Runtime } from '../../src/runtime.js';
import type { SlackApp } from '../../src/slack/app.js';
import { commandBody, postSigned } from '../helpers/slack-request.js';
import { researchInSlack, type SlackOnRuntime, startSlackOnRuntime, waitFor } from '../helpers/slack-runtime.js';
import type { RecordedCall, SlackStandIn } from '../helpers/slack-stand-in.js';
import { renderBlocks, threadView } from '../helpers/slack-transcript.js';

const FORM = 'application/x-www-form-urlencoded';

let app: SlackOnRuntime;
let standIn: SlackStandIn;
let runtime: Runtime;
let slack: SlackApp;
let appUrl: string;
let SECRET: string;

const research = (channel: string) => researchInSlack(app, channel);
const replies = (ts: string) => [...standIn.messages.values()].filter((m) => m.threadTs === ts);

beforeAll(async () => {
  app = await startSlackOnRuntime();
  ({ standIn, runtime, slack, appUrl, secret: SECRET } = app);
});

afterAll(async () => {
  await app?.close();
});

/** `/research-stock TICKER` in `channel`; resolves with the private (ephemeral) answer and the calls made in `channel`. */
async function commandAnsweredPrivately(ticker: string, channel: string) {
  const before = standIn.calls.length;
  const res = await postSigned(
    appUrl,
    commandBody({
      command: '/research-stock',
      text: ticker,
      channelId: channel,
      responseUrl: standIn.responseUrl(channel),
    }),
    FORM,
    { secret: SECRET },
  );
  expect(res.status).toBe(200);
  await waitFor(() => standIn.callsOf(`response_url:${channel}`).length > 0, 'the private note');
  await slack.launcher.idle();
  const note = standIn.callsOf(`response_url:${channel}`)[0] as RecordedCall;
  expect(note.args.response_type).toBe('ephemeral');
  return { note, inChannel: standIn.calls.slice(before).filter((c) => c.args.channel === channel) };
}

describe('Slack app on the real runtime (bundled data, template writer)', () => {
  it('posts an NVDA report in a thread, warm from the cache the second time, and /perf shows both runs', async () => {
    const cold = await research('C0COLD');
    const coldParent = renderBlocks(standIn.messages.get(cold)?.blocks ?? []);
    expect(coldParent).toMatch(/Research on \*NVDA\* · \S+/);
    expect(coldParent).toMatch(/\*Verdict:\* (Buy|Hold|Sell)/);
    expect(coldParent).toMatch(
      /Done in [\d.]+ m?s · first section after [\d.]+ m?s · (\d+) tools: 0 cached, \1 called/,
    );
    const coldReplies = replies(cold);
    // Fundamentals opens with its table (a table block ends its message), its paragraphs follow in the next reply.
    expect(coldReplies.map((r) => renderBlocks(r.blocks).match(/^\*(\d)\/6 · ([^*]+)\*/)?.[2] ?? '…')).toEqual([
      'Executive summary',
      'Fundamentals',
      '…',
      'Technicals',
      'News &amp; events',
      'Risks',
      'Verdict',
    ]);
    expect(((coldReplies[1]?.blocks ?? []) as { type: string }[]).map((b) => b.type)).toEqual(['section', 'table']);
    expect(renderBlocks(coldReplies[1]?.blocks ?? [])).toMatch(/^\| \*Fiscal year\* \| \*Revenue\* \|/m);
    expect(renderBlocks(coldReplies[2]?.blocks ?? [])).toMatch(/^Revenue (grew|shrank) /);
    for (const r of coldReplies) expect(r.text.length).toBeLessThan(4000);

    const warm = await research('C0WARM');
    const warmParent = renderBlocks(standIn.messages.get(warm)?.blocks ?? []);
    expect(warmParent).toMatch(/(\d+) tools: \1 cached, 0 called/);
    expect(replies(warm)).toHaveLength(7);
    const warmEdits = standIn.callsOf('chat.update').filter((c) => c.args.ts === warm);
    for (let i = 1; i < warmEdits.length; i++) {
      expect((warmEdits[i]?.at ?? 0) - (warmEdits[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    }

    const expected = await runtime.metrics.perfReport();
    expect(expected.runs).toBe(2);
    await postSigned(
      appUrl,
      commandBody({ command: '/perf', text: '', responseUrl: standIn.responseUrl('perf') }),
      FORM,
      {
        secret: SECRET,
      },
    );
    await waitFor(() => standIn.callsOf('response_url:perf').length > 0, 'the /perf answer');
    const answer = standIn.callsOf('response_url:perf')[0] as RecordedCall;
    expect(answer.args.response_type).toBe('ephemeral');
    const perf = renderBlocks(answer.args.blocks as unknown[]);
    expect(perf).toContain('2 runs (2 ok)');
    expect(perf).toContain(`${((expected.cacheHitRate ?? 0) * 100).toFixed(1)}%`);
    expect(perf).toContain(`Calls saved*: ${expected.callsSaved}`);
    expect(perf).toMatch(/get_company_financials\s+\d+/);
    // The timing figures carry the same names in Slack, in `npm run perf` and on the performance page (/perf in Slack
    // said "First output" and "Duration" where the others said "Time to first output" and "Run duration").
    const cli = formatPerfReport(expected);
    const page = await renderPerfPage(runtime.metrics);
    for (const name of ['Run duration', 'Time to first output', 'Time to first section']) {
      expect(perf).toContain(`${name} p50`);
      expect(cli).toMatch(new RegExp(`^ +${name} +\\S`, 'm'));
      expect(page).toContain(name);
    }
    expect(perf).not.toMatch(/\b(First output|First section|Duration) p50/);
    console.log(`\n${threadView(standIn, cold)}\n\n/perf:\n${perf}\n`);
  });

  it('/perf chart posts the recent run durations as a picture in the channel', async () => {
    await postSigned(
      appUrl,
      commandBody({ command: '/perf', text: 'chart', channelId: 'C0PERF', responseUrl: standIn.responseUrl('chart') }),
      FORM,
      { secret: SECRET },
    );
    await waitFor(() => standIn.files.some((f) => f.channel === 'C0PERF'), 'the perf chart upload');
    const file = standIn.files.find((f) => f.channel === 'C0PERF');
    expect(file?.filename).toBe('tickerdesk-perf.png');
    expect(file?.threadTs).toBeUndefined();
    expect(file?.data.subarray(1, 4).toString()).toBe('PNG');
    expect(file?.altText).toMatch(/run/i);
    const answers = standIn.callsOf('response_url:chart');
    expect(answers[0]?.args.response_type).toBe('ephemeral');
    expect(answers.map((a) => String(a.args.text))).not.toContainEqual(expect.stringMatching(/could not|No chart/));
  });

  it('answers a ticker no source has data for (SAMSUNG) privately with the reason, and leaves nothing in the channel', async () => {
    const { note, inChannel } = await commandAnsweredPrivately('SAMSUNG', 'C0KRW');
    expect(String(note.args.text)).toContain(
      'No data for SAMSUNG: statements are reported in KRW, not USD; prices are quoted in KRW, not USD.',
    );
    // The progress message the run opened is taken back: no report, no verdict, nothing left in the channel.
    const posted = inChannel.filter((c) => c.method === 'chat.postMessage').length;
    expect(inChannel.filter((c) => c.method === 'chat.delete')).toHaveLength(posted);
    expect(inChannel.some((c) => /Verdict/.test(JSON.stringify(c.args)))).toBe(false);
  });

  it('refuses an unknown ticker privately, with the close match, before anything is posted in the channel', async () => {
    const { note, inChannel } = await commandAnsweredPrivately('NVDQ', 'C0TYPO');
    expect(String(note.args.text)).toContain('Did you mean NVDA?');
    expect(inChannel.filter((c) => ['chat.postMessage', 'chat.update', 'chat.delete'].includes(c.method))).toEqual([]);
    const rejected = (await runtime.metrics.recent(5)).find((r) => r.ticker === 'NVDQ');
    expect(rejected?.outcome).toBe('rejected');
  });
});
