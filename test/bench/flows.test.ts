/**
 * The bench's flows on the real MCP server and pipeline, checked for what they count (never for speed): the naive
 * flow makes 12 calls with 4 repeats and writes a whole report; a cold tickerdesk run makes each of its 8 calls
 * once; a warm one makes none; a burst of concurrent runs calls each distinct (tool, arguments) pair once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureCold, measureConcurrent, measureWarm } from '../../bench/flows.js';
import { createHarness, type Harness } from '../../bench/harness.js';
import { benchWriter } from '../../bench/latency.js';
import { runNaive } from '../../bench/naive.js';

describe('bench flows', { timeout: 60_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('naive: the analysts call 12 tools one at a time, 4 of them again, with no cache; nothing shows before the end', async () => {
    h.naiveCounter.reset();
    const naive = await runNaive(h.naiveGateway, benchWriter(), 'NVDA');
    const counted = h.naiveCounter.read();
    expect({ calls: counted.calls, duplicates: counted.calls - counted.distinct }).toEqual({
      calls: 12,
      duplicates: 4,
    });
    expect(naive.reportChars).toBeGreaterThan(0);
    // By construction, not by timing: the first output and the first section are the end of the flow.
    expect(naive.firstOutputMs).toBe(naive.totalMs);
    expect(naive.firstSectionMs).toBe(naive.totalMs);
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
