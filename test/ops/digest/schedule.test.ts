/**
 * The digest follows the prewarm at each US close, on a fake clock (issue 15, part 7): through the prewarm service's
 * real croner schedule, a week with Thanksgiving (a holiday: no prewarm, no digest) and its early close (13:20 New
 * York time) gets one digest per trading day, each after that day's prewarm of the watched tickers; a digest asked
 * for a holiday directly is skipped too.
 */
import Keyv from 'keyv';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDigestService } from '../../../src/ops/digest/service.js';
import { createPrewarmService } from '../../../src/ops/prewarm/service.js';
import { createMemoryClaims } from '../../../src/tools/run-claims.js';
import { KeyvWatchlistStore } from '../../../src/watchlists/store.js';
import type { Digest } from '../../../src/watchlists/types.js';
import { FakeGateway } from '../../helpers/fake-gateway.js';
import { captureLogger } from '../../helpers/log-capture.js';

afterEach(() => {
  vi.useRealTimers();
});

/** Run croner's timers through the two minutes around `iso` (as the prewarm schedule test does). */
async function around(iso: string): Promise<void> {
  vi.setSystemTime(new Date(Date.parse(iso) - 60_000));
  await vi.advanceTimersByTimeAsync(120_000);
}

describe('digests on the prewarm schedule', () => {
  it('Thanksgiving week: digests after the Wednesday, the early close and Monday; none on the holiday', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-25T12:00:00Z') });
    const { logger } = captureLogger();
    const store = new KeyvWatchlistStore(new Keyv(), { logger, label: 'memory' });
    await store.update('C0DESK', () => ({ channel: 'C0DESK', tickers: ['NVDA'], updatedAt: '', updatedBy: 'U0A' }));
    const gateway = new FakeGateway({ cache: 'hit' });
    const order: string[] = [];
    const posted: Digest[] = [];
    const digests = createDigestService({
      store,
      gateway,
      claims: createMemoryClaims(),
      logger,
      post: async (digest) => {
        order.push(`digest ${digest.session} at ${new Date().toISOString().slice(0, 16)}`);
        posted.push(digest);
        return { ts: `${posted.length}.000100` };
      },
    });
    const prewarm = createPrewarmService(
      {
        config: { metricsPath: '', prewarm: { enabled: true, topN: 0, tickers: [], callsPerSecond: 100 } },
        gateway,
        claims: createMemoryClaims(),
        logger,
        openLog: () => Promise.reject(new Error('no run log in this test')),
        moreTickers: () => digests.watchedTickers(),
        onSummary: (s) => order.push(`prewarm ${s.tickers.join(',')}`),
        afterPrewarm: async (session) => void (await digests.digestSession(session)),
      },
      { schedule: true },
    );
    for (const at of [
      '2026-11-25T21:20:00Z',
      '2026-11-26T18:20:00Z',
      '2026-11-26T21:20:00Z',
      '2026-11-27T18:20:00Z',
      '2026-11-30T21:20:00Z',
    ])
      await around(at);
    await prewarm.close();
    expect(order).toEqual([
      'prewarm NVDA',
      'digest 2026-11-25 at 2026-11-25T21:20',
      'prewarm NVDA',
      'digest 2026-11-27 at 2026-11-27T18:20',
      'prewarm NVDA',
      'digest 2026-11-30 at 2026-11-30T21:20',
    ]);
    expect(posted.map((d) => d.since)).toEqual([undefined, '2026-11-25', '2026-11-27']);
    // Asked directly for the holiday, the service declines as well.
    const holiday = await digests.digestSession('2026-11-26');
    expect(holiday.skipped).toEqual([{ channel: 'C0DESK', reason: 'holiday' }]);
    expect(posted).toHaveLength(3);
    await digests.close();
    await store.close();
  });
});
