import { randomUUID } from 'node:crypto';
import { webApi } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/metrics/types.js';
import { type AlertThresholds, alertsForRun, createAlerter, HIT_RATE_WINDOW } from '../../src/ops/alerts.js';
import { clientOptions } from '../../src/slack/app.js';
import { createMemoryClaims, createRedisClaims } from '../../src/tools/run-claims.js';
import { captureLogger } from '../helpers/log-capture.js';
import { redisSkipReason, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';

const LIMITS: AlertThresholds = { runMs: 240_000, firstOutputMs: 120_000, operationMs: 180_000, hitRate: 0.5 };

/** A finished, unremarkable run: 10 s, first output after 0.5 s, 10 tool calls all from the cache. */
function run(id: string, patch: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    ticker: 'NVDA',
    via: 'slack',
    channel: 'C0RESEARCH',
    thread: '1700000000.000100',
    startedAt: '2026-12-07T15:00:00.000Z',
    finishedAt: '2026-12-07T15:00:10.000Z',
    firstOutputMs: 500,
    durationMs: 10_000,
    stageMs: { prefetch: 2_000 },
    tools: { total: 10, made: 0, hits: 10, coalesced: 0, errors: 0 },
    toolMs: { get_prices: [30, 40] },
    usage: { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, costUsd: 0 },
    errors: [],
    outcome: 'ok',
    ...patch,
  } as RunRecord;
}

describe('alertsForRun', () => {
  it('raises nothing for a run within every limit', () => {
    expect(alertsForRun(run('r1'), [], LIMITS)).toEqual([]);
  });

  it('raises each kind past its limit, with the figure and the run thread', () => {
    const slow = run('r2', {
      durationMs: 250_000,
      firstOutputMs: 130_000,
      stageMs: { prefetch: 1_000, sections: 190_000 },
      toolMs: { get_prices: [200_000] },
      upstream: { requests: 5, bytes: 100, throttled: 2, hosts: {} },
    });
    const alerts = alertsForRun(slow, [], LIMITS);
    expect(alerts.map((a) => [a.kind, a.value])).toEqual([
      ['slow_run', 250_000],
      ['slow_first_output', 130_000],
      ['slow_operation', 200_000],
      ['upstream_429', 2],
    ]);
    expect(alerts[2]?.message).toContain('tool get_prices took 3.3 min');
    expect(alerts.every((a) => a.runId === 'r2' && a.channel === 'C0RESEARCH')).toBe(true);
  });

  it('stays quiet at exactly the limit', () => {
    const edge = run('r3', { durationMs: 240_000, firstOutputMs: 120_000, stageMs: { sections: 180_000 } });
    expect(alertsForRun(edge, [], LIMITS)).toEqual([]);
  });

  it('judges the hit rate over the last 20 runs with tool calls, only once there are 20', () => {
    const cold = (i: number) => run(`c${i}`, { tools: { total: 10, made: 6, hits: 4, coalesced: 0, errors: 0 } });
    const history = Array.from({ length: HIT_RATE_WINDOW - 2 }, (_, i) => cold(i));
    expect(alertsForRun(cold(99), history, LIMITS)).toEqual([]);
    const noTools = run('n', { tools: { total: 0, made: 0, hits: 0, coalesced: 0, errors: 0 } });
    const full = [...history, noTools, cold(100)];
    const alerts = alertsForRun(cold(99), full, LIMITS);
    expect(alerts.map((a) => [a.kind, a.value])).toEqual([['low_hit_rate', 0.4]]);
    expect(alerts[0]?.message).toBe('Cache hit rate 40 % over the last 20 runs (limit 50 %).');
    // Warm runs make up the window: no alert.
    const warm = Array.from({ length: HIT_RATE_WINDOW }, (_, i) => run(`w${i}`));
    expect(alertsForRun(cold(99), warm, LIMITS)).toEqual([]);
  });
});

