/**
 * One prewarm (issue 15, part 1): the tickers chosen from the run records by demand (last 30 days, rejected input
 * left out) plus PREWARM_TICKERS, refreshed in that order through the gateway's background lane; the rate limit on
 * a fake clock (calls counted per second); a shutdown mid-way stops it between calls with no unhandled rejection.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openPrewarmLogFor, type PrewarmLog } from '../../../src/metrics/prewarm-log.js';
import type { MetricsStore } from '../../../src/metrics/store.js';
import type { RunRecord } from '../../../src/metrics/types.js';
import { chooseTickers, runPrewarm } from '../../../src/ops/prewarm/run.js';
import { planRequests } from '../../../src/research/plan.js';
import { emptyUsage } from '../../../src/research/types.js';
import type { CallOptions, ToolGateway, ToolRequest, ToolResult } from '../../../src/tools/types.js';
import { captureLogger } from '../../helpers/log-capture.js';
import { freePort } from '../../helpers/redis-server.js';
import { runLogContract } from '../../metrics/run-log-backends.js';

/** A gateway that answers every call after `delayMs`, recording who asked for what, when and how. */
function recordingGateway(delayMs = 0) {
  const calls: { ticker: string; tool: string; at: number; priority: string | undefined }[] = [];
  let onCall: ((n: number) => void) | undefined;
  const gateway: ToolGateway = {
    async call<T>(request: ToolRequest, options: CallOptions = {}): Promise<ToolResult<T>> {
      calls.push({
        ticker: String(request.args.ticker),
        tool: request.tool,
        at: Date.now(),
        priority: options.priority,
      });
      onCall?.(calls.length);
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      const data = { provenance: { upstream: { requests: 2 } } } as T;
      return { data, source: `tickerdesk/${request.tool}`, fetchedAt: new Date().toISOString(), cache: 'miss', ms: 1 };
    },
    onMetric: () => () => undefined,
    stats: () => ({ calls: 0, hits: 0, misses: 0, coalesced: 0, errors: 0, cacheErrors: 0, serverCalls: 0 }),
    close: async () => undefined,
  };
  return {
    gateway,
    calls,
    onCall: (fn: (n: number) => void) => {
      onCall = fn;
    },
  };
}

function run(ticker: string, startedAt: string, outcome: RunRecord['outcome'] = 'ok', hits = 0): RunRecord {
  return {
    id: `${ticker}-${startedAt}-${Math.random()}`,
    ticker,
    via: 'test',
    startedAt,
    finishedAt: startedAt,
    stageMs: {},
    tools: { total: 8, made: 8 - hits, hits, coalesced: 0, errors: 0 },
    toolMs: {},
    usage: emptyUsage(),
    errors: [],
    outcome,
  };
}

const PER_TICKER = planRequests('NVDA').length;

