/**
 * The `/perf` answer as a Slack reader sees it: recent errors with a time Slack localises and without internal
 * error codes; model use said plainly when no LLM wrote anything.
 */
import { describe, expect, it } from 'vitest';
import { formatPerfReport } from '../../../src/metrics/format.js';
import type { PerfReport } from '../../../src/metrics/types.js';
import { emptyUsage } from '../../../src/research/types.js';
import { perfMessage } from '../../../src/slack/blocks/perf.js';
import { renderBlocks } from '../../helpers/slack-transcript.js';

function report(overrides: Partial<PerfReport> = {}): PerfReport {
  return {
    runs: 3,
    byOutcome: { ok: 2, rejected: 1 },
    p50DurationMs: 480,
    p95DurationMs: 4400,
    p50FirstOutputMs: 2,
    p95FirstOutputMs: 5,
    p50FirstSectionMs: 470,
    toolCalls: { total: 16, made: 9, hits: 7, coalesced: 0, errors: 0 },
    cacheHitRate: 7 / 16,
    callsSaved: 7,
    perTool: [{ tool: 'get_price_history', calls: 2, p50Ms: 4, p95Ms: 60 }],
    usage: emptyUsage(),
    recentErrors: [
      {
        runId: 'r3',
        ticker: 'ZZZZZ',
        at: '2026-11-30T10:02:43.985Z',
        error: 'tickerdesk_unknown_ticker: Unknown ticker "ZZZZZ": no data source covers it.',
      },
    ],
    alerts: [],
    ...overrides,
  };
}

describe('perfMessage', () => {
  it('shows a recent error with a Slack date (reader time zone) and the plain message, not the error code', () => {
    const text = renderBlocks(perfMessage(report()).blocks);
    const epoch = Math.floor(Date.parse('2026-11-30T10:02:43.985Z') / 1000);
    expect(text).toContain(
      `• ZZZZZ, <!date^${epoch}^{date_short_pretty} {time}|2026-11-30T10:02:43.985Z>: Unknown ticker "ZZZZZ": no data source covers it.`,
    );
    expect(text).not.toContain('tickerdesk_unknown_ticker');
  });

  it('lists the alerts raised since start-up by kind: count, when the latest was and what it said', () => {
    const at = '2026-12-07T16:01:00.000Z';
    const raised = [
      { kind: 'slow_run', count: 3, lastMessage: 'Run of NVDA took 5.0 min (limit 4.0 min).', lastAt: at },
    ];
    const text = renderBlocks(perfMessage(report({ raised })).blocks);
    const epoch = Math.floor(Date.parse(at) / 1000);
    expect(text).toContain('Alerts raised since start-up');
    expect(text).toContain(
      `• slow_run ×3, last <!date^${epoch}^{date_short_pretty} {time}|${at}>: Run of NVDA took 5.0 min (limit 4.0 min).`,
    );
    expect(renderBlocks(perfMessage(report()).blocks)).not.toContain('Alerts raised since start-up');
    // The same list in the text form the live page (GET /perf) shows.
    expect(formatPerfReport(report({ raised }))).toContain(
      'Alerts raised since start-up\n  slow_run ×3, last 2026-12-07 16:01:00 UTC: Run of NVDA took 5.0 min (limit 4.0 min).',
    );
  });

  it('says plainly that no LLM was used instead of a line of zero token counts', () => {
    const text = renderBlocks(perfMessage(report()).blocks);
    expect(text).toContain('Model use: none (no section was written by an LLM)');
    expect(text).not.toMatch(/0 input, 0 output/);
  });

  it('keeps the token figures when an LLM wrote sections', () => {
    const usage = { ...emptyUsage(), inputTokens: 1200, outputTokens: 800, costUsd: 0.0156 };
    const text = renderBlocks(perfMessage(report({ usage })).blocks);
    expect(text).toContain('Model use: 1200 input, 800 output, 0 cache-write, 0 cache-read tokens · $0.0156');
  });
});
