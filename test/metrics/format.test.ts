import { describe, expect, it } from 'vitest';
import { formatMs, formatPerfReport } from '../../src/metrics/format.js';
import { computePerfReport } from '../../src/metrics/stats.js';
import type { RunRecord } from '../../src/metrics/types.js';

const base: Omit<RunRecord, 'id' | 'startedAt'> = {
  ticker: 'NVDA',
  via: 'cli',
  stageMs: { prefetch: 400, analysts: 50, sections: 300 },
  tools: { total: 8, made: 8, hits: 0, coalesced: 0, errors: 0 },
  toolMs: { get_company_financials: [120, 95], get_company_profile: [4] },
  usage: { inputTokens: 1200, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 300, costUsd: 0.0081 },
  errors: [],
  outcome: 'ok',
  durationMs: 1850,
  firstOutputMs: 3,
  firstSectionMs: 900,
};

describe('formatMs', () => {
  it('picks a readable unit', () => {
    expect(formatMs(null)).toBe('—');
    expect(formatMs(12.4)).toBe('12 ms');
    expect(formatMs(3210)).toBe('3.2 s');
    expect(formatMs(301_000)).toBe('5.0 min');
  });
});

describe('formatPerfReport', () => {
  it('says so when nothing was recorded', () => {
    expect(formatPerfReport(computePerfReport([]))).toContain('No runs recorded yet');
  });

  it('prints every figure, aligned, with errors and alerts', () => {
    const records: RunRecord[] = [
      { ...base, id: 'a', startedAt: '2026-11-30T08:00:00.000Z' },
      {
        ...base,
        id: 'b',
        startedAt: '2026-11-30T08:01:00.000Z',
        outcome: 'degraded',
        durationMs: 301_000,
        tools: { total: 8, made: 0, hits: 8, coalesced: 0, errors: 0 },
        errors: ['The analyst ratings could not be fetched: timeout'],
      },
    ];
    const text = formatPerfReport(computePerfReport(records));
    expect(text).toContain('2 runs (degraded 1, ok 1)');
    expect(text).toMatch(/Run duration\s+2\.5 min\s+4\.8 min/);
    expect(text).toMatch(/cache hit rate\s+50\.0%/);
    expect(text).toMatch(/calls saved\s+8/);
    expect(text).toMatch(/get_company_financials\s+4\s+108 ms\s+120 ms/);
    expect(text).toContain('$0.0162');
    expect(text).toMatch(/cost per run\s+\$0\.0081/);
    expect(text).toMatch(/unverified figures\s+0/);
    expect(text).toMatch(/NVDA\s+The analyst ratings could not be fetched: timeout/);
    expect(text).toContain('[slow_run]');
    // Per-tool rows line up: the p95 column ends at the same place on every row.
    const rows = text.split('\n').filter((l) => l.includes('get_company_'));
    expect(new Set(rows.map((r) => r.length)).size).toBe(1);
  });
});
