/**
 * The run log's contract, on SQLite and on Redis alike (see `run-log-backends.ts`): records kept through insert,
 * update and finish, recent runs, rejected input, two writers at once, the perf report's figures and alerts, and the
 * ETA, including runs finished by another process or instance.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_WARM_WINDOW_MS } from '../../src/metrics/eta.js';
import { percentile } from '../../src/metrics/stats.js';
import { type MetricsStore, openMetricsStore } from '../../src/metrics/store.js';
import type { RunRecord } from '../../src/metrics/types.js';
import { runLogContract } from './run-log-backends.js';

let store: MetricsStore;
let seq = 0;

function rec(overrides: Partial<RunRecord> = {}): RunRecord {
  seq++;
  return {
    id: `r${seq}`,
    ticker: 'NVDA',
    via: 'test',
    startedAt: new Date(Date.UTC(2026, 10, 30, 8, 0, seq)).toISOString(),
    stageMs: {},
    tools: { total: 8, made: 8, hits: 0, coalesced: 0, errors: 0 },
    toolMs: {},
    usage: { inputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 0, costUsd: 0 },
    errors: [],
    outcome: 'running',
    ...overrides,
  };
}

async function finished(overrides: Partial<RunRecord>): Promise<RunRecord> {
  const r = rec({ outcome: 'ok', ...overrides });
  await store.insert(r);
  return r;
}

describe('percentile', () => {
  it('interpolates between closest ranks and is null for no values', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21], 95)).toBe(20);
  });
});

runLogContract('run log', (storage) => {
  beforeEach(async () => {
    store = await storage.open();
  });

  describe('records', () => {
    it('keeps records through insert, update and finish', async () => {
      const r = rec({ requester: 'U123', channel: 'C9' });
      await store.insert(r);
      await store.update(r.id, { stageMs: { prefetch: 120 }, firstOutputMs: 3 });
      await store.update(r.id, { stageMs: { analysts: 40 } });
      await store.finish(r.id, { outcome: 'degraded', durationMs: 900, errors: ['The news could not be fetched'] });
      const got = await store.get(r.id);
      expect(got).toMatchObject({
        id: r.id,
        ticker: 'NVDA',
        requester: 'U123',
        channel: 'C9',
        stageMs: { prefetch: 120, analysts: 40 },
        firstOutputMs: 3,
        durationMs: 900,
        outcome: 'degraded',
        errors: ['The news could not be fetched'],
      });
      expect(got?.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(await store.get('nope')).toBeUndefined();
    });

    it('lists recent runs newest first and survives a reopen', async () => {
      for (let i = 0; i < 5; i++) await store.insert(rec({ ticker: `T${i}` }));
      expect((await store.recent(3)).map((r) => r.ticker)).toEqual(['T4', 'T3', 'T2']);
      await store.close();
      store = await storage.open();
      expect(await store.recent(10)).toHaveLength(5);
    });

    it('records a rejected input as the only trace of it', async () => {
      const r = await store.recordRejection({ input: '  NVDA AAPL ', reason: 'One ticker at a time.', via: 'cli' });
      expect(r.outcome).toBe('rejected');
      const [got] = await store.recent(10);
      expect(got).toMatchObject({ ticker: 'NVDA AAPL', outcome: 'rejected', errors: ['One ticker at a time.'] });
      const report = await store.perfReport();
      expect(report.byOutcome).toEqual({ rejected: 1 });
      expect(report.p50DurationMs).toBeNull();
      expect(report.cacheHitRate).toBeNull();
    });

    it('lets two connections (processes, instances) write at once', async () => {
      const other = await storage.open();
      await Promise.all([
        ...Array.from({ length: 40 }, () => store.insert(rec())),
        ...Array.from({ length: 40 }, () => other.insert(rec())),
      ]);
      expect(await store.recent(100)).toHaveLength(80);
      expect(await other.recent(100)).toHaveLength(80);
    });
  });

  describe('perfReport', () => {
    it('computes outcomes, percentiles, tool counts, hit rate, calls saved, per-tool latency, usage and errors', async () => {
      const durations = [1000, 2000, 3000, 4000, 10_000];
      for (const [i, d] of durations.entries()) {
        await finished({
          durationMs: d,
          firstOutputMs: 10 * (i + 1),
          firstSectionMs: d / 2,
          tools: { total: 8, made: 2, hits: 5, coalesced: 1, errors: 0 },
          toolMs: { get_company_profile: [10 * (i + 1)], get_price_history: [100] },
          usage: {
            inputTokens: 100,
            cacheWriteTokens: 0,
            cacheReadTokens: 50,
            outputTokens: 20,
            costUsd: 0.01,
            unverifiedFigures: 2,
          },
        });
      }
      await finished({
        outcome: 'failed',
        durationMs: 500,
        errors: ['tickerdesk_tool_timeout: The data tool get_company_news did not answer within 15000 ms.'],
        tools: { total: 8, made: 8, hits: 0, coalesced: 0, errors: 1 },
      });
      const report = await store.perfReport();
      expect(report.runs).toBe(6);
      expect(report.byOutcome).toEqual({ ok: 5, failed: 1 });
      expect(report.p50DurationMs).toBe(2500);
      expect(report.p95DurationMs).toBeCloseTo(8500, 5);
      expect(report.p50FirstOutputMs).toBe(30);
      expect(report.toolCalls).toEqual({ total: 48, made: 18, hits: 25, coalesced: 5, errors: 1 });
      expect(report.cacheHitRate).toBeCloseTo(25 / 48, 10);
      expect(report.callsSaved).toBe(30);
      expect(report.perTool).toEqual([
        { tool: 'get_company_profile', calls: 5, p50Ms: 30, p95Ms: 48 },
        { tool: 'get_price_history', calls: 5, p50Ms: 100, p95Ms: 100 },
      ]);
      expect(report.usage.inputTokens).toBe(500);
      expect(report.usage.costUsd).toBeCloseTo(0.05, 10);
      expect(report.usage.unverifiedFigures).toBe(10);
      expect(report.recentErrors).toHaveLength(1);
      expect(report.recentErrors[0]?.error).toContain('get_company_news');
      expect(report.alerts).toEqual([]);
    });

    it('flags a run over 5 minutes, first output over 2 minutes and an operation over 3 minutes', async () => {
      await finished({ durationMs: 301_000, firstOutputMs: 121_000, stageMs: { prefetch: 181_000 } });
      await finished({ durationMs: 1000, toolMs: { get_company_news: [12, 190_000] } });
      const ids = (await store.perfReport()).alerts.map((a) => a.id);
      expect(ids).toEqual(['slow_run', 'slow_first_output', 'slow_operation']);
      const op = (await store.perfReport()).alerts.find((a) => a.id === 'slow_operation');
      expect(op?.message).toContain('stage prefetch');
      expect(op?.message).toContain('tool get_company_news');
    });

    it('flags a cache hit rate under 50 % over the last 20 runs only', async () => {
      const good = { total: 10, made: 1, hits: 9, coalesced: 0, errors: 0 };
      const bad = { total: 10, made: 6, hits: 4, coalesced: 0, errors: 0 };
      // 30 old runs with good hit rates, then 20 recent ones with 40 %: the window sees only the recent ones.
      for (let i = 0; i < 30; i++) await finished({ durationMs: 100, tools: good });
      for (let i = 0; i < 20; i++) await finished({ durationMs: 100, tools: bad });
      const report = await store.perfReport();
      expect(report.cacheHitRate).toBeGreaterThan(0.5);
      const alert = report.alerts.find((a) => a.id === 'low_hit_rate');
      expect(alert?.message).toBe('Cache hit rate 40.0% over the last 20 runs (under 50.0%).');
      expect(alert?.message).toContain('last 20 runs');

      // 20 more good runs push the bad ones out of the window.
      for (let i = 0; i < 20; i++) await finished({ durationMs: 100, tools: good });
      expect((await store.perfReport()).alerts.map((a) => a.id)).not.toContain('low_hit_rate');
    });

    it('does not judge the hit rate before a whole window of 20 runs (a fresh desk: every run cold)', async () => {
      for (let i = 0; i < 19; i++) await finished({ durationMs: 100 });
      expect((await store.perfReport()).alerts).toEqual([]);
      await finished({ durationMs: 100 });
      expect((await store.perfReport()).alerts.map((a) => a.id)).toEqual(['low_hit_rate']);
    });
  });

  describe('estimate (ETA)', () => {
    const long = new Date(Date.now() - 3 * 3600_000).toISOString();

    async function finishRun(
      ticker: string,
      kind: 'cold' | 'warm',
      stageMs: RunRecord['stageMs'],
      finishedAt?: string,
    ) {
      const r = rec({ ticker });
      await store.insert(r);
      await store.finish(r.id, { outcome: 'ok', cacheKind: kind, stageMs, ...(finishedAt ? { finishedAt } : {}) });
    }

    it('is null without history', () => {
      expect(store.estimate('NVDA')).toBeNull();
    });

    it('expects warm runs for as long as the shortest tool-cache TTL (prices, news: 15 minutes)', () => {
      expect(DEFAULT_WARM_WINDOW_MS).toBe(15 * 60_000);
    });

    it('uses the median of cold runs for a ticker not seen recently', async () => {
      await finishRun('NVDA', 'cold', { prefetch: 1000, analysts: 100, sections: 300 }, long);
      await finishRun('AAPL', 'cold', { prefetch: 3000, analysts: 300, sections: 500 }, long);
      await finishRun('MSFT', 'cold', { prefetch: 2000, analysts: 200, sections: 400 }, long);
      await finishRun('MSFT', 'warm', { prefetch: 10, analysts: 200, sections: 400 }, long);
      const eta = store.estimate('nvda');
      expect(eta).toEqual({
        kind: 'cold',
        basedOn: 3,
        perStageMs: { prefetch: 2000, analysts: 200, sections: 400 },
        totalMs: 2600,
      });
    });

    it('expects a warm run when the same ticker finished within the warm window', async () => {
      await finishRun('AAPL', 'cold', { prefetch: 2000, analysts: 200, sections: 400 }, long);
      await finishRun('AAPL', 'warm', { prefetch: 20, analysts: 200, sections: 400 }, long);
      await finishRun('NVDA', 'cold', { prefetch: 2500, analysts: 250, sections: 450 }); // just now
      expect(store.estimate('NVDA')).toMatchObject({ kind: 'warm', basedOn: 1, totalMs: 620 });
      expect(store.estimate('AAPL')).toMatchObject({ kind: 'cold', basedOn: 2 });
    });

    it('estimates a fresh run (--fresh) from cold runs even right after a run of the same ticker', async () => {
      // Regression: `npm run research -- NVDA --fresh` showed the warm-cache ETA, though it reads no cache.
      await finishRun('AAPL', 'cold', { prefetch: 2000, analysts: 200, sections: 400 }, long);
      await finishRun('NVDA', 'cold', { prefetch: 2500, analysts: 250, sections: 450 }); // just now
      await finishRun('NVDA', 'warm', { prefetch: 20, analysts: 200, sections: 400 }); // just now
      expect(store.estimate('NVDA')).toMatchObject({ kind: 'warm', basedOn: 1, totalMs: 620 });
      expect(store.estimate('NVDA', { fresh: true })).toMatchObject({
        kind: 'cold',
        basedOn: 2,
        perStageMs: { prefetch: 2250, analysts: 225, sections: 425 },
      });
    });

    it('falls back to the other kind, skips failed runs, and is loaded again after a reopen', async () => {
      const failed = rec();
      await store.insert(failed);
      await store.finish(failed.id, { outcome: 'failed', stageMs: { prefetch: 99_000 } });
      expect(store.estimate('NVDA')).toBeNull();
      await finishRun('NVDA', 'cold', { prefetch: 1500, analysts: 100, sections: 400 });
      expect(store.estimate('NVDA')).toMatchObject({ kind: 'cold', totalMs: 2000 });
      await store.close();
      store = await storage.open();
      expect(store.estimate('AAPL')).toMatchObject({ kind: 'cold', totalMs: 2000, basedOn: 1 });
    });

    it('picks up runs finished by another process or instance sharing the run log', async () => {
      const other = await storage.open();
      {
        const r = rec({ ticker: 'AAPL' });
        await other.insert(r);
        await other.finish(r.id, {
          outcome: 'ok',
          cacheKind: 'cold',
          stageMs: { prefetch: 900, analysts: 50, sections: 50 },
        });
        expect(store.estimate('AAPL')).toBeNull();
        await finishRun('NVDA', 'cold', { prefetch: 1100, analysts: 50, sections: 50 }); // syncs after its own finish
        expect(store.estimate('MSFT')).toMatchObject({ kind: 'cold', basedOn: 2, totalMs: 1100 });
      }
    });
  });
});

describe('run log on SQLite', () => {
  it('creates the folder and the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-metrics-'));
    try {
      const file = path.join(dir, 'nested', 'metrics.sqlite');
      const opened = await openMetricsStore(file);
      await opened.close();
      expect(fs.existsSync(file)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