runLogContract('choosing tickers by demand', (storage) => {
  let store: MetricsStore;
  let log: PrewarmLog;
  beforeEach(async () => {
    store = await storage.open();
    log = await storage.openPrewarmLog();
  });

  it('most requested first over the last 30 days (rejected input and older runs left out), then PREWARM_TICKERS', async () => {
    const now = new Date('2026-12-07T21:20:00Z');
    for (const r of [
      run('MSFT', '2026-12-01T15:00:00Z'),
      run('AAPL', '2026-12-02T15:00:00Z'),
      run('AAPL', '2026-12-03T15:00:00Z'),
      run('AAPL', '2026-12-04T15:00:00Z', 'failed'),
      run('NVDA', '2026-12-05T15:00:00Z'),
      run('NVDA', '2026-12-06T15:00:00Z'),
      run('NVDX', '2026-12-06T16:00:00Z', 'rejected'),
      run('NVDX', '2026-12-06T16:01:00Z', 'rejected'),
      run('NVDX', '2026-12-06T16:02:00Z', 'rejected'),
      run('TSLA', '2026-10-01T15:00:00Z'),
      run('TSLA', '2026-10-02T15:00:00Z'),
      run('TSLA', '2026-10-03T15:00:00Z'),
    ])
      await store.insert(r);
    expect(await chooseTickers(log, 50, ['ko', 'MSFT', '$brk.b'], now)).toEqual([
      'AAPL',
      'NVDA',
      'MSFT',
      'KO',
      'BRK.B',
    ]);
    expect(await chooseTickers(log, 2, [], now)).toEqual(['AAPL', 'NVDA']);

    const { gateway, calls } = recordingGateway();
    const { logger } = captureLogger();
    const summary = await runPrewarm(
      { gateway, log, logger },
      { topN: 2, extraTickers: ['KO'], callsPerSecond: 100, now: () => now },
    );
    expect(summary).toMatchObject({
      tickers: ['AAPL', 'NVDA', 'KO'],
      refreshed: 3,
      toolCalls: 3 * PER_TICKER,
      serverCalls: 3 * PER_TICKER,
      upstreamRequests: 3 * PER_TICKER * 2,
      failures: [],
      stopped: false,
    });
    // In order of demand, ticker by ticker, every call in the background lane.
    const order = calls.map((c) => c.ticker).filter((t, i, all) => t !== all[i - 1]);
    expect(order).toEqual(['AAPL', 'NVDA', 'KO']);
    expect(new Set(calls.map((c) => c.priority))).toEqual(new Set(['background']));
    expect(calls.filter((c) => c.ticker === 'AAPL').map((c) => c.tool)).toEqual(
      planRequests('AAPL').map((p) => p.request.tool),
    );
    // Each ticker recorded: a later run with cache hits counts as "later used".
    expect(await log.usage('2026-12-01T00:00:00Z')).toEqual({ prewarmed: 3, laterUsed: 0, lastAt: now.toISOString() });
    await store.insert(run('NVDA', '2026-12-08T14:31:00Z', 'ok', 8));
    await store.insert(run('AAPL', '2026-12-08T14:32:00Z', 'ok', 0));
    expect(await log.usage('2026-12-01T00:00:00Z')).toMatchObject({ prewarmed: 3, laterUsed: 1 });
    // A later prewarm of NVDA, before that run: the run used the later one, not the first.
    await log.record({
      batch: 'next',
      ticker: 'NVDA',
      at: '2026-12-08T14:30:30.000Z',
      calls: 8,
      made: 8,
      failed: 0,
      upstream: 0,
    });
    expect(await log.usage('2026-12-01T00:00:00Z')).toEqual({
      prewarmed: 4,
      laterUsed: 1,
      lastAt: '2026-12-08T14:30:30.000Z',
    });
    // Prewarm fetches that all failed are not counted; runs of another ticker do not use them.
    await log.record({
      batch: 'next',
      ticker: 'KO',
      at: '2026-12-08T14:30:40.000Z',
      calls: 8,
      made: 8,
      failed: 8,
      upstream: 0,
    });
    expect(await log.usage('2026-12-08T00:00:00Z')).toEqual({
      prewarmed: 1,
      laterUsed: 1,
      lastAt: '2026-12-08T14:30:30.000Z',
    });
  });
});

