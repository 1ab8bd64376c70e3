/**
 * Readers' feedback (issue 14, part 7) in the run log: appended to the run's record, all of it kept when given at
 * once, and counted in the perf report (`npm run perf` text and the figures `/perf` shows).
 */
import { beforeEach, expect, it } from 'vitest';
import { feedbackLine } from '../../src/metrics/feedback.js';
import { formatPerfReport } from '../../src/metrics/format.js';
import type { MetricsStore } from '../../src/metrics/store.js';
import type { FeedbackEntry, RunRecord } from '../../src/metrics/types.js';
import { runLogContract } from './run-log-backends.js';

let store: MetricsStore;

function rec(id: string, ticker: string, second: number): RunRecord {
  return {
    id,
    ticker,
    via: 'slack',
    requester: 'U0ALICE',
    channel: 'C0MARKETS',
    startedAt: new Date(Date.UTC(2026, 11, 7, 8, 0, second)).toISOString(),
    stageMs: {},
    tools: { total: 8, made: 8, hits: 0, coalesced: 0, errors: 0 },
    toolMs: {},
    usage: { inputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 0, costUsd: 0 },
    errors: [],
    outcome: 'ok',
  };
}

const vote = (user: string, v: FeedbackEntry['vote'], extra: Partial<FeedbackEntry> = {}): FeedbackEntry => ({
  vote: v,
  user,
  target: 'section:summary',
  at: '2026-12-07T08:10:00.000Z',
  ...extra,
});

runLogContract('feedback in the run log', (storage) => {
  beforeEach(async () => {
    store = await storage.open();
  });

  it('is appended to the run record; feedback given at the same moment is all kept', async () => {
    await store.insert(rec('run-a', 'NVDA', 1));
    const added = await Promise.all([
      store.addFeedback('run-a', vote('U1', 'up')),
      store.addFeedback('run-a', vote('U2', 'up')),
      store.addFeedback('run-a', vote('U3', 'down', { reasons: ['wrong-figure'], comment: 'FY2025 revenue is off' })),
    ]);
    expect(added).toEqual([true, true, true]);
    const record = await store.get('run-a');
    expect(record?.feedback?.map((f) => `${f.user}:${f.vote}`).sort()).toEqual(['U1:up', 'U2:up', 'U3:down']);
    expect(record?.feedback?.find((f) => f.vote === 'down')).toMatchObject({
      reasons: ['wrong-figure'],
      comment: 'FY2025 revenue is off',
    });
    // The rest of the record is untouched.
    expect(record?.ticker).toBe('NVDA');
    expect(record?.tools.made).toBe(8);
  });

  it('for a run id the log does not know: nothing written, false', async () => {
    expect(await store.addFeedback('run-unknown', vote('U1', 'up'))).toBe(false);
    expect(await store.recent(10)).toEqual([]);
  });

  it('is counted in the perf report, in its text and in the /perf line', async () => {
    await store.insert(rec('run-a', 'NVDA', 1));
    await store.insert(rec('run-b', 'AAPL', 2));
    await store.insert(rec('run-c', 'MSFT', 3));
    await store.addFeedback('run-a', vote('U1', 'up'));
    await store.addFeedback('run-a', vote('U2', 'down', { reasons: ['out-of-date', 'wrong-figure'] }));
    await store.addFeedback('run-b', vote('U1', 'down', { reasons: ['wrong-figure'], comment: 'P/E looks stale' }));
    const report = await store.perfReport();
    expect(report.feedback).toEqual({
      up: 1,
      down: 2,
      runs: 2,
      reasons: [
        { reason: 'wrong-figure', count: 2 },
        { reason: 'out-of-date', count: 1 },
      ],
      comments: [
        {
          runId: 'run-b',
          ticker: 'AAPL',
          target: 'section:summary',
          at: '2026-12-07T08:10:00.000Z',
          comment: 'P/E looks stale',
        },
      ],
    });
    const text = formatPerfReport(report);
    expect(text).toMatch(/Reader feedback \(Slack\)\n {2}thumbs up +1\n {2}thumbs down +2\n {2}runs rated +2\n/);
    expect(text).toContain('A figure is wrong');
    expect(text).toContain('2026-12-07 AAPL section:summary: "P/E looks stale"');
    expect(feedbackLine(report.feedback, { up: '👍', down: '👎' })).toBe(
      'Feedback: 1 👍, 2 👎 on 2 runs · A figure is wrong ×2, Out of date ×1',
    );
  });

  it('none yet: said so', async () => {
    await store.insert(rec('run-a', 'NVDA', 1));
    const report = await store.perfReport();
    expect(formatPerfReport(report)).toContain('Reader feedback (Slack)\n  none yet\n');
    expect(feedbackLine(report.feedback, { up: '👍', down: '👎' })).toBe('Feedback: none yet');
  });
});