describe('createAlerter', () => {
  let standIn: SlackStandIn | undefined;
  afterEach(async () => {
    await standIn?.close();
    standIn = undefined;
  });

  it('posts a kind once an hour with a link to the run thread, and logs every alert', async () => {
    standIn = await new SlackStandIn().start();
    const client = new webApi.WebClient(standIn.token, clientOptions(standIn.apiUrl));
    let clock = Date.parse('2026-12-07T15:00:00Z');
    const now = () => clock;
    const log = captureLogger('warn');
    const alerter = createAlerter({
      limits: LIMITS,
      logger: log.logger,
      claims: createMemoryClaims(now),
      channel: 'C0ALERTS',
      client,
      now,
    });
    const slow = (id: string) => run(id, { durationMs: 300_000 });
    await alerter.evaluate(slow('s1'), []);
    clock += 30 * 60_000;
    await alerter.evaluate(slow('s2'), []);
    const posts = () => standIn?.callsOf('chat.postMessage') ?? [];
    expect(posts()).toHaveLength(1);
    expect(posts()[0]?.args.channel).toBe('C0ALERTS');
    expect(JSON.stringify(posts()[0]?.args.blocks)).toContain(
      'https://tickerdesk-test.slack.com/archives/C0RESEARCH/p1700000000000100',
    );
    expect(posts()[0]?.args.text).toBe('Run of NVDA took 5.0 min (limit 4.0 min).');
    // Another kind within the hour is posted; the same kind past the hour again.
    await alerter.evaluate(run('t1', { upstream: { requests: 1, bytes: 0, throttled: 1, hosts: {} } }), []);
    expect(posts()).toHaveLength(2);
    clock += 31 * 60_000;
    await alerter.evaluate(slow('s3'), []);
    expect(posts()).toHaveLength(3);
    expect(log.warnings().filter((m) => m.startsWith('Alert: Run of NVDA took'))).toHaveLength(3);
    expect(alerter.counts().map((c) => [c.kind, c.count])).toEqual([
      ['slow_run', 3],
      ['upstream_429', 1],
    ]);
    expect(alerter.counts()[0]?.lastAt).toBe('2026-12-07T16:01:00.000Z');
  });

  it('without a channel logs the alert as a warning and posts nothing', async () => {
    const log = captureLogger('warn');
    const alerter = createAlerter({ limits: LIMITS, logger: log.logger, claims: createMemoryClaims() });
    const alerts = await alerter.evaluate(run('f1', { firstOutputMs: 150_000 }), []);
    expect(alerts.map((a) => a.kind)).toEqual(['slow_first_output']);
    expect(log.warnings()).toEqual(['Alert: Run of NVDA showed its first output after 2.5 min (limit 2.0 min).']);
  });

  it('keeps the alert in the log when Slack refuses the post', async () => {
    standIn = await new SlackStandIn().start();
    standIn.notInChannels.add('C0ALERTS');
    const client = new webApi.WebClient(standIn.token, clientOptions(standIn.apiUrl));
    const log = captureLogger('warn');
    const alerter = createAlerter({
      limits: LIMITS,
      logger: log.logger,
      claims: createMemoryClaims(),
      channel: 'C0ALERTS',
      client,
    });
    await alerter.evaluate(run('x1', { durationMs: 300_000 }), []);
    expect(log.warnings()).toEqual([
      'Alert: Run of NVDA took 5.0 min (limit 4.0 min).',
      'could not post an alert to Slack; it is logged only',
    ]);
  });
});

const skip = redisSkipReason();
if (skip) console.warn(skip);
describe.skipIf(skip !== undefined)('two instances on one Redis', () => {
  let redis: TestRedis;
  let standIn: SlackStandIn;
  beforeAll(async () => {
    redis = await startTestRedis();
    standIn = await new SlackStandIn().start();
  });
  afterAll(async () => {
    await standIn?.close();
    await redis?.stop();
  });

  it('posts a kind once between them: the first claim of the hour wins, the other only logs', async () => {
    const prefix = `test:${randomUUID()}:claim:`;
    const client = new webApi.WebClient(standIn.token, clientOptions(standIn.apiUrl));
    const instances = [0, 1].map(() => {
      const log = captureLogger('warn');
      const claims = createRedisClaims(redis.url, { prefix, logger: log.logger });
      const alerter = createAlerter({ limits: LIMITS, logger: log.logger, claims, channel: 'C0ALERTS', client });
      return { alerter, claims, log };
    });
    try {
      for (const [i, { alerter }] of instances.entries())
        await alerter.evaluate(run(`r${i}`, { durationMs: 300_000 }), []);
      expect(standIn.callsOf('chat.postMessage')).toHaveLength(1);
      for (const { log } of instances)
        expect(log.warnings()).toEqual(['Alert: Run of NVDA took 5.0 min (limit 4.0 min).']);
    } finally {
      for (const { claims } of instances) await claims.close();
    }
  });
});
