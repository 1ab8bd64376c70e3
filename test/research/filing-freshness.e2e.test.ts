/**
 * Statements are valid until a newer filing appears (issue 12, part 5): on the real runtime (gateway, cache, MCP
 * server over stdio) against the SEC and price stand-ins, a rerun past the check's 15 minutes costs one small
 * upstream request (SEC submissions, the cheap check) when nothing was filed, and a 10-Q published on the stand-in
 * shows up in the next report. The gateway's clock is moved by the test; the stand-ins count every request.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildReportMarkdown } from '../../src/report/markdown.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { bundleWithout, liveEnv } from '../helpers/live-env.js';
import { type PriceStandIn, startPriceStandIn } from '../helpers/price-stand-in.js';
import { type SecStandIn, startSecStandIn } from '../helpers/sec-stand-in.js';

let sec: SecStandIn;
let prices: PriceStandIn;
let bundle: { dir: string; remove: () => void };
let home: string;
let runtime: Runtime;
// A Saturday: no market close passes while the test moves the clock (live prices stay valid until Monday's).
const clock = { now: Date.parse('2026-12-05T15:00:00Z') };
const MINUTE = 60_000;

beforeAll(async () => {
  [sec, prices] = await Promise.all([startSecStandIn(), startPriceStandIn()]);
  bundle = bundleWithout(['NVDA']);
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-filing-freshness-'));
  runtime = await createRuntime(
    loadConfig({ TICKERDESK_HOME: home, DATA_DIR: bundle.dir, LOG_LEVEL: 'silent', ...liveEnv(sec, prices) }),
    { gatewayOptions: { now: () => clock.now } },
  );
});

afterAll(async () => {
  await runtime?.close();
  await Promise.all([sec?.close(), prices?.close()]);
  bundle?.remove();
  fs.rmSync(home, { recursive: true, force: true });
});

const paths = (from: number) => sec.requests.slice(from).map((r) => r.path);

describe('statements valid until a newer filing appears', () => {
  it('checks submissions once when nothing changed, and shows a newly published 10-Q in the next report', async () => {
    const first = await runtime.research.start('NVDA').result;
    expect(buildReportMarkdown(first)).toContain(
      '- Statements: SEC EDGAR (live), latest filing 10-Q filed 2026-05-20, period ended 2026-04-26',
    );

    // Past the check's 15 minutes, nothing filed: every part from the cache, one submissions request upstream.
    clock.now += 20 * MINUTE;
    let before = sec.requests.length;
    const pricesBefore = prices.requests.length;
    const second = await runtime.research.start('NVDA').result;
    expect(second.tools).toMatchObject({ total: 8, hits: 8, misses: 0 });
    expect(paths(before)).toEqual(['/submissions/CIK0001045810.json']);
    expect(prices.requests.length).toBe(pricesBefore);
    expect(second.upstream?.requests).toBe(1);
    expect(buildReportMarkdown(second)).not.toContain('served stale');

    // Within the check's 15 minutes: not even that.
    before = sec.requests.length;
    const third = await runtime.research.start('NVDA').result;
    expect(third.tools.hits).toBe(8);
    expect(paths(before)).toEqual([]);
    expect(third.upstream?.requests).toBe(0);

    // NVIDIA files its Q2 FY2027 10-Q.
    sec.addFiling('NVDA', {
      form: '10-Q',
      filingDate: '2026-08-26',
      reportDate: '2026-07-26',
      accessionNumber: '0001045810-26-000077',
      facts: [
        { tag: 'Revenues', start: '2026-04-27', end: '2026-07-26', val: 90_500_000_000, fy: 2027, fp: 'Q2' },
        { tag: 'NetIncomeLoss', start: '2026-04-27', end: '2026-07-26', val: 61_000_000_000, fy: 2027, fp: 'Q2' },
        { tag: 'OperatingIncomeLoss', start: '2026-04-27', end: '2026-07-26', val: 59_000_000_000, fy: 2027, fp: 'Q2' },
      ],
    });
    clock.now += 20 * MINUTE;
    before = sec.requests.length;
    const fourth = await runtime.research.start('NVDA').result;
    const report = buildReportMarkdown(fourth);
    expect(report).toContain(
      '- Statements: SEC EDGAR (live), latest filing 10-Q filed 2026-08-26, period ended 2026-07-26',
    );
    expect(report).toContain('- Profile: SEC EDGAR (live), as of 2026-08-26');
    const quarter = fourth.bundle.financialsQuarterly;
    expect(quarter.status === 'ok' && quarter.data.periods[0]?.items.revenue?.value).toBe(90_500_000_000);
    // The check, then the new companyfacts; the events (no new 8-K) and insiders (no new Form 4) stay cached.
    expect(new Set(paths(before))).toEqual(
      new Set(['/submissions/CIK0001045810.json', '/api/xbrl/companyfacts/CIK0001045810.json']),
    );
    expect(fourth.tools.hits).toBe(5); // news, insiders, prices, technicals, consensus
  });
});
