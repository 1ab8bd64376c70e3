/**
 * A whole research run on live data: the real runtime (gateway, cache, MCP server over stdio) with every live
 * provider pointed at the 127.0.0.1 stand-ins, for a ticker the bundled data set does not have.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportMarkdown } from '../../src/report/markdown.js';
import type { Runtime } from '../../src/runtime.js';
import { finalMessage } from '../../src/slack/blocks/final.js';
import { type LiveRuntime, startLiveRuntime } from '../helpers/live-runtime.js';
import type { PriceStandIn } from '../helpers/price-stand-in.js';
import { finalRecord } from '../helpers/run-records.js';
import type { SecStandIn } from '../helpers/sec-stand-in.js';

let live: LiveRuntime;
let sec: SecStandIn;
let prices: PriceStandIn;
let runtime: Runtime;

beforeAll(async () => {
  live = await startLiveRuntime(['NVDA']);
  ({ sec, prices, runtime } = live);
});

afterAll(async () => {
  await live?.close();
});

describe('a research run on live data', () => {
  it('researches a ticker the bundle lacks from SEC EDGAR and Yahoo, names them with dates, and serves a rerun from the cache', async () => {
    const result = await runtime.research.start('NVDA').result;
    expect(result.companyName).toBe('NVIDIA CORP');
    const report = buildReportMarkdown(result);
    expect(report).toContain('- Profile: SEC EDGAR (live), as of 2026-02-25');
    expect(report).toContain(
      '- Statements: SEC EDGAR (live), latest filing 10-Q filed 2026-05-20, period ended 2026-04-26',
    );
    expect(report).toContain('- Prices: Yahoo Finance (live), last close 2026-08-21');
    expect(report).toContain('- Events: SEC EDGAR (live), latest 2026-02-25');
    expect(report).toContain('- Insiders: SEC EDGAR (live), latest filing 2026-03-04');
    // Not in SEC's data and not in the trimmed bundle: said, not invented.
    expect(report).toContain(
      '- Consensus: none (No analyst consensus for NVDA in any configured source; asked bundled snapshot)',
    );
    expect(report).toContain('No analyst consensus is available for NVDA in the configured data sources.');
    expect(report).not.toContain(': bundled.');
    expect(result.outcome).toBe('ok');
    // The stand-in's bars end in August: the report says at the top how old they are.
    expect(report).toMatch(
      /> \*\*The prices are \d+ trading days old: the last close in this report is 2026-08-21\.\*\*/,
    );
    const fundamentals = result.sections.find((s) => s.id === 'fundamentals')?.markdown ?? '';
    expect(fundamentals).toContain('| FY2026 | $215.94B |');
    const upstreamBefore = sec.requests.length + prices.requests.length;
    expect(upstreamBefore).toBeGreaterThan(0);
    // The run counts the upstream requests made for it: every one the stand-ins answered.
    expect(result.upstream?.requests).toBe(upstreamBefore);
    expect(result.upstream?.throttled).toBe(0);
    expect(Object.keys(result.upstream?.hosts ?? {}).sort()).toEqual([prices.host, sec.host].sort());

    const again = await runtime.research.start('NVDA').result;
    expect(again.tools.hits).toBe(again.tools.total);
    expect(sec.requests.length + prices.requests.length).toBe(upstreamBefore);
    expect(again.upstream?.requests).toBe(0);
    // The run log and perf count both runs' upstream requests.
    const { computePerfReport } = await import('../../src/metrics/stats.js');
    const records = await Promise.all([result.runId, again.runId].map((id) => finalRecord(runtime.metrics, id)));
    expect(records.map((r) => r?.upstream?.requests)).toEqual([upstreamBefore, 0]);
    const perf = computePerfReport(records.filter((r) => r !== undefined));
    expect(perf.upstream).toMatchObject({ runs: 2, requests: upstreamBefore, throttled: 0 });
    expect(perf.upstream?.hosts.map((h) => h.host).sort()).toEqual([prices.host, sec.host].sort());
    expect(buildReportMarkdown(again)).toContain('- Prices: Yahoo Finance (live), last close 2026-08-21');
    // The Slack parent shows the as-of date next to the verdict, and the source lines below it.
    const parent = JSON.stringify(finalMessage(again).blocks);
    expect(parent).toMatch(/\*Verdict:\*[^"]*· _prices as of 2026-08-21 \(Yahoo Finance\)_/);
    expect(parent).toContain(
      'Statements: SEC EDGAR (live), latest filing 10-Q filed 2026-05-20, period ended 2026-04-26',
    );
  });
  // 20 concurrent runs over 10 tickers against SEC's limit: live-concurrency.e2e.test.ts.
});
