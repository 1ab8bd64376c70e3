/**
 * One source for the alert rules (issue 15, cleanup): the perf report's flags (`computeAlerts`) are the rules the
 * Slack app's alerter raises after each run (`alertsForRun`), with the same limits: over the same runs they name the
 * same kinds, a custom limit moves both, and the configuration's defaults are the rules' own.
 */
import { describe, expect, it } from 'vitest';
import { alertsForRun, DEFAULT_ALERT_LIMITS, HIT_RATE_WINDOW } from '../../src/metrics/alert-rules.js';
import { computeAlerts } from '../../src/metrics/stats.js';
import type { RunRecord } from '../../src/metrics/types.js';
import { bundledConfig } from '../helpers/test-config.js';

let seq = 0;
function run(overrides: Partial<RunRecord> = {}): RunRecord {
  seq += 1;
  return {
    id: `run-${seq}`,
    ticker: 'AMD',
    via: 'slack',
    startedAt: new Date(Date.UTC(2026, 11, 7, 12, 0, 0) - seq * 1000).toISOString(),
    durationMs: 2000,
    firstOutputMs: 10,
    stageMs: { prefetch: 500 },
    tools: { total: 10, made: 1, hits: 9, coalesced: 0, errors: 0 },
    toolMs: { get_company_profile: [20] },
    usage: { inputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 0, costUsd: 0 },
    errors: [],
    outcome: 'ok',
    ...overrides,
  };
}

/** The kinds the alerter raises over `runs` (newest first), each run judged with the runs before it. */
function alerterKinds(runs: RunRecord[], limits = DEFAULT_ALERT_LIMITS): string[] {
  const kinds = new Set<string>();
  runs.forEach((r, i) => {
    for (const a of alertsForRun(r, runs.slice(i + 1), limits))
      if (a.kind !== 'low_hit_rate' || i === 0) kinds.add(a.kind);
  });
  return [...kinds].sort();
}

describe('the perf report flags what the alerter raises', () => {
  it('with the defaults: slow run, slow first output, slow operation and upstream 429s, the same kinds', () => {
    const runs = [
      run({ durationMs: 250_000 }),
      run({ firstOutputMs: 130_000 }),
      run({ toolMs: { get_company_news: [190_000] } }),
      run({ upstream: { requests: 3, bytes: 10, throttled: 2, hosts: {} } }),
      run(),
    ];
    const report = computeAlerts(runs);
    expect(report.map((a) => a.id).sort()).toEqual(alerterKinds(runs));
    expect(report.map((a) => a.id).sort()).toEqual(['slow_first_output', 'slow_operation', 'slow_run', 'upstream_429']);
    expect(report.find((a) => a.id === 'slow_operation')?.message).toContain('tool get_company_news of AMD');
  });

  it('a low hit rate over the last window is judged alike, and a custom limit moves both', () => {
    const cold = Array.from({ length: HIT_RATE_WINDOW }, () =>
      run({ tools: { total: 10, made: 8, hits: 2, coalesced: 0, errors: 0 } }),
    );
    expect(computeAlerts(cold).map((a) => a.id)).toEqual(['low_hit_rate']);
    expect(alerterKinds(cold)).toEqual(['low_hit_rate']);
    const strict = { ...DEFAULT_ALERT_LIMITS, runMs: 1000 };
    expect(computeAlerts(cold, strict).map((a) => a.id)).toEqual(['slow_run', 'low_hit_rate']);
    expect(alerterKinds(cold, strict)).toEqual(['low_hit_rate', 'slow_run']);
  });

  it('the configuration’s defaults are the rules’ defaults', () => {
    const { channel: _channel, ...limits } = bundledConfig().alerts;
    expect(limits).toEqual(DEFAULT_ALERT_LIMITS);
  });
});
