/**
 * The prewarm service (issue 15, part 1): of two instances on one Redis, only one prewarms a session (a claim through
 * the run-claim store, real redis-server); on the real runtime (bundled data, real MCP server), the next run of a
 * prewarmed ticker is served from the cache and counted as "prewarmed, later used"; the Prometheus counters move; a
 * close during a prewarm stops it and resolves.
 */
import { randomUUID } from 'node:crypto';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { formatPerfReport } from '../../../src/metrics/format.js';
import { readPrewarmUsage } from '../../../src/metrics/prewarm-log.js';
import { createPrewarmService } from '../../../src/ops/prewarm/service.js';
import { registerPrewarmMetrics } from '../../../src/ops/prewarm-metrics.js';
import { planRequests } from '../../../src/research/plan.js';
import { createRuntime, type Runtime } from '../../../src/runtime.js';
import { createMemoryClaims, createRedisClaims } from '../../../src/tools/run-claims.js';
import type { ToolGateway, ToolRequest, ToolResult } from '../../../src/tools/types.js';
import { captureLogger } from '../../helpers/log-capture.js';
import { redisSkipReason, startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { finalRecord } from '../../helpers/run-records.js';
import { removeDir, tempDir } from '../../tools/helpers.js';

/** A gateway counting its calls; each answers after `delayMs`. */
function countingGateway(delayMs = 0) {
  const calls: string[] = [];
  const gateway: ToolGateway = {
    async call<T>(request: ToolRequest): Promise<ToolResult<T>> {
      calls.push(String(request.args.ticker));
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      return { data: {} as T, source: 'tickerdesk/x', fetchedAt: new Date().toISOString(), cache: 'miss', ms: 1 };
    },
    onMetric: () => () => undefined,
    stats: () => ({ calls: 0, hits: 0, misses: 0, coalesced: 0, errors: 0, cacheErrors: 0, serverCalls: 0 }),
    close: async () => undefined,
  };
  return { gateway, calls };
}

const prewarmConfig = (metricsPath: string, tickers: string[]) => ({
  metricsPath,
  prewarm: { enabled: true, topN: 0, tickers, callsPerSecond: 100 },
});

const skip = redisSkipReason();
if (skip) console.warn(skip);
describe.skipIf(skip !== undefined)('two instances on one Redis', () => {
  let redis: TestRedis;
  let dir: string;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  beforeEach(() => {
    dir = tempDir('tickerdesk-prewarm-');
  });
  afterEach(() => removeDir(dir));

  it('only one of them prewarms a session; the other makes no call; the next session is claimed afresh', async () => {
    const prefix = `test:${randomUUID()}:claim:`;
    const { logger, lines } = captureLogger();
    const instances = [0, 1].map((i) => {
      const { gateway, calls } = countingGateway(2);
      const claims = createRedisClaims(redis.url, { prefix, logger });
      const service = createPrewarmService({
        config: prewarmConfig(`${dir}/metrics-${i}.sqlite`, ['NVDA', 'AAPL']),
        gateway,
        claims,
        logger,
      });
      return { service, calls, claims };
    });
    try {
      const results = await Promise.all(instances.map((x) => x.service.prewarmSession('2026-12-07')));
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
      const ran = results.findIndex((r) => r !== undefined);
      const other = instances[1 - ran];
      expect(instances[ran]?.calls).toHaveLength(2 * planRequests('NVDA').length);
      expect(other?.calls).toHaveLength(0);
      expect(lines.some((l) => /Another instance is prewarming/.test(l.msg))).toBe(true);
      // Later the same session (a late timer, a restart): still done, by nobody.
      expect(await other?.service.prewarmSession('2026-12-07')).toBeUndefined();
      // The next session is claimed afresh by whichever asks first.
      expect(await other?.service.prewarmSession('2026-12-08')).toMatchObject({ refreshed: 2 });
    } finally {
      for (const x of instances) {
        await x.service.close();
        await x.claims.close();
      }
    }
  });
});

describe('a close during a prewarm', () => {
  it('stops it between calls and resolves, with no unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    const dir = tempDir('tickerdesk-prewarm-');
    try {
      const { gateway, calls } = countingGateway(20);
      const { logger } = captureLogger();
      const service = createPrewarmService({
        config: prewarmConfig(`${dir}/metrics.sqlite`, ['NVDA', 'AAPL', 'MSFT', 'KO', 'AMD']),
        gateway,
        claims: createMemoryClaims(),
        logger,
      });
      const session = service.prewarmSession('2026-12-07');
      while (calls.length < 10) await new Promise((r) => setTimeout(r, 5));
      await service.close();
      const summary = await session;
      expect(summary?.stopped).toBe(true);
      const made = calls.length;
      expect(made).toBeLessThan(5 * planRequests('NVDA').length);
      await new Promise((r) => setTimeout(r, 100));
      expect(calls).toHaveLength(made);
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
      removeDir(dir);
    }
  });
});

