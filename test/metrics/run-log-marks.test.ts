/**
 * The run log's contract, continued (SQLite and Redis alike): retention and abandoned runs at open, `/perf reset`
 * points and permission refusals seen by every reader of the run log, and feedback given on one instance while
 * another writes the run's record.
 */
import { beforeEach, expect, it } from 'vitest';
import type { MetricsStore } from '../../src/metrics/store.js';
import { okRecord } from './fake-run.js';
import { runLogContract } from './run-log-backends.js';

const record = okRecord;

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const DAY = 86_400_000;

runLogContract('run log at open', (storage) => {
  it('removes records of runs started before the retention window', async () => {
    const first = await storage.open();
    await first.insert(record('old', ago(91 * DAY)));
    await first.insert(record('recent', ago(89 * DAY)));
    await first.close();
    const store = await storage.open({ retentionDays: 90 });
    expect((await store.recent(10)).map((r) => r.id)).toEqual(['recent']);
    expect(await store.get('old')).toBeUndefined();
    expect((await store.perfReport()).runs).toBe(1);
  });

  it('marks records still running long after the longest run as abandoned (their process died)', async () => {
    const first = await storage.open();
    await first.insert({ ...record('killed', ago(2 * 3_600_000)), outcome: 'running' });
    await first.insert({ ...record('going'), outcome: 'running' });
    await first.close();
    const store = await storage.open({ abandonAfterMs: 3_600_000 });
    expect((await store.get('killed'))?.outcome).toBe('abandoned');
    expect((await store.get('going'))?.outcome).toBe('running');
    expect((await store.perfReport()).byOutcome).toEqual({ abandoned: 1, running: 1 });
  });
});

runLogContract('resets and refusals', (storage) => {
  let a: MetricsStore;
  let b: MetricsStore;
  beforeEach(async () => {
    a = await storage.open();
    b = await storage.open();
  });

  it('a reset made through one reader is seen by another: both count from it, and the records are kept', async () => {
    await a.insert(record('before', ago(60_000)));
    await b.insert(record('before-too', ago(50_000)));
    expect((await b.perfReport()).runs).toBe(2);
    const reset = await a.resetPerf('U0BOSS');
    await b.insert(record('after', ago(-1000)));
    for (const store of [a, b]) {
      const report = await store.perfReport();
      expect(report.reset).toEqual(reset);
      expect(report.runs).toBe(1);
      expect(report.byOutcome).toEqual({ ok: 1 });
    }
    expect((await b.recent(10)).map((r) => r.id)).toEqual(['after', 'before-too', 'before']);
    // The latest reset wins.
    const later = await b.resetPerf('cli');
    expect((await a.perfReport()).reset).toEqual(later);
  });

  it('refusals stored through either reader are counted by both, by reason, latest last; a reset restarts them', async () => {
    await a.recordRefusal({ at: ago(3000), user: 'U1', channel: 'C1', action: 'research', reason: 'user' });
    await b.recordRefusal({
      at: ago(2000),
      user: 'U2',
      channel: 'C2',
      action: 'admin',
      reason: 'admin',
      what: '/perf reset',
    });
    await a.recordRefusal({ at: ago(1000), user: 'U3', channel: 'C9', action: 'research', reason: 'channel' });
    for (const store of [a, b]) {
      const { refusals } = await store.perfReport();
      expect(refusals?.count).toBe(3);
      expect(refusals?.byReason).toEqual({ admin: 1, channel: 1, user: 1 });
      expect(refusals?.last).toMatchObject({ user: 'U3', channel: 'C9', action: 'research', reason: 'channel' });
      expect(refusals?.last?.what).toBeUndefined();
    }
    await b.resetPerf('U0BOSS');
    expect((await a.perfReport()).refusals).toEqual({ count: 0, byReason: {} });
    await b.recordRefusal({ at: ago(-1000), user: 'U4', channel: 'C1', action: 'admin', reason: 'admin', what: 'x' });
    expect((await a.perfReport()).refusals).toMatchObject({ count: 1, last: { user: 'U4', what: 'x' } });
  });

  it("feedback given through one reader while another writes the run's record is all kept, with every write", async () => {
    await a.insert({ ...record('run'), outcome: 'running' });
    const vote = (user: string) => ({ vote: 'up' as const, user, target: 'section:summary', at: ago(0) });
    await Promise.all([
      a.update('run', { stageMs: { prefetch: 10 } }),
      b.addFeedback('run', vote('U1')),
      a.update('run', { stageMs: { analysts: 20 } }),
      b.addFeedback('run', vote('U2')),
      a.finish('run', { outcome: 'ok', durationMs: 99 }),
      b.addFeedback('run', vote('U3')),
    ]);
    for (const store of [a, b]) {
      const got = await store.get('run');
      expect(got).toMatchObject({ outcome: 'ok', durationMs: 99, stageMs: { prefetch: 10, analysts: 20 } });
      expect(got?.feedback?.map((f) => f.user).sort()).toEqual(['U1', 'U2', 'U3']);
    }
  });
});

runLogContract('a fresh run log', (storage) => {
  it('answers reads and writes sent at once, before any other', async () => {
    const store = await storage.open({ history: false });
    const fresh = await storage.open({ history: false });
    await store.insert(okRecord('one'));
    const [got, recent, report] = await Promise.all([
      fresh.get('one'),
      fresh.recent(5),
      fresh.perfReport(),
      fresh.insert(okRecord('two')),
      fresh.recordRefusal({ at: ago(0), user: 'U1', channel: 'C1', action: 'research', reason: 'user' }),
    ]);
    expect(got?.id).toBe('one');
    expect(recent.length).toBeGreaterThanOrEqual(1);
    expect(report.runs).toBeGreaterThanOrEqual(1);
    expect((await store.recent(5)).map((r) => r.id).sort()).toEqual(['one', 'two']);
  });
});
