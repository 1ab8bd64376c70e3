/**
 * A prewarm by hand (`/perf prewarm`, issue 15, part 6): it starts in the background and resolves its summary when
 * done; while it runs, a second ask in the same process is told `running`, and one on another instance sharing the
 * claim store is told `claimed`; the prewarm after a close is never held back by it (the digests follow it); once it
 * ends, the next one may start.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logger } from '../../src/log.js';
import { createPrewarmService, PREWARM_RUNNING_KEY } from '../../src/ops/prewarm/service.js';
import { planRequests } from '../../src/research/plan.js';
import { createMemoryClaims } from '../../src/tools/run-claims.js';
import type { ToolGateway, ToolRequest, ToolResult } from '../../src/tools/types.js';
import { removeDir, tempDir } from '../tools/helpers.js';

/** A gateway whose calls wait until `open()` is called. */
function gatedGateway() {
  const calls: string[] = [];
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const gateway: ToolGateway = {
    async call<T>(request: ToolRequest): Promise<ToolResult<T>> {
      calls.push(String(request.args.ticker));
      await gate;
      return { data: {} as T, source: 'tickerdesk/x', fetchedAt: new Date().toISOString(), cache: 'miss', ms: 1 };
    },
    onMetric: () => () => undefined,
    stats: () => ({ calls: 0, hits: 0, misses: 0, coalesced: 0, errors: 0, cacheErrors: 0, serverCalls: 0 }),
    close: async () => undefined,
  };
  return { gateway, calls, open: () => open() };
}

let dir: string;
beforeEach(() => {
  dir = tempDir('tickerdesk-prewarm-now-');
});
afterEach(() => removeDir(dir));

const config = (name: string) => ({
  metricsPath: `${dir}/${name}.sqlite`,
  prewarm: { enabled: false, topN: 0, tickers: ['NVDA'], callsPerSecond: 1000 },
});

describe('prewarmNow', () => {
  it('starts, refuses a second one here (running) and on another instance (claimed), then allows the next', async () => {
    const claims = createMemoryClaims();
    const here = gatedGateway();
    const there = gatedGateway();
    const a = createPrewarmService({ config: config('a'), gateway: here.gateway, claims, logger });
    const b = createPrewarmService({ config: config('b'), gateway: there.gateway, claims, logger });
    try {
      const [first, again] = await Promise.all([a.prewarmNow(), a.prewarmNow()]);
      expect(first.started).toBe(true);
      expect(again).toEqual({ started: false, reason: 'running' });
      expect(await b.prewarmNow()).toEqual({ started: false, reason: 'claimed' });
      expect(there.calls).toEqual([]);

      here.open();
      const summary = first.started ? await first.done : undefined;
      expect(summary).toMatchObject({ tickers: ['NVDA'], refreshed: 1, stopped: false });
      expect(here.calls).toHaveLength(planRequests('NVDA').length);
      // The claim is released with the end of the prewarm: the next one starts, on either instance.
      expect(await claims.claim(PREWARM_RUNNING_KEY, 1000)).toBe(true);
      await claims.release(PREWARM_RUNNING_KEY);
      there.open();
      const next = await b.prewarmNow();
      expect(next.started).toBe(true);
      if (next.started) expect((await next.done)?.refreshed).toBe(1);
    } finally {
      here.open();
      there.open();
      await a.close();
      await b.close();
    }
  });

  it('the prewarm after a close is not held back by one by hand elsewhere, and leaves its claim alone', async () => {
    const claims = createMemoryClaims();
    const here = gatedGateway();
    const there = gatedGateway();
    there.open();
    const a = createPrewarmService({ config: config('a'), gateway: here.gateway, claims, logger });
    const b = createPrewarmService({ config: config('b'), gateway: there.gateway, claims, logger });
    try {
      const byHand = await a.prewarmNow();
      expect(byHand.started).toBe(true);
      expect(await b.prewarmSession('2026-12-07')).toMatchObject({ refreshed: 1 });
      // Still held by the prewarm by hand: a third ask is refused.
      expect(await b.prewarmNow()).toEqual({ started: false, reason: 'claimed' });
      here.open();
      if (byHand.started) await byHand.done;
      const next = await b.prewarmNow();
      expect(next.started).toBe(true);
      if (next.started) await next.done;
    } finally {
      here.open();
      await a.close();
      await b.close();
    }
  });

  it('after close, nothing starts', async () => {
    const { gateway } = gatedGateway();
    const service = createPrewarmService({ config: config('c'), gateway, claims: createMemoryClaims(), logger });
    await service.close();
    expect(await service.prewarmNow()).toEqual({ started: false, reason: 'closed' });
  });
});
