/**
 * With SLACK_STREAMING=true a run is one stream in its thread: a plan whose `task_update` chunks show each stage,
 * tool call and section, sent through `client.chatStream()`. The stand-in answers as Slack does: it checks every
 * chunk, and a stream takes appends for five minutes, then answers `message_not_in_streaming_state` — from then on
 * the plan is edited with `chat.update` on the stream's `ts`. Simulated clock (see `simulated-clock.ts`).
 */
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../src/log.js';
import type { DataBundle } from '../../src/research/types.js';
import { clientOptions } from '../../src/slack/app.js';
import { SlackMethodBudget } from '../../src/slack/method-budget.js';
import { partSources, progressTasks } from '../../src/slack/progress-chunks.js';
import { initialProgress } from '../../src/slack/progress-state.js';
import { ThreadWriter } from '../../src/slack/thread-writer.js';
import { drive, longestSilence, SIMULATED } from '../helpers/simulated-clock.js';
import { SlackResearchDouble } from '../helpers/slack-research-double.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';
import { renderBlocks } from '../helpers/slack-transcript.js';

let standIn: SlackStandIn;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: [...SIMULATED] });
  standIn = await new SlackStandIn().start();
});
afterAll(async () => {
  vi.useRealTimers();
  await standIn.close();
});

/** Open a streaming writer in `channel`, follow a run of `ticker` to its end on the simulated clock. */
async function streamedRun(channel: string, ticker: string, research: SlackResearchDouble) {
  const budget = new SlackMethodBudget();
  const client = new webApi.WebClient(standIn.token, clientOptions(standIn.apiUrl));
  const started = Date.now();
  const writer = await drive(
    budget,
    ThreadWriter.open({
      client,
      channel,
      ticker,
      logger,
      chart: false,
      gate: budget.gate('T0TEST', channel),
      stream: { teamId: 'T0TEST', userId: 'U0ALICE' },
    }),
  );
  const result = await drive(budget, writer.follow(research.start(ticker)));
  const stream = standIn.callsOf('chat.startStream').find((c) => c.args.thread_ts === writer.ts);
  return { writer, result, started, ended: Date.now(), streamTs: stream?.ts as string };
}

