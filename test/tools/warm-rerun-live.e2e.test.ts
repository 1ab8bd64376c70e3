/**
 * A warm rerun on live data sends no upstream request, also under high concurrency when the tool cache's reads miss.
 *
 * Diagnosed on the live bench (`--tool-concurrency 16`): on a loaded machine the tool cache's reads outlast their
 * bound (CACHE_OP_TIMEOUT_MS) and answer as misses, so the warm rerun's tool calls reach the data server again. Its
 * in-process memos answer nearly all of them without a request (submissions, companyfacts, prices, the ticker map,
 * the Form 4s read), but the Form 4s that had answered 404 — four of Apple's five newest on the SEC stand-in — were
 * never kept, so every recomputed Apple insiders answer asked SEC for them again (the bench saw 56 such requests;
 * with the cache bound set to 15 ms, all 400 warm calls missed and 65 Form 4 requests went out), and so was a
 * companyfacts document that answered 404 (Microsoft's and Tesla's on the stand-in). A filed document does not
 * change: a 404 is now kept for an hour in the data server (`SEC_MISSING_KEEP_MS`).
 *
 * Here the real runtime (gateway, SQLite cache, MCP data server over stdio) runs 16 tool calls at once against the
 * stand-ins, over Apple, NVIDIA, Microsoft (no companyfacts on the stand-in) and six derived copies of the first two (Apple's copies share its Form 4s, see
 * sec-stand-in.ts); the rerun's cache reads are made to miss, as timed-out reads do.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { type CacheEntry, createSqliteCache, type ToolCache } from '../../src/tools/index.js';
import type { HttpStandIn } from '../helpers/http-stand-in.js';
import { liveEnv } from '../helpers/live-env.js';
import { type PriceStandIn, startPriceStandIn } from '../helpers/price-stand-in.js';
import { DERIVED_COMPANIES, FORM4_PATH, type SecStandIn, startSecStandIn } from '../helpers/sec-stand-in.js';

const DERIVED = DERIVED_COMPANIES.slice(0, 6);
const TICKERS = ['NVDA', 'AAPL', 'MSFT', ...DERIVED.map((d) => d.ticker)];

/** A tool cache whose reads can be made to miss, as reads that outlast their bound on a loaded machine do. */
class MissingReads implements ToolCache {
  missing = false;
  misses = 0;
  constructor(readonly inner: ToolCache) {}
  get errors() {
    return this.inner.errors;
  }
  async get(key: string): Promise<CacheEntry | undefined> {
    if (this.missing && key.startsWith('tickerdesk/')) {
      this.misses += 1;
      return undefined;
    }
    return this.inner.get(key);
  }
  set(key: string, entry: CacheEntry, ttlMs: number) {
    return this.inner.set(key, entry, ttlMs);
  }
  close() {
    return this.inner.close();
  }
}

let sec: SecStandIn;
let prices: PriceStandIn;
let home: string;
let cache: MissingReads;
let runtime: Runtime;

/** Wait until every request a stand-in has seen is answered (status 0: still in flight). */
async function settled(...standIns: HttpStandIn[]): Promise<void> {
  for (let i = 0; i < 400 && standIns.some((s) => s.requests.some((r) => r.status === 0)); i++) await sleep(25);
}

beforeAll(async () => {
  [sec, prices] = await Promise.all([
    startSecStandIn({ derived: DERIVED.length }),
    startPriceStandIn({ aliases: Object.fromEntries(DERIVED.map((d) => [d.ticker, d.from])) }),
  ]);
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-warm-rerun-'));
  const config = loadConfig(
    liveEnv(sec, prices, {
      TICKERDESK_HOME: home,
      LOG_LEVEL: 'warn',
      TOOL_CONCURRENCY: '16',
      // Apple's five newest Form 4s: four are not on the stand-in (404), one is.
      SEC_FORM4_MAX_FILINGS: '5',
      SEC_FORM4_WAIT_MS: '120000',
      TOOL_TIMEOUT_MS: '120000',
      // Nothing here hangs: a request slow only because the machine is loaded is waited for, not retried or taken
      // for a host that is down (which would change what is asked of the stand-ins).
      UPSTREAM_TIMEOUT_MS: '60000',
      CACHE_OP_TIMEOUT_MS: '10000',
    }),
  );
  cache = new MissingReads(await createSqliteCache(config.cachePath, { opTimeoutMs: 10_000 }));
  runtime = await createRuntime(config, { gatewayOptions: { cache } });
});

afterAll(async () => {
  await runtime?.close();
  await Promise.all([sec?.close(), prices?.close()]);
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe('a warm rerun on live data under high concurrency', () => {
  it('sends no upstream request, even when every cached read misses', async () => {
    const cold = await Promise.all(
      Array.from({ length: 18 }, (_, i) => runtime.research.start(TICKERS[i % TICKERS.length] as string).result),
    );
    for (const r of cold) expect(r.outcome, `${r.ticker}: ${r.problems.join(' | ')}`).toBe('ok');
    await settled(sec, prices);
    const missing = sec.requests.filter((r) => FORM4_PATH.test(r.path) && r.status === 404);
    // The case under test: Apple's insiders rest on Form 4s that answered 404, each asked once in the cold burst.
    expect(new Set(missing.map((r) => FORM4_PATH.exec(r.path)?.[2])).size).toBe(4);
    expect(cold.find((r) => r.ticker === 'AAPL')?.bundle.insider.status).toBe('ok');
    // And Microsoft's statements on a companyfacts document that answers 404 (its statements come from the bundle).
    expect(
      sec.requests.some((r) => r.path.startsWith('/api/xbrl/companyfacts/CIK0000789019') && r.status === 404),
    ).toBe(true);

    const secBefore = sec.requests.length;
    const pricesBefore = prices.requests.length;
    // First a plain warm rerun: every call is a cache hit.
    const warm = await Promise.all(TICKERS.map((t) => runtime.research.start(t).result));
    for (const r of warm) expect(r.tools.hits, r.ticker).toBe(r.tools.total);
    // Then one whose cache reads all miss: every call reaches the data server, whose memos answer it.
    cache.missing = true;
    const missed = await Promise.all(TICKERS.map((t) => runtime.research.start(t).result));
    await settled(sec, prices);
    expect(cache.misses).toBeGreaterThanOrEqual(TICKERS.length * 8);
    for (const r of missed) {
      expect(r.outcome, r.ticker).toBe('ok');
      expect(r.tools.hits, r.ticker).toBe(0);
      expect(r.upstream?.requests ?? 0, r.ticker).toBe(0);
    }
    expect(sec.requests.slice(secBefore).map((r) => r.path)).toEqual([]);
    expect(prices.requests.length).toBe(pricesBefore);
  }, 240_000);
});
