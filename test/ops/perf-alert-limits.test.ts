/**
 * `/perf`, `npm run perf` and the page flag runs against the alert settings the Slack app posts alerts with. Tried as
 * a new user with ALERT_RUN_MS=1000: the alerts channel got "Run of NVDA took 6 s (limit 1 s).", while `/perf` said
 * "0 alerts" and ":large_green_circle: No alerts." right above "Alerts raised since start-up: slow_run ×1", because
 * the report's flags used limits of their own (a run over 5 minutes, where ALERT_RUN_MS's default is 4).
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatPerfReport } from '../../src/metrics/format.js';
import { ALERT_LIMITS, computePerfReport } from '../../src/metrics/stats.js';
import { type MetricsStore, openMetricsStore } from '../../src/metrics/store.js';
import type { RunRecord } from '../../src/metrics/types.js';
import { perfFigures } from '../../src/ops/perf-report.js';
import { perfMessage } from '../../src/slack/blocks/perf.js';
import { captureLogger } from '../helpers/log-capture.js';
import { bundledConfig } from '../helpers/test-config.js';
import { removeDir, tempDir } from '../tools/helpers.js';

let seq = 0;
function run(durationMs: number): RunRecord {
  seq += 1;
  return {
    id: `run-${seq}`,
    ticker: 'NVDA',
    via: 'slack',
    startedAt: new Date(Date.UTC(2026, 11, 7, 23, 0, seq)).toISOString(),
    durationMs,
    firstOutputMs: 5,
    stageMs: { prefetch: 100 },
    tools: { total: 8, made: 0, hits: 8, coalesced: 0, errors: 0 },
    toolMs: {},
    usage: { inputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 0, costUsd: 0 },
    errors: [],
    outcome: 'ok',
  };
}

const raisedSlowRun = [
  { kind: 'slow_run', count: 1, lastMessage: 'Run of NVDA took 6 s (limit 1 s).', lastAt: '2026-12-07T23:56:06Z' },
];

describe('flags in the perf report', () => {
  it('default to the alert settings’ defaults: a run of 4.5 minutes is over ALERT_RUN_MS’s 4', () => {
    const defaults = bundledConfig().alerts;
    expect({
      runMs: ALERT_LIMITS.runMs,
      firstOutputMs: ALERT_LIMITS.firstOutputMs,
      operationMs: ALERT_LIMITS.operationMs,
      hitRate: ALERT_LIMITS.hitRate,
    }).toEqual({
      runMs: defaults.runMs,
      firstOutputMs: defaults.firstOutputMs,
      operationMs: defaults.operationMs,
      hitRate: defaults.hitRate,
    });
    const report = computePerfReport([run(270_000)]);
    expect(report.alerts.map((a) => a.message)).toEqual([
      '1 run took over 4 minutes; latest NVDA (run-1) took 270.0 s.',
    ]);
  });

  it('follow the limits given, and name them', () => {
    const report = computePerfReport([run(6000), run(500)], { ...ALERT_LIMITS, runMs: 1000 });
    expect(report.alerts).toEqual([
      { id: 'slow_run', message: expect.stringMatching(/^1 run took over 1 s; latest NVDA/) },
    ]);
  });
});

describe('the Slack app’s /perf figures', () => {
  let dir: string;
  let store: MetricsStore;
  beforeEach(async () => {
    dir = tempDir('tickerdesk-perf-limits-');
    store = await openMetricsStore(path.join(dir, 'metrics.sqlite'), { history: false });
  });
  afterEach(async () => {
    await store.close();
    removeDir(dir);
  });

  it('flag the run the alert was posted for (ALERT_RUN_MS=1000), in Slack and in text alike', async () => {
    const config = bundledConfig({ TICKERDESK_HOME: dir, ALERT_RUN_MS: '1000' });
    await store.insert(run(6000));
    const { logger } = captureLogger();
    const report = await perfFigures(store, config, logger, () => raisedSlowRun).perfReport();
    expect(report.alerts.map((a) => a.id)).toEqual(['slow_run']);
    const message = perfMessage(report);
    expect(message.text).toMatch(/, 1 alert \(1 raised since start-up\)$/);
    expect(JSON.stringify(message.blocks)).not.toContain('No alerts');
    expect(formatPerfReport(report)).toMatch(/\nAlerts\n {2}! 1 run took over 1 s; latest NVDA/);
  });

  it('never say "No alerts" above alerts raised since start-up that no run flag matches (a 429)', () => {
    const report = computePerfReport([run(500)]);
    report.raised = [
      { kind: 'upstream_429', count: 2, lastMessage: 'data.sec.gov answered 429.', lastAt: '2026-12-07T23:56:06Z' },
    ];
    const message = perfMessage(report);
    const blocks = JSON.stringify(message.blocks);
    expect(blocks).not.toContain('No alerts');
    expect(blocks).toContain('Alerts raised since start-up');
    expect(message.text).toMatch(/0 alerts \(2 raised since start-up\)$/);
    const text = formatPerfReport(report);
    expect(text).not.toMatch(/Alerts\n {2}none/);
    expect(text).toMatch(/Alerts raised since start-up\n {2}upstream_429 ×2/);
    // With nothing raised and nothing flagged, both say none.
    delete report.raised;
    expect(JSON.stringify(perfMessage(report).blocks)).toContain('No alerts.');
    expect(formatPerfReport(report)).toMatch(/\nAlerts\n {2}none\n/);
  });
});
