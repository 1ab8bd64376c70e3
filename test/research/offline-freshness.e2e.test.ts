/**
 * Offline repeat runs (issue 12, defect: README said repeat runs are "served from cache", but offline the bundle's
 * prices are a fallback answer valid 5 minutes). Every live host refuses connections and SEC is off (no
 * SEC_USER_AGENT), as on a machine without network: the bundle's answers for kinds with no live provider configured
 * get their full validity; the fallback prices (Yahoo and Stooq configured but unreachable) are valid 5 minutes, then
 * served stale while the live hosts are asked again in the background — and, while they still refuse, not refreshed
 * (a second defect: each such run started a refresh that only fetched the bundle's answer again and held a CLI's exit
 * for it). Real runtime, real MCP server over stdio, the gateway's clock moved by the test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildReportMarkdown } from '../../src/report/markdown.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { refusedUrl } from '../helpers/live-env.js';

let home: string;
let runtime: Runtime;
// A Saturday: no market close moves during the test.
const clock = { now: Date.parse('2026-12-05T15:00:00Z') };

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-offline-freshness-'));
  const nobody = await refusedUrl();
  runtime = await createRuntime(
    loadConfig({
      TICKERDESK_HOME: home,
      LOG_LEVEL: 'silent',
      DATA_SOURCE: 'auto',
      YAHOO_CHART_URL: nobody,
      STOOQ_URL: nobody,
    }),
    { gatewayOptions: { now: () => clock.now } },
  );
});

afterAll(async () => {
  await runtime?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('offline repeat runs', () => {
  it('are served from the cache after the fallback prices expire, marked stale, and not refreshed while the live hosts refuse', async () => {
    const first = await runtime.research.start('NVDA').result;
    expect(first.tools).toMatchObject({ total: 8, hits: 0 });
    expect(buildReportMarkdown(first)).toContain('Live data could not be reached');

    clock.now += 6 * 60_000; // past the fallback answers' 5 minutes
    const second = await runtime.research.start('NVDA').result;
    expect(second.tools).toMatchObject({ total: 8, hits: 8, misses: 0 });
    // Only the fallback parts (prices, technicals) are stale; the rest had no live provider to fall back from.
    const stale = Object.entries(second.bundle)
      .filter(([, part]) => typeof part === 'object' && part.status === 'ok' && part.stale)
      .map(([key]) => key)
      .sort();
    expect(stale).toEqual(['prices', 'technicals']);
    const report = buildReportMarkdown(second);
    expect(report).toMatch(
      /- Prices: bundled snapshot, last close 2026-08-21 — Yahoo Finance and Stooq could not be reached; served stale \(fetched 2026-12-05 15:00 UTC, valid until 2026-12-05 15:05 UTC\), refreshed once a live source can be reached/,
    );
    const serverCalls = runtime.gateway.stats().serverCalls;
    await runtime.gateway.refreshed?.();
    // The live hosts were asked (a connect each) and still refuse: nothing was sent to the data server.
    expect(runtime.gateway.stats()).toMatchObject({ stale: 2, refreshes: 0, refreshesSkipped: 2, serverCalls });

    // The stale answers stay as they were, and are served (and their hosts asked) again.
    const third = await runtime.research.start('NVDA').result;
    expect(third.tools).toMatchObject({ total: 8, hits: 8 });
    expect(third.bundle.prices).toMatchObject({ stale: { fetchedAt: '2026-12-05T15:00:00.000Z' } });
    await runtime.gateway.refreshed?.();
    expect(runtime.gateway.stats()).toMatchObject({ refreshes: 0, refreshesSkipped: 4, serverCalls });
  });
});
