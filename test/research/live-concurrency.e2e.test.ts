/**
 * Issue 12's rate-limit test on the real runtime (gateway, cache, MCP data server over stdio) against the 127.0.0.1
 * stand-ins: 20 concurrent cold runs over 10 tickers keep SEC within its 10 requests in any second (as the stand-in
 * counts them) and get no 429; the same tickers researched again within the answers' validity send no upstream
 * request at all. Six of the ten tickers are the SEC stand-in's derived companies (copies of recorded SEC JSON under
 * their own CIK and name, see sec-stand-in.ts), so that each ticker costs its own SEC requests.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { RunResult } from '../../src/research/types.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { peakPerWindow } from '../helpers/http-stand-in.js';
import { liveEnv } from '../helpers/live-env.js';
import { DERIVED_COMPANIES } from '../helpers/sec-stand-in.js';
import { type StandIns, startStandIns } from '../helpers/stand-ins-child.js';

const DERIVED = DERIVED_COMPANIES.slice(0, 6);
const TICKERS = ['NVDA', 'AAPL', 'MSFT', 'TSLA', ...DERIVED.map((d) => d.ticker)];

let standIns: StandIns;
let home: string;
let runtime: Runtime;

beforeAll(async () => {
  // In a process of their own: 20 pipelines in this one would delay the stand-ins' answers and the arrival times
  // SEC's per-second count is taken on (a loaded machine once showed a burst as 11 in a second).
  standIns = await startStandIns({
    secLatencyMs: [0, 0],
    priceLatencyMs: [0, 0],
    derived: DERIVED.length,
    aliases: Object.fromEntries(DERIVED.map((d) => [d.ticker, d.from as 'NVDA' | 'AAPL'])),
  });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-live-burst-'));
  const env = liveEnv(standIns.sec, standIns.prices, {
    TICKERDESK_HOME: home,
    LOG_LEVEL: 'warn',
    CACHE_OP_TIMEOUT_MS: '10000',
    // Every Form 4 a run asks for is fetched within its call (none left running in the background to blur the
    // rerun's count), and a call queued behind 20 runs' SEC requests is not cut off by the tool timeout.
    SEC_FORM4_MAX_FILINGS: '3',
    SEC_FORM4_WAIT_MS: '120000',
    TOOL_TIMEOUT_MS: '120000',
  });
  runtime = await createRuntime(loadConfig(env));
});

afterAll(async () => {
  await runtime?.close();
  await standIns?.close();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe('20 concurrent runs over 10 tickers on live data', () => {
  it('keep SEC within 10 requests in any second with no 429, and a rerun within validity sends no upstream request', async () => {
    const runs = Array.from(
      { length: 20 },
      (_, i) => runtime.research.start(TICKERS[i % TICKERS.length] as string).result,
    );
    const results: RunResult[] = await Promise.all(runs);
    for (const r of results) expect(r.outcome, `${r.ticker}: ${r.problems.join(' | ')}`).toBe('ok');
    // A request still unanswered is work the runs left in flight: settled() lets it land before counting.
    const log = await standIns.settled();
    // Every ticker was answered from SEC (the derived ones exist nowhere else).
    const secTickers = new Set(log.sec.map((r) => /CIK(\d{10})/.exec(r.path)?.[1]).filter(Boolean));
    expect(secTickers.size).toBe(TICKERS.length);
    expect(results.find((r) => r.ticker === 'QXA')?.companyName).toBe('QXA TEST COPY OF NVIDIA CORP');
    const odd = log.sec.filter((r) => r.status !== 200 && r.status !== 404);
    expect(odd.map((r) => `${r.status} ${r.path}`)).toEqual([]);
    expect(log.throttled).toBe(0);
    expect(peakPerWindow(log.sec)).toBeLessThanOrEqual(10);
    expect(results.reduce((n, r) => n + (r.upstream?.throttled ?? 0), 0)).toBe(0);

    const secBefore = log.sec.length;
    const pricesBefore = log.prices.length;
    const again = await Promise.all(TICKERS.map((t) => runtime.research.start(t).result));
    for (const r of again) {
      expect(r.tools.hits, r.ticker).toBe(r.tools.total);
      expect(r.upstream?.requests ?? 0, r.ticker).toBe(0);
    }
    const after = await standIns.settled();
    expect(after.sec.length).toBe(secBefore);
    expect(after.prices.length).toBe(pricesBefore);
  }, 240_000);
});
