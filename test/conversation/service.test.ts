/**
 * The conversation service on its own: a thread's record kept from the parent to the end of the run (also a failed
 * one), questions queued per thread, the offline fallback when an answerer fails, a redelivered question answered
 * once. The thread store is keyv in memory; the run is a small handle driven by the test.
 */
import { EventEmitter } from 'node:events';
import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { createOfflineAnswerer } from '../../src/conversation/offline/index.js';
import { ConversationService } from '../../src/conversation/service.js';
import { KeyvThreadStore } from '../../src/conversation/thread-store.js';
import type { FollowUpAnswerer, FollowUpQuestion, ThreadData } from '../../src/conversation/types.js';
import { ToolFailedError } from '../../src/errors.js';
import { logger } from '../../src/log.js';
import { analyzeBundle } from '../../src/research/analysts/index.js';
import { ANALYSTS, type RunHandle, type RunResult } from '../../src/research/types.js';
import { nvdaBundle } from '../helpers/bundle-fixtures.js';

const KEY = { channel: 'C0TEST', threadTs: '1700000000.000100' };

/** A run handle whose result the test settles. */
function runHandle(ticker = 'NVDA') {
  const events = new EventEmitter();
  let settle: { resolve: (r: RunResult) => void; reject: (e: Error) => void } | undefined;
  const result = new Promise<RunResult>((resolve, reject) => {
    settle = { resolve, reject };
  });
  result.catch(() => undefined);
  const handle = {
    runId: `run-${ticker}-${Math.random().toString(36).slice(2, 8)}`,
    ticker,
    result,
    on: (e: string, l: (p: unknown) => void) => (events.on(e, l), handle),
    off: (e: string, l: (p: unknown) => void) => (events.off(e, l), handle),
    cancel: () => undefined,
  } as unknown as RunHandle;
  return { handle, finish: (r: RunResult) => settle?.resolve(r), fail: (e: Error) => settle?.reject(e) };
}

function resultFor(handle: RunHandle): RunResult {
  const bundle = nvdaBundle();
  const findings = ANALYSTS.map((a) => analyzeBundle(a, bundle));
  return {
    runId: handle.runId,
    ticker: handle.ticker,
    outcome: 'ok',
    sections: [{ id: 'summary', title: 'Executive summary', index: 0, markdown: 'Summary.' }],
    findings,
    verdict: { rating: 'hold', signal: 'neutral', confidence: 0.5, line: 'Hold' },
    startedAt: new Date().toISOString(),
    durationMs: 1,
    firstOutputMs: 1,
    firstSectionMs: 1,
    stageMs: { prefetch: 1, analysts: 1, sections: 1 },
    tools: { total: 8, hits: 0, misses: 8, coalesced: 0, errors: 0 },
    usage: { inputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 0, costUsd: 0 },
    problems: [],
    bundle,
  };
}

/** Thread data that must not be used (a figure question needs none). */
const noData: ThreadData = {
  bundle: async () => {
    throw new Error('no data calls expected');
  },
  knownTickers: async () => new Set(['NVDA', 'AMD']),
};

let seq = 0;
const question = (text: string): FollowUpQuestion => ({
  text,
  user: 'U0BOB',
  askedAt: new Date().toISOString(),
  id: `Ev${++seq}`,
});

function service(answerer: FollowUpAnswerer = createOfflineAnswerer(), fallback?: FollowUpAnswerer) {
  const store = new KeyvThreadStore(new Keyv(), { logger, label: 'memory' });
  return {
    store,
    conversation: new ConversationService({
      store,
      answerer,
      ...(fallback ? { fallback } : {}),
      data: noData,
      logger,
    }),
  };
}

