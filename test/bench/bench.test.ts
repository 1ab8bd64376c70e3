/**
 * The benchmark's fixed parts (no timing asserted): the latency model, the critical-path bound, the naive flow's
 * call plan, the statistics, and the shape of the committed `bench/results.json`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarise } from '../../bench/flows.js';
import {
  ANALYST_RANGE_MS,
  analystDelayMs,
  criticalPathBoundMs,
  SECTION_RANGE_MS,
  sectionDelayMs,
  TOOL_LATENCY_MS,
} from '../../bench/latency.js';
import { NAIVE_CALLS } from '../../bench/naive.js';
import { median, percentile } from '../../bench/stats.js';
import { REPO_ROOT } from '../../src/config.js';
import { planRequests } from '../../src/research/plan.js';
import { ANALYSTS, SECTIONS } from '../../src/research/types.js';

describe('latency model', () => {
  it('gives each analyst 600–900 ms and each section 100–150 ms, the same every time', () => {
    for (const a of ANALYSTS) {
      expect(analystDelayMs(a)).toBeGreaterThanOrEqual(ANALYST_RANGE_MS[0]);
      expect(analystDelayMs(a)).toBeLessThanOrEqual(ANALYST_RANGE_MS[1]);
      expect(analystDelayMs(a)).toBe(analystDelayMs(a));
    }
    for (const { id } of SECTIONS) {
      expect(sectionDelayMs(id)).toBeGreaterThanOrEqual(SECTION_RANGE_MS[0]);
      expect(sectionDelayMs(id)).toBeLessThanOrEqual(SECTION_RANGE_MS[1]);
    }
    expect(new Set(ANALYSTS.map(analystDelayMs)).size).toBeGreaterThan(1);
  });

  it('bounds a run by the slowest tool + slowest analyst + slowest section', () => {
    const slowestAnalyst = Math.max(...ANALYSTS.map(analystDelayMs));
    const slowestSection = Math.max(...SECTIONS.map((s) => sectionDelayMs(s.id)));
    expect(criticalPathBoundMs()).toBe(TOOL_LATENCY_MS + slowestAnalyst + slowestSection);
  });
});

describe('naive flow plan', () => {
  it('has the four analysts call 4, 3, 3 and 2 tools: 12 calls, 4 of them repeats, every planned part covered', () => {
    expect(ANALYSTS.map((a) => NAIVE_CALLS[a].length)).toEqual([4, 3, 3, 2]);
    const all = ANALYSTS.flatMap((a) => NAIVE_CALLS[a]);
    expect(all).toHaveLength(12);
    expect(new Set(all).size).toBe(8);
    expect(new Set(all)).toEqual(new Set(planRequests('NVDA').map((p) => p.part)));
  });
});

describe('flow summary', () => {
  it('keeps times that are equal in every sample equal (the naive first output is its end)', () => {
    const sample = { totalMs: 5116.45, firstOutputMs: 5116.45, firstSectionMs: 5116.45 };
    const counts = { toolCalls: 12, duplicateCalls: 4, cacheHitRate: 0 };
    const flow = summarise([
      { ...sample, ...counts },
      { totalMs: 5200.45, firstOutputMs: 5200.45, firstSectionMs: 5200.45, ...counts },
      { ...sample, ...counts },
    ]);
    expect(flow.first_output_ms).toBe(flow.total_ms);
    expect(flow.first_section_ms).toBe(flow.total_ms);
    expect(flow).toMatchObject({ tool_calls: 12, duplicate_calls: 4, cache_hit_rate: 0 });
  });
});

describe('statistics', () => {
  it('takes medians and nearest-rank percentiles', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
  });
});

describe('bench/results.json', () => {
  it('has exactly the keys issue 5 lists', () => {
    const r = JSON.parse(readFileSync(path.join(REPO_ROOT, 'bench', 'results.json'), 'utf8'));
    expect(Object.keys(r).sort()).toEqual(['bound_ms', 'cold', 'concurrency', 'naive', 'warm']);
    const flowKeys = [
      'cache_hit_rate',
      'duplicate_calls',
      'first_output_ms',
      'first_section_ms',
      'tool_calls',
      'total_ms',
    ];
    for (const flow of ['naive', 'cold', 'warm']) expect(Object.keys(r[flow]).sort()).toEqual(flowKeys);
    expect(Object.keys(r.concurrency).sort()).toEqual(['10', '100']);
    for (const n of ['10', '100'])
      expect(Object.keys(r.concurrency[n]).sort()).toEqual(
        ['distinct_calls', 'p50_ms', 'p95_ms', 'peak_rss_mb', 'rss_growth_mb', 'runs', 'tool_calls'].sort(),
      );
    expect(r.concurrency['100'].runs).toBe(100);
  });
});