describe('refreshing tickers', () => {
  it('a ticker whose call fails is counted in failures with the reason; "no data" answers are not failures', async () => {
    const { gateway } = recordingGateway();
    const failing: ToolGateway = {
      ...gateway,
      async call<T>(request: ToolRequest, options?: CallOptions): Promise<ToolResult<T>> {
        if (request.args.ticker === 'KO' && request.tool === 'get_price_history') throw new Error('stooq answered 503');
        if (request.tool === 'get_analyst_ratings') {
          const { DataUnavailableError } = await import('../../../src/errors.js');
          throw new DataUnavailableError('No analyst consensus.');
        }
        return gateway.call<T>(request, options);
      },
    };
    const { logger } = captureLogger();
    const summary = await runPrewarm(
      { gateway: failing, logger },
      { topN: 0, extraTickers: ['NVDA', 'KO'], callsPerSecond: 100 },
    );
    expect(summary.refreshed).toBe(1);
    expect(summary.failures).toEqual([{ ticker: 'KO', reason: 'get_price_history: stooq answered 503' }]);
  });

  it('a "no data" answer the server gave counts as sent to a data server; one read from the cache does not', async () => {
    // Tried as a new user: `npm run prewarm -- --tickers SAMSUNG` on a fresh cache said "8 (0 sent to a data
    // server, the rest still cached)" though all 8 "no data" answers had just come from the server.
    const { DataUnavailableError } = await import('../../../src/errors.js');
    const { gateway } = recordingGateway();
    const seen = new Set<string>();
    const noData: ToolGateway = {
      ...gateway,
      async call<T>(request: ToolRequest): Promise<ToolResult<T>> {
        const key = JSON.stringify(request);
        const answeredFrom = seen.has(key) ? 'hit' : 'miss';
        seen.add(key);
        throw new DataUnavailableError('No data for SAMSUNG.', { answeredFrom });
      },
    };
    const { logger } = captureLogger();
    const first = await runPrewarm(
      { gateway: noData, logger },
      { topN: 0, extraTickers: ['SAMSUNG'], callsPerSecond: 100 },
    );
    expect(first).toMatchObject({ refreshed: 1, toolCalls: PER_TICKER, serverCalls: PER_TICKER, failures: [] });
    const again = await runPrewarm(
      { gateway: noData, logger },
      { topN: 0, extraTickers: ['SAMSUNG'], callsPerSecond: 100 },
    );
    expect(again).toMatchObject({ refreshed: 1, toolCalls: PER_TICKER, serverCalls: 0, failures: [] });
  });
});

describe('within the rate limit, on a fake clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts at most PREWARM_CALLS_PER_SECOND calls in any second, and all of them in the end', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-07T21:20:00Z') });
    const { gateway, calls } = recordingGateway(50);
    const { logger } = captureLogger();
    const done = runPrewarm(
      { gateway, logger },
      { topN: 0, extraTickers: ['NVDA', 'AAPL', 'MSFT'], callsPerSecond: 3 },
    );
    await vi.advanceTimersByTimeAsync(20_000);
    const summary = await done;
    expect(summary.toolCalls).toBe(3 * PER_TICKER);
    expect(calls).toHaveLength(3 * PER_TICKER);
    const starts = calls.map((c) => c.at);
    const busiest = Math.max(...starts.map((t) => starts.filter((s) => s >= t && s < t + 1000).length));
    expect(busiest).toBe(3);
    // 24 calls at 3 a second take 7 s and more (8 windows), whatever the machine's speed.
    expect((starts.at(-1) ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(7000);
  });
});

describe('stopping', () => {
  it('a shutdown mid-way stops it between calls: nothing started after, the summary says stopped, no unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const { gateway, calls, onCall } = recordingGateway(5);
      const stop = new AbortController();
      let stoppedAt = -1;
      // The second ticker's third call is the last one: the shutdown comes while it runs.
      onCall((n) => {
        if (n === PER_TICKER + 3) {
          stoppedAt = n;
          stop.abort(new Error('tickerdesk is shutting down'));
        }
      });
      const { logger } = captureLogger();
      const summary = await runPrewarm(
        { gateway, logger },
        { topN: 0, extraTickers: ['NVDA', 'AAPL', 'MSFT', 'KO'], callsPerSecond: 50, signal: stop.signal },
      );
      expect(summary.stopped).toBe(true);
      expect(summary.refreshed).toBe(1);
      expect(calls).toHaveLength(stoppedAt);
      expect(calls.some((c) => c.ticker === 'MSFT' || c.ticker === 'KO')).toBe(false);
      await new Promise((r) => setTimeout(r, 50));
      expect(calls).toHaveLength(stoppedAt);
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});

describe('the prewarm records on a Redis that cannot be reached (CACHE_URL)', () => {
  it('fail at open, as a SQLite file that cannot be opened does (the prewarm then refreshes named tickers only)', async () => {
    const down = `redis://127.0.0.1:${await freePort()}`;
    await expect(
      openPrewarmLogFor({
        metricsPath: '/nonexistent/metrics.sqlite',
        cacheUrl: down,
        cacheTimeouts: { opMs: 500, connectMs: 200 },
      }),
    ).rejects.toThrow(`Redis at ${down} could not be reached within 200 ms`);
  });
});