describe('ConversationService', () => {
  it('keeps a thread from its parent (running) to the end of the run, with the previous run of the ticker', async () => {
    const { conversation, store } = service();
    const first = runHandle();
    const kept = conversation.follow(first.handle, { ...KEY, requester: 'U0ALICE' });
    await expect.poll(async () => (await conversation.thread(KEY))?.status).toBe('running');
    expect(await conversation.ask(KEY, question('gross margin?'))).toMatchObject({ intent: 'run-running' });
    first.finish(resultFor(first.handle));
    await kept;
    const record = await conversation.thread(KEY);
    expect(record).toMatchObject({ status: 'finished', ticker: 'NVDA', requester: 'U0ALICE', outcome: 'ok' });
    expect(record?.previous).toBeUndefined();
    expect((await store.latestRun('NVDA'))?.runId).toBe(first.handle.runId);

    const again = runHandle();
    const key2 = { channel: 'C0TEST', threadTs: '1700000100.000100' };
    const kept2 = conversation.follow(again.handle, { ...key2, requester: 'U0BOB' });
    again.finish(resultFor(again.handle));
    await kept2;
    expect((await conversation.thread(key2))?.previous?.runId).toBe(first.handle.runId);
    const changes = await conversation.ask(key2, question("what's changed since the last report?"));
    expect(changes?.text).toMatch(/Nothing in the key figures changed since the previous NVDA report/);
  });

  it("answers a question in a failed run's thread plainly, without calling an answerer", async () => {
    const calls: string[] = [];
    const answerer: FollowUpAnswerer = {
      name: 'spy',
      answer: async (q) => {
        calls.push(q.text);
        return { text: 'x', figures: [], toolCalls: [], answerer: 'spy', intent: 'x' };
      },
    };
    const { conversation } = service(answerer);
    const run = runHandle();
    const kept = conversation.follow(run.handle, { ...KEY, requester: 'U0ALICE' });
    run.fail(new ToolFailedError('tickerdesk', 'No data could be fetched for NVDA.'));
    await kept;
    const answer = await conversation.ask(KEY, question('gross margin?'));
    expect(answer?.intent).toBe('run-failed');
    expect(answer?.text).toContain('did not finish (No data could be fetched for NVDA.)');
    expect(answer?.text).toContain('/research-stock NVDA');
    expect(calls).toEqual([]);
  });

  it('answers offline, with a note, when the answerer fails; a thread it does not know gets undefined', async () => {
    const failing: FollowUpAnswerer = {
      name: 'claude',
      answer: async () => {
        throw new Error('the model timed out');
      },
    };
    const { conversation } = service(failing, createOfflineAnswerer());
    const run = runHandle();
    const kept = conversation.follow(run.handle, { ...KEY, requester: 'U0ALICE' });
    run.finish(resultFor(run.handle));
    await kept;
    const answer = await conversation.ask(KEY, question('what is the gross margin?'));
    expect(answer?.answerer).toBe('offline');
    expect(answer?.fallback).toBe('The claude answer failed (the model timed out); answered offline instead.');
    expect(answer?.text).toMatch(/Gross margin, FY\d{4}: \*\*[\d.]+%\*\*/);
    expect(await conversation.ask({ channel: 'C0TEST', threadTs: '1.1' }, question('gross margin?'))).toBeUndefined();
  });

  it('answers the questions of one thread one at a time, in the order asked, and a redelivery once', async () => {
    let active = 0;
    let most = 0;
    const order: string[] = [];
    const gate: (() => void)[] = [];
    const slow: FollowUpAnswerer = {
      name: 'slow',
      answer: async (q) => {
        active++;
        most = Math.max(most, active);
        await new Promise<void>((resolve) => gate.push(resolve));
        order.push(q.text);
        active--;
        return { text: `answer to ${q.text}`, figures: [], toolCalls: [], answerer: 'slow', intent: 'x' };
      },
    };
    const { conversation } = service(slow);
    const run = runHandle();
    const kept = conversation.follow(run.handle, { ...KEY, requester: 'U0ALICE' });
    run.finish(resultFor(run.handle));
    await kept;
    const asked = ['one', 'two', 'three'].map(question);
    const answers = asked.map((q) => conversation.ask(KEY, q));
    const redelivered = await conversation.ask(KEY, asked[0] as FollowUpQuestion);
    expect(redelivered).toBeUndefined();
    while (order.length < 3) {
      await expect.poll(() => gate.length).toBeGreaterThan(0);
      gate.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    expect((await Promise.all(answers)).map((a) => a?.text)).toEqual([
      'answer to one',
      'answer to two',
      'answer to three',
    ]);
    expect(order).toEqual(['one', 'two', 'three']);
    expect(most).toBe(1);
    expect((await conversation.thread(KEY))?.exchanges.map((e) => e.question)).toEqual(['one', 'two', 'three']);
  });
});