describe('on the real runtime', () => {
  let home: string;
  let runtime: Runtime;
  beforeAll(async () => {
    home = tempDir('tickerdesk-prewarm-runtime-');
    runtime = await createRuntime(loadConfig({ TICKERDESK_HOME: home, CACHE_OP_TIMEOUT_MS: '10000' }));
  });
  afterAll(async () => {
    await runtime?.close();
    removeDir(home);
  });

  it('the next run of a prewarmed ticker is a cache hit and counts as "later used"; the counters move', async () => {
    const { prom, observe } = await (async () => {
      const { Registry } = await import('prom-client');
      const registry = new Registry();
      return { prom: registry, observe: registerPrewarmMetrics(registry) };
    })();
    const { logger } = captureLogger();
    const service = createPrewarmService({
      config: prewarmConfig(runtime.config.metricsPath, ['NVDA', 'KO']),
      gateway: runtime.gateway,
      claims: createMemoryClaims(),
      logger,
      onSummary: observe,
    });
    const summary = await service.prewarmSession('2026-12-07');
    await service.close();
    expect(summary).toMatchObject({ tickers: ['NVDA', 'KO'], refreshed: 2, failures: [], stopped: false });
    expect(summary?.serverCalls).toBeGreaterThan(0);

    const run = runtime.research.start('NVDA', { requester: { via: 'test' } });
    const result = await run.result;
    expect(result.tools.misses).toBe(0);
    expect(result.tools.hits).toBe(planRequests('NVDA').length);
    // The run's record is written once it has finished.
    expect(await finalRecord(runtime.metrics, run.runId)).toMatchObject({ tools: { hits: 8, made: 0 } });
    const usage = await readPrewarmUsage(runtime.config.metricsPath);
    expect(usage).toMatchObject({ prewarmed: 2, laterUsed: 1 });
    const report = { ...(await runtime.metrics.perfReport()), ...(usage ? { prewarm: usage } : {}) };
    expect(formatPerfReport(report)).toMatch(/prewarmed, later used\s+1 of 2/);
    // Prewarm fetches are not runs: /perf's runs are only the research run.
    expect(report.runs).toBe(1);

    // Read by a Prometheus text parser, as a scraper would.
    const families = new Map(parsePrometheusTextFormat(await prom.metrics()).map((f) => [f.name, f]));
    const sample = (name: string, labels: Record<string, string> = {}) =>
      families.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value;
    expect(families.get('tickerdesk_prewarm_runs_total')?.type).toBe('COUNTER');
    expect(sample('tickerdesk_prewarm_runs_total', { outcome: 'done' })).toBe('1');
    expect(sample('tickerdesk_prewarm_runs_total', { outcome: 'stopped' })).toBe('0');
    expect(sample('tickerdesk_prewarm_tickers_total', { result: 'refreshed' })).toBe('2');
    expect(sample('tickerdesk_prewarm_tickers_total', { result: 'failed' })).toBe('0');
    expect(sample('tickerdesk_prewarm_server_calls_total')).toBe(String(summary?.serverCalls));
  }, 60_000);
});
