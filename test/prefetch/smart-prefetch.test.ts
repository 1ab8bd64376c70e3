/**
 * Smart prefetch (issue 14, part 8) on the real gateway and data server (bundled data, in memory): after a report the
 * nearest peers' data and the older quarters are fetched in the background; a foreground run is never held up by it
 * (by call order: background calls held at the server, the foreground run's calls arrive and it finishes); a
 * comparison after it makes no server call; uses are counted as "prefetched, later used".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { formatPerfReport } from '../../src/metrics/format.js';
import { computePerfReport } from '../../src/metrics/stats.js';
import type { RunPatch } from '../../src/metrics/store.js';
import type { RunRecord } from '../../src/metrics/types.js';
import { OLDER_QUARTERS } from '../../src/prefetch/next-data.js';
import { SmartPrefetcher } from '../../src/prefetch/smart-prefetch.js';
import { createResearchService } from '../../src/research/pipeline.js';
import { planRequests } from '../../src/research/plan.js';
import { prefetch } from '../../src/research/prefetch.js';
import { emptyUsage } from '../../src/research/types.js';
import { createTemplateWriter } from '../../src/writers/template/index.js';
import { hasBundledData } from '../helpers/bundled-data.js';
import { type InMemoryGateway, openInMemoryGateway, type ServerCall } from '../helpers/in-memory-gateway.js';

const TODAY = '2026-08-24';

/** A finished run's record with `prefetch` counts. */
function recordWith(prefetch: RunRecord['prefetch']): RunRecord {
  const at = new Date().toISOString();
  return {
    id: 'run-nvda',
    ticker: 'NVDA',
    via: 'slack',
    startedAt: at,
    finishedAt: at,
    stageMs: {},
    tools: { total: 8, made: 8, hits: 0, coalesced: 0, errors: 0 },
    toolMs: {},
    usage: emptyUsage(),
    errors: [],
    outcome: 'ok',
    ...(prefetch ? { prefetch } : {}),
  };
}

describe.skipIf(!hasBundledData)('smart prefetch', () => {
  const open: { gw: InMemoryGateway; prefetcher?: SmartPrefetcher }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.prefetcher?.close();
      await o.gw.close();
    }
  });

  async function setUp(onServerCall?: (call: ServerCall) => Promise<void> | void) {
    const gw = await openInMemoryGateway({ backgroundConcurrency: 2, ...(onServerCall ? { onServerCall } : {}) });
    const updates: { id: string; patch: RunPatch }[] = [];
    const prefetcher = new SmartPrefetcher({
      gateway: gw.gateway,
      peers: 3,
      today: () => TODAY,
      metrics: {
        update: async (id, patch) => {
          updates.push({ id, patch });
        },
      },
    });
    open.push({ gw, prefetcher });
    return { gw, prefetcher, updates };
  }

  it('fetches the three nearest peers’ run data and the older quarters, in the background lane', async () => {
    const { gw, prefetcher, updates } = await setUp();
    const counts = await prefetcher.after({ runId: 'run-nvda', ticker: 'NVDA' });
    expect(counts?.peers).toEqual(['AVGO', 'AMD', 'INTC']);
    // get_peers, 8 calls per peer, the older quarters.
    expect(counts).toMatchObject({ calls: 1 + 3 * 8 + 1, made: 1 + 3 * 8 + 1, used: 0 });
    expect(gw.gateway.stats()).toMatchObject({ serverCalls: 26, backgroundServerCalls: 26 });
    expect(gw.calls.map((c) => c.label)).toContain('get_company_financials:NVDA');
    expect(gw.calls.find((c) => c.label === 'get_company_financials:NVDA')?.args).toMatchObject({
      period: 'quarterly',
      limit: OLDER_QUARTERS,
    });
    expect(updates.at(-1)).toMatchObject({ id: 'run-nvda', patch: { prefetch: { made: 26, used: 0 } } });
  });

  it('a comparison after prefetch makes no server call, and its reads are counted as used', async () => {
    const { gw, prefetcher, updates } = await setUp();
    await prefetcher.after({ runId: 'run-nvda', ticker: 'NVDA' });
    const before = gw.gateway.stats().serverCalls;
    // The calls a comparison with AMD makes: the run's plan for AMD (the follow-up's thread data reads it so).
    const amd = await prefetch(gw.gateway, 'AMD', planRequests('AMD', TODAY), { signal: new AbortController().signal });
    expect(gw.gateway.stats().serverCalls).toBe(before);
    expect(amd.tools).toMatchObject({ total: 8, hits: 8, misses: 0 });
    expect(amd.bundle.financialsAnnual.status).toBe('ok');
    expect(prefetcher.counts('run-nvda')).toMatchObject({ made: 26, used: 8 });
    expect(updates.at(-1)?.patch.prefetch).toMatchObject({ used: 8 });
    const report = computePerfReport([recordWith(prefetcher.counts('run-nvda'))]);
    expect(report.prefetch).toEqual({ runs: 1, made: 26, used: 8 });
    expect(formatPerfReport(report)).toContain('prefetched, later used: 8 of 26 (after 1 report)');
  });

  it('never delays a foreground run: with the background calls held at the server, the run’s calls go first and it finishes', async () => {
    // Every background call (the peers of NVDA and its older quarters) is held until the test lets go.
    const held: (() => void)[] = [];
    // (get_peers itself answers at once, so the lane goes on to the peers' calls.)
    const background = (c: ServerCall) => c.tool !== 'get_peers' && c.args.ticker !== 'KO';
    let release = false;
    let laneFull: () => void = () => {};
    const full = new Promise<void>((resolve) => {
      laneFull = resolve;
    });
    const { gw, prefetcher } = await setUp((call) => {
      if (release || !background(call)) return;
      return new Promise<void>((resolve) => {
        held.push(resolve);
        if (held.length === 2) laneFull();
      });
    });
    const done = prefetcher.after({ runId: 'run-nvda', ticker: 'NVDA' });
    // The background lane fills (2 slots) and waits.
    await full;
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(held).toHaveLength(2);
    const backgroundStarted = gw.calls.filter(background).length;
    const service = createResearchService({ gateway: gw.gateway, createWriter: () => createTemplateWriter() });
    const run = service.start('KO');
    const result = await run.result;
    expect(result.outcome).toBe('ok');
    expect(result.tools).toMatchObject({ total: 8, hits: 0, coalesced: 0 });
    // While the run went, no further background call reached the server: all of KO's calls went first.
    const ko = gw.calls.filter((c) => c.args.ticker === 'KO');
    expect(ko).toHaveLength(8);
    expect(gw.calls.filter(background)).toHaveLength(backgroundStarted);
    release = true;
    for (const resolve of held.splice(0)) resolve();
    const counts = await done;
    expect(counts?.made).toBe(26);
    // And after the run, the remaining background calls came after every one of KO's.
    const lastKo = gw.calls.findLastIndex((c) => c.args.ticker === 'KO');
    const later = gw.calls.slice(lastKo + 1);
    expect(later.length).toBe(25 - backgroundStarted);
    expect(later.every(background)).toBe(true);
  });

  it('is off with no peers asked for', async () => {
    const gw = await openInMemoryGateway();
    const prefetcher = new SmartPrefetcher({ gateway: gw.gateway, peers: 0 });
    open.push({ gw, prefetcher });
    expect(await prefetcher.after({ runId: 'r', ticker: 'NVDA' })).toBeUndefined();
    expect(gw.calls).toHaveLength(0);
  });
});
