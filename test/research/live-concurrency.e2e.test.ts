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
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { RunResult } from '../../src/research/types.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { peakPerWindow } from '../helpers/http-stand-in.js';
import { liveEnv } from '../helpers/live-env.js';
import { type PriceStandIn, startPriceStandIn } from '../helpers/price-stand-in.js';
import { DERIVED_COMPANIES, type SecStandIn, startSecStandIn } from '../helpers/sec-stand-in.js';

const DERIVED = DERIVED_COMPANIES.slice(0, 6);
const TICKERS = ['NVDA', 'AAPL', 'MSFT', 'TSLA', ...DERIVED.map((d) => d.ticker)];

let sec: SecStandIn;
let prices: PriceStandIn;
let home: string;
let runtime: Runtime;

beforeAll(async () => {
  [sec, prices] = await Promise.all([
    startSecStandIn({ derived: DERIVED.length }),
    startPriceStandIn({ aliases: Object.fromEntries(DERIVED.map((d) => [d.ticker, d.from])) }),
  ]);
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-live-burst-'));
  const env = liveEnv(sec, prices, {
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
  await Promise.all([sec?.close(), prices?.close()]);
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
    // Every ticker was answered from SEC (the derived ones exist nowhere else).
    const secTickers = new Set(sec.requests.map((r) => /CIK(\d{10})/.exec(r.path)?.[1]).filter(Boolean));
    expect(secTickers.size).toBe(TICKERS.length);
    expect(results.find((r) => r.ticker === 'QXA')?.companyName).toBe('QXA TEST COPY OF NVIDIA CORP');
    // A request still unanswered (status 0) is work the runs left in flight: let it land before counting.
    for (let i = 0; i < 400 && sec.requests.some((r) => r.status === 0); i++) await sleep(25);
    const odd = sec.requests.filter((r) => r.status !== 200 && r.status !== 404);
    expect(odd.map((r) => `${r.status} ${r.path}`)).toEqual([]);
    expect(sec.throttled()).toBe(0);
    expect(peakPerWindow(sec.requests)).toBeLessThanOrEqual(10);
    expect(results.reduce((n, r) => n + (r.upstream?.throttled ?? 0), 0)).toBe(0);

    const secBefore = sec.requests.length;
    const pricesBefore = prices.requests.length;
    const again = await Promise.all(TICKERS.map((t) => runtime.research.start(t).result));
    for (const r of again) {
      expect(r.tools.hits, r.ticker).toBe(r.tools.total);
      expect(r.upstream?.requests ?? 0, r.ticker).toBe(0);
    }
    expect(sec.requests.length).toBe(secBefore);
    expect(prices.requests.length).toBe(pricesBefore);
  }, 240_000);
});
