/**
 * The bench's flows on the real MCP server and pipeline, checked for what they count (never for speed): the naive
 * flow makes 12 calls with 4 repeats and writes a whole report; a cold tickerdesk run makes each of its 8 calls
 * once; a warm one makes none; a burst of concurrent runs calls each distinct (tool, arguments) pair once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureCold, measureConcurrent, measureNaive, measureWarm } from '../../bench/flows.js';
import { createHarness, type Harness } from '../../bench/harness.js';

describe('bench flows', { timeout: 60_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('naive: the analysts call 12 tools one at a time, 4 of them again, with no cache', async () => {
    const naive = await measureNaive(h, 'NVDA', 1);
    expect(naive).toMatchObject({ tool_calls: 12, duplicate_calls: 4, cache_hit_rate: 0 });
    expect(naive.first_output_ms).toBeCloseTo(naive.total_ms, 0); // nothing is shown before the whole report
  });

  it('tickerdesk cold: 8 calls, no repeats; warm: no calls, every request a hit', async () => {
    const cold = await measureCold(h, 'NVDA', 1);
    expect(cold.flow).toMatchObject({ tool_calls: 8, duplicate_calls: 0, cache_hit_rate: 0 });
    const warm = await measureWarm(h, 'NVDA', 1);
    expect(warm.flow).toMatchObject({ tool_calls: 0, duplicate_calls: 0, cache_hit_rate: 1 });
  });

  it('a burst of 10 cold runs over 5 tickers calls each distinct pair once', async () => {
    const burst = await measureConcurrent(h, 10, ['NVDA', 'AAPL', 'MSFT', 'AMD', 'TSLA']);
    expect(burst.runs).toBe(10);
    expect(burst.distinct_calls).toBe(40);
    expect(burst.tool_calls).toBe(burst.distinct_calls);
    expect(burst.peak_rss_mb).toBeGreaterThan(0);
  });
});