describe('The run as one stream', () => {
  it('streams a plan: every stage, tool and section a task, only changes appended, stopped at the end', async () => {
    const { writer, result, started, ended, streamTs } = await streamedRun(
      'C0STREAM',
      'NVDA',
      new SlackResearchDouble({ stepMs: 1200 }),
    );
    expect(result?.outcome).toBe('ok');
    const start = standIn.callsOf('chat.startStream').find((c) => c.ts === streamTs);
    expect(start?.args.task_display_mode).toBe('plan');
    expect(start?.args.recipient_user_id).toBe('U0ALICE');
    const stream = standIn.messages.get(streamTs);
    expect(stream?.stream).toBe('stopped');
    const chunks = stream?.chunks ?? [];
    expect(chunks[0]).toEqual({ type: 'plan_update', title: 'Researching NVDA' });
    // The last state of each task: all complete, in the order they appeared.
    const last = new Map<string, { title?: unknown; status?: unknown }>();
    for (const c of chunks) if (c.type === 'task_update') last.set(String(c.id), c);
    expect([...last.keys()].slice(0, 2)).toEqual(['fetch', 'tool-profile']);
    expect([...last.keys()]).toContain('tool-news');
    expect([...last.keys()].slice(-7)).toEqual([
      'analysts',
      'section-summary',
      'section-fundamentals',
      'section-technicals',
      'section-news',
      'section-risks',
      'section-verdict',
    ]);
    for (const task of last.values()) expect(task.status).toBe('complete');
    expect(chunks.filter((c) => c.type === 'plan_update').at(-1)?.title).toBe(
      'Research on NVDA · NVDA Corporation: done',
    );
    // Only what changed is appended: far fewer task chunks than tasks × appends.
    const appends = standIn.callsOf('chat.appendStream').filter((c) => c.args.ts === streamTs);
    expect(appends.length).toBeGreaterThan(5);
    expect(chunks.filter((c) => c.type === 'task_update').length).toBeLessThan(appends.length * last.size);
    // The parent is edited only at stage changes and at the end; the plan carries the beat.
    const parentEdits = standIn.callsOf('chat.update').filter((c) => c.args.ts === writer.ts);
    expect(parentEdits.length).toBeLessThanOrEqual(8);
    expect(renderBlocks(standIn.messages.get(writer.ts)?.blocks ?? [])).toContain('*Verdict:* Hold');
    expect(longestSilence(standIn, writer.ts, started, ended)).toBeLessThanOrEqual(10_000);
    expect(writer.replyTs).toHaveLength(6);
  });

  it('carries on with chat.update on the stream ts once Slack answers message_not_in_streaming_state', async () => {
    // A long silent stretch before the sections: the run outlives the stream's five minutes.
    const research = new SlackResearchDouble({ stepMs: 1200, pauseBeforeSectionsMs: 6 * 60_000 });
    const { writer, result, started, ended, streamTs } = await streamedRun('C0EXPIRE', 'AMD', research);
    expect(result?.outcome).toBe('ok');
    const onStream = standIn.calls.filter((c) => c.args.ts === streamTs);
    const refused = onStream.findIndex((c) => c.error === 'message_not_in_streaming_state');
    expect(refused).toBeGreaterThan(0);
    expect(onStream[refused]?.method).toBe('chat.appendStream');
    const after = onStream.slice(refused + 1);
    // No stream call after the refusal: edits only, and the last one shows every task done.
    expect(new Set(after.map((c) => c.method))).toEqual(new Set(['chat.update']));
    const plan = renderBlocks(standIn.messages.get(streamTs)?.blocks ?? []);
    expect(plan).toContain('*Research on AMD');
    expect(plan).toContain(':white_check_mark: Write Verdict');
    expect(plan).not.toContain(':hourglass_flowing_sand:');
    expect(longestSilence(standIn, writer.ts, started, ended)).toBeLessThanOrEqual(10_000);
  });
});

describe('progressTasks', () => {
  it('names SEC filings and news items as the sources of the tasks that fetched them', () => {
    const source = { provider: 'sec-submissions', ref: '10-K accn 0001045810-26-000010', url: 'https://www.sec.gov/a' };
    const event = (i: number) => ({
      date: `2026-08-0${i}`,
      kind: i === 1 ? '8-K' : 'news',
      title: `Item ${i}`,
      items: [],
      url: `https://example.org/${i}`,
      source,
    });
    const bundle = {
      ticker: 'NVDA',
      financialsAnnual: { status: 'ok', data: { source }, source: 'x', fetchedAt: '', cache: 'miss', ms: 1 },
      news: {
        status: 'ok',
        data: { ticker: 'NVDA', events: [1, 2, 3, 4, 5, 6, 7].map(event), source },
        source: 'x',
        fetchedAt: '',
        cache: 'miss',
        ms: 1,
      },
    } as unknown as DataBundle;
    expect(partSources(bundle, 'financialsAnnual')).toEqual([
      { type: 'url', url: 'https://www.sec.gov/a', text: '10-K accn 0001045810-26-000010' },
    ]);
    expect(partSources(bundle, 'news').map((s) => s.text)).toEqual([
      '2026-08-01 · Item 1',
      '2026-08-02 · Item 2',
      '2026-08-03 · Item 3',
      '2026-08-04 · Item 4',
      '2026-08-05 · Item 5',
    ]);
    const state = initialProgress('NVDA', 0);
    const tasks = progressTasks(
      { ...state, phase: 'running', stages: { ...state.stages, prefetch: { status: 'done', ms: 10 } } },
      [{ tool: 'get_company_news', part: 'news', cache: 'miss', ms: 320 }],
      bundle,
    );
    const news = tasks.find((t) => t.id === 'tool-news');
    expect(news).toMatchObject({ status: 'complete', details: 'fetched in 320 ms' });
    expect(news?.sources).toHaveLength(5);
    expect(tasks.find((t) => t.id === 'fetch')?.sources?.[0]?.url).toBe('https://www.sec.gov/a');
  });
});
