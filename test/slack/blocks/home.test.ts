/**
 * The App Home tab as a person reads it. Tried as a new user: the headline said "first output p50 2 ms" (internal
 * words, and a figure no one waits for), and "Most researched" counted only the channel of the person's latest report
 * while its title suggested more.
 */
import { describe, expect, it } from 'vitest';
import type { PerfReport, RunRecord } from '../../../src/metrics/types.js';
import { emptyUsage } from '../../../src/research/types.js';
import { homeData } from '../../../src/slack/app-home.js';
import { homeView } from '../../../src/slack/blocks/home.js';
import type { RunLogAccess } from '../../../src/slack/feedback.js';

const perf: PerfReport = {
  runs: 4,
  byOutcome: { ok: 4 },
  p50DurationMs: 41_000,
  p95DurationMs: 60_000,
  p50FirstOutputMs: 2,
  p95FirstOutputMs: 5,
  p50FirstSectionMs: 9_000,
  toolCalls: { total: 32, made: 16, hits: 16, coalesced: 0, errors: 0 },
  cacheHitRate: 0.5,
  callsSaved: 16,
  perTool: [],
  usage: emptyUsage(),
  recentErrors: [],
  alerts: [],
};

let n = 0;
function run(ticker: string, channel: string, requester: string, outcome: RunRecord['outcome'] = 'ok'): RunRecord {
  n++;
  return {
    id: `r${n}`,
    ticker,
    requester,
    channel,
    via: 'slack',
    startedAt: new Date(Date.UTC(2026, 11, 7, 12, 60 - n)).toISOString(),
    stageMs: {},
    tools: { total: 8, made: 4, hits: 4, coalesced: 0, errors: 0 },
    toolMs: {},
    usage: emptyUsage(),
    errors: [],
    outcome,
  };
}

/** A run log answering with `records` (newest first) and the report above. */
function runLog(records: RunRecord[]): RunLogAccess {
  return {
    recent: async (limit: number) => records.slice(0, limit),
    perfReport: async () => perf,
    get: async (id: string) => records.find((r) => r.id === id),
    addFeedback: async () => false,
  };
}

const text = (data: Awaited<ReturnType<typeof homeData>>) => JSON.stringify(homeView(data).blocks);

describe('App Home', () => {
  it('says the headline times in /perf’s words: a report and its first section, medians', async () => {
    const home = text(await homeData(runLog([run('NVDA', 'C0DESK', 'U0ANA')]), 'U0ANA', undefined));
    expect(home).toContain(
      '*The desk* — 4 runs · run duration 41.0 s, time to first section 9.0 s (medians) · cache hit rate',
    );
    expect(home).not.toContain('first output');
    expect(home).not.toContain('p50');
  });

  it('counts the most researched tickers over every channel the person researched in, naming them', async () => {
    const records = [
      run('KO', 'C0DESK', 'U0ANA'),
      run('NVDA', 'C0TECH', 'U0BEN'),
      run('NVDA', 'C0TECH', 'U0ANA'),
      run('AMD', 'C0TECH', 'U0BEN'),
      run('NVDA', 'C0DESK', 'U0BEN'),
      run('TSLA', 'C0OTHER', 'U0BEN'),
      run('ZZZZ', 'C0DESK', 'U0BEN', 'rejected'),
    ];
    const data = await homeData(runLog(records), 'U0ANA', undefined);
    expect(data.channels).toEqual({
      ids: ['C0DESK', 'C0TECH'],
      tickers: [
        { ticker: 'NVDA', runs: 3 },
        { ticker: 'AMD', runs: 1 },
        { ticker: 'KO', runs: 1 },
      ],
    });
    expect(text(data)).toContain('*Most researched in <#C0DESK> and <#C0TECH>*\\nNVDA (3) · AMD (1) · KO (1)');
  });

  it('past three channels says how many instead of naming them', async () => {
    const records = ['C1', 'C2', 'C3', 'C4'].map((c) => run('NVDA', c, 'U0ANA'));
    expect(text(await homeData(runLog(records), 'U0ANA', undefined))).toContain(
      '*Most researched in the 4 channels you research in*\\nNVDA (4)',
    );
  });
});
