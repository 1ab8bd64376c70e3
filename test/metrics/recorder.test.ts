import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunCancelledError, ToolFailedError, UnknownTickerError } from '../../src/errors.js';
import { recordRun } from '../../src/metrics/recorder.js';
import { computePerfReport } from '../../src/metrics/stats.js';
import { type MetricsStore, openMetricsStore } from '../../src/metrics/store.js';
import type { ToolRequest } from '../../src/tools/types.js';
import { FakeRun, fakeResult } from './fake-run.js';

let dir: string;
let store: MetricsStore;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-recorder-'));
  store = await openMetricsStore(path.join(dir, 'metrics.sqlite'));
});

afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const req = (tool: string): ToolRequest => ({ server: 'tickerdesk', tool, args: { ticker: 'NVDA' } });
const started = (run: FakeRun, toolsTotal = 3) => ({
  runId: run.runId,
  ticker: run.ticker,
  startedAt: new Date().toISOString(),
  toolsTotal,
  eta: null,
});

/** Wait until the store shows what the recorder wrote in the background. */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  return read();
}

describe('recordRun', () => {
  it('keeps the record up to date from start to finish', async () => {
    const run = new FakeRun();
    const done = recordRun(run, store, { requester: 'U42', via: 'slack', channel: 'C1' }, { writer: 'template' });
    run.emit('runStarted', started(run));
    const running = await eventually(
      () => store.get(run.runId),
      (r) => r !== undefined,
    );
    expect(running).toMatchObject({
      ticker: 'NVDA',
      outcome: 'running',
      requester: 'U42',
      via: 'slack',
      channel: 'C1',
    });

    run.emit('stageStarted', { stage: 'prefetch', at: new Date().toISOString() });
    run.emit('toolCallFinished', {
      request: req('get_company_profile'),
      part: 'profile',
      done: 1,
      total: 3,
      cache: 'hit',
      ms: 4,
    });
    run.emit('toolCallFinished', {
      request: req('get_price_history'),
      part: 'prices',
      done: 2,
      total: 3,
      cache: 'miss',
      ms: 80,
    });
    run.emit('toolCallFinished', {
      request: req('get_company_news'),
      part: 'news',
      done: 3,
      total: 3,
      cache: 'miss',
      ms: 60,
    });
    run.emit('stageFinished', { stage: 'prefetch', ms: 85 });
    const mid = await eventually(
      () => store.get(run.runId),
      (r) => r?.stageMs.prefetch === 85,
    );
    expect(mid?.tools).toEqual({ total: 3, made: 2, hits: 1, coalesced: 0, errors: 0 });
    // Per-tool latency covers calls sent to a server only: the cache hit on the profile is left out.
    expect(mid?.toolMs).toEqual({ get_price_history: [80], get_company_news: [60] });

    run.emit('sectionReady', { section: { id: 'summary', title: 'Executive summary', index: 0, markdown: 'x' } });
    run.finish(
      fakeResult(run, {
        outcome: 'degraded',
        problems: ['The news & events could not be fetched: timeout'],
        tools: { total: 3, hits: 1, misses: 2, coalesced: 0, errors: 0 },
        usage: { inputTokens: 10, cacheWriteTokens: 1, cacheReadTokens: 2, outputTokens: 5, costUsd: 0.002 },
      }),
    );
    await done;
    const final = await store.get(run.runId);
    expect(final).toMatchObject({
      outcome: 'degraded',
      durationMs: 1200,
      firstOutputMs: 1,
      firstSectionMs: 800,
      stageMs: { prefetch: 500, analysts: 200, sections: 500 },
      tools: { total: 3, made: 2, hits: 1, coalesced: 0, errors: 0 },
      cacheKind: 'cold',
      writer: 'template',
      errors: ['The news & events could not be fetched: timeout'],
      usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.002 },
    });
    expect(final?.finishedAt).toBeDefined();
    // The finished run feeds the ETA.
    expect(store.estimate('NVDA')).toMatchObject({ kind: 'cold', totalMs: 1200, basedOn: 1 });
  });

  it('marks a run served wholly from cache (cached "no data" answers are hits) as warm', async () => {
    const run = new FakeRun();
    const done = recordRun(run, store, { via: 'cli', requester: 'cli' });
    run.emit('runStarted', started(run, 4));
    run.emit('toolCallFinished', {
      request: req('get_analyst_ratings'),
      part: 'analyst',
      done: 1,
      total: 4,
      cache: 'error',
      ms: 1,
      error: 'No analyst consensus in the bundled data set for KO.',
      unavailable: 'hit',
    });
    run.emit('stageFinished', { stage: 'prefetch', ms: 2 });
    const mid = await eventually(
      () => store.get(run.runId),
      (r) => r?.stageMs.prefetch === 2,
    );
    expect(mid?.tools).toEqual({ total: 1, made: 0, hits: 1, coalesced: 0, errors: 0 });
    run.finish(fakeResult(run, { tools: { total: 4, hits: 4, misses: 0, coalesced: 0, errors: 0, unavailable: 0 } }));
    await done;
    expect(await store.get(run.runId)).toMatchObject({
      outcome: 'ok',
      cacheKind: 'warm',
      tools: { total: 4, made: 0, hits: 4, coalesced: 0, errors: 0 },
    });
  });

  it('counts a "no data" answer from the server as made, not failed, and the run as cold', async () => {
    const run = new FakeRun();
    const done = recordRun(run, store, { via: 'cli', requester: 'cli' });
    run.emit('runStarted', started(run, 4));
    run.finish(fakeResult(run, { tools: { total: 4, hits: 3, misses: 0, coalesced: 0, errors: 0, unavailable: 1 } }));
    await done;
    expect(await store.get(run.runId)).toMatchObject({
      outcome: 'ok',
      cacheKind: 'cold',
      tools: { total: 4, made: 1, hits: 3, coalesced: 0, errors: 0 },
    });
  });

  it('records a failed run with its error, and an unknown ticker as rejected', async () => {
    const a = new FakeRun();
    const doneA = recordRun(a, store, { via: 'cli' });
    a.emit('runStarted', started(a));
    a.emit('toolCallFinished', {
      request: req('get_company_news'),
      part: 'news',
      done: 1,
      total: 3,
      cache: 'error',
      ms: 15,
      error: 'boom',
    });
    a.fail(new ToolFailedError('get_company_profile', 'The profile tool crashed.'), 40);
    await doneA;
    expect(await store.get(a.runId)).toMatchObject({
      outcome: 'failed',
      durationMs: 40,
      tools: { made: 1, errors: 1 },
      errors: ['tickerdesk_tool_failed: The profile tool crashed.'],
    });

    const b = new FakeRun(undefined, 'ZZZZZ');
    const doneB = recordRun(b, store, { via: 'cli' });
    b.emit('runStarted', started(b));
    b.emit('toolCallFinished', {
      request: { ...req('get_company_profile'), args: { ticker: 'ZZZZZ' } },
      part: 'profile',
      done: 1,
      total: 3,
      cache: 'error',
      ms: 5,
      error: 'Unknown ticker "ZZZZZ".',
    });
    b.fail(new UnknownTickerError('ZZZZZ', ['ZZ']));
    await doneB;
    const rb = await store.get(b.runId);
    expect(rb?.outcome).toBe('rejected');
    expect(rb?.tools).toMatchObject({ made: 1, errors: 0 }); // answered "unknown ticker": no tool failed
    expect(rb?.errors[0]).toContain('Unknown ticker "ZZZZZ"');
    expect(store.estimate('ZZZZZ')).toBeNull();
  });

  it('settles a run whose result rejects without a final event', async () => {
    const run = new FakeRun();
    const done = recordRun(run, store, { via: 'test' });
    (run as unknown as { reject: (e: unknown) => void }).reject(new ToolFailedError('tickerdesk', 'Server gone.'));
    await done;
    expect(await store.get(run.runId)).toMatchObject({ outcome: 'failed', errors: ['Server gone.'] });

    const stopped = new FakeRun();
    const doneStopped = recordRun(stopped, store, { via: 'test' });
    (stopped as unknown as { reject: (e: unknown) => void }).reject(new RunCancelledError('shutting down'));
    await doneStopped;
    expect(await store.get(stopped.runId)).toMatchObject({ outcome: 'cancelled', errors: [] });
  });

  it('records a run stopped from the terminal as cancelled, not failed, and lists no error for it', async () => {
    const run = new FakeRun();
    const done = recordRun(run, store, { via: 'cli' });
    run.emit('runStarted', started(run));
    run.fail(new RunCancelledError('stopped from the terminal'), 900);
    await done;
    expect(await store.get(run.runId)).toMatchObject({ outcome: 'cancelled', durationMs: 900, errors: [] });
    const report = computePerfReport(await store.recent(50));
    expect(report.byOutcome.cancelled).toBe(1);
    expect(report.recentErrors.some((e) => e.runId === run.runId)).toBe(false);
  });

  it('never fails or blocks the run when the store fails', async () => {
    const broken: MetricsStore = {
      ...store,
      insert: () => Promise.reject(new Error('SQLITE_BUSY: database is locked')),
      update: () => Promise.reject(new Error('SQLITE_BUSY: database is locked')),
      finish: () => Promise.reject(new Error('SQLITE_BUSY: database is locked')),
    };
    const run = new FakeRun();
    const done = recordRun(run, broken, { via: 'test' });
    expect(() => {
      run.emit('runStarted', started(run));
      run.emit('stageFinished', { stage: 'prefetch', ms: 1 });
      run.finish(fakeResult(run));
    }).not.toThrow();
    await expect(done).resolves.toBeUndefined();
    expect(run.emitter.listenerCount('stageFinished')).toBe(0);
  });
});
