/**
 * The live flow's critical path (bench/live-path.ts), on request logs written out by hand: no timing is measured.
 */
import { describe, expect, it } from 'vitest';
import { liveCriticalPath, type ServedRequest } from '../../bench/live-path.js';

const req = (path: string, at: number, ms: number): ServedRequest => ({ path, at, doneAt: at + ms });

describe('liveCriticalPath', () => {
  it('takes the longest chain: ticker map → submissions → Form 4s (10 at once at best), map → facts, prices', () => {
    const sec = [
      req('/files/company_tickers_exchange.json', 0, 200),
      req('/submissions/CIK0001045810.json', 200, 300),
      req('/api/xbrl/companyfacts/CIK0001045810.json', 200, 400),
      ...[0, 1].map((i) => req(`/Archives/edgar/data/1045810/00012345678901234${i}/f.xml`, 500 + i * 100, 250)),
    ];
    const prices = [req('/v8/finance/chart/NVDA', 0, 450)];
    // map 200 + submissions 300 + the slowest Form 4 250 (both may start at once) = 750; facts chain 600; prices 450;
    // SEC floor ⌊(5 − 1) ÷ 10⌋ s + 250 = 250.
    expect(liveCriticalPath(sec, prices, 40)).toEqual({ upstreamMs: 750, totalMs: 790, limitedBy: 'sec-chain' });
  });

  it('is held by SEC’s 10 a second when a report needs many SEC requests, and adds Stooq after Yahoo', () => {
    const submissions = Array.from({ length: 30 }, (_, i) =>
      req(`/submissions/CIK${String(i).padStart(10, '0')}.json`, i * 100, 150),
    );
    const sec = [req('/files/company_tickers_exchange.json', 0, 150), ...submissions];
    // 31 requests (30 companies): the 31st starts ⌊30 ÷ 10⌋ = 3 s after the first, + its 150 ms = 3150 ms, more than
    // any chain (300 ms).
    expect(liveCriticalPath(sec, [], 0)).toMatchObject({ upstreamMs: 3150, limitedBy: 'sec-rate' });
    const prices = [req('/v8/finance/chart/MSFT', 0, 300), req('/q/d/l/?s=msft.us&i=d', 300, 400)];
    expect(liveCriticalPath([], prices, 0)).toMatchObject({ upstreamMs: 700, limitedBy: 'prices' });
  });

  it('lets up to 10 SEC requests start at once, as SEC allows, and an 11th Form 4 wait a second', () => {
    const sec = [
      req('/files/company_tickers_exchange.json', 0, 100),
      req('/submissions/CIK0001045810.json', 100, 100),
      ...Array.from({ length: 11 }, (_, i) => req(`/Archives/edgar/data/1045810/0001/${i}.xml`, 200, 200)),
    ];
    // map 100 + submissions 100 + (the 11th Form 4 waits ⌊10 ÷ 10⌋ = 1 s) + the slowest 200 = 1400.
    expect(liveCriticalPath(sec, [], 0)).toMatchObject({ upstreamMs: 1400, limitedBy: 'sec-chain' });
    // Eight Form 4s: with the map and submissions, 10 SEC requests, all within SEC's second: no wait.
    expect(liveCriticalPath(sec.slice(0, 10), [], 0)).toMatchObject({ upstreamMs: 400, limitedBy: 'sec-chain' });
  });
});
