/**
 * `tickerdesk prewarm` (`npm run prewarm`) as a person runs it (issue 15, part 1): the real CLI on the bundled data
 * refreshes the most requested ticker and the ones given, a line per ticker on a pipe (no terminal: no bar), then the
 * summary; the next report of a prewarmed ticker is served from the cache, and `perf` says "later used: 1 of 2".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from './helpers.js';

let home: string;
beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-prewarm-cli-'));
});
afterAll(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

describe('tickerdesk prewarm', () => {
  it('refreshes the most requested ticker and --tickers, prints a line each and a summary; perf counts the later use', async () => {
    const env = { TICKERDESK_HOME: home, PREWARM_CALLS_PER_SECOND: '50' };
    const first = await runCliProcess(['research', 'MSFT'], env);
    expect(first.code, first.stderr).toBe(0);
    // A fresh cache, so the prewarm has something to fetch for MSFT too.
    fs.rmSync(path.join(home, 'cache.sqlite'), { force: true });

    const prewarm = await runCliProcess(['prewarm', '--tickers', 'nvda'], env);
    expect(prewarm.code, prewarm.stderr).toBe(0);
    expect(prewarm.stderr).toContain('prewarm: MSFT refreshed (1/2)\nprewarm: NVDA refreshed (2/2)\n');
    expect(prewarm.stdout).toMatch(/^Prewarm done: 2 of 2 tickers refreshed in [\d.]+ m?s\.\n/);
    expect(prewarm.stdout).toMatch(/tool calls {9}16 \(16 sent to a data server, the rest still cached\)/);
    expect(prewarm.stdout).toMatch(/upstream requests {2}0\n {2}failures {11}0\n/);

    const next = await runCliProcess(['research', 'NVDA'], env);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toMatch(/8 tools: 8 cached, 0 called\./);

    const perf = await runCliProcess(['perf'], env);
    expect(perf.code, perf.stderr).toBe(0);
    expect(perf.stdout).toMatch(/Prewarm \(last 30 days\)\n {2}prewarmed, later used {3}1 of 2\n/);
    // Prewarm fetches are not runs.
    expect(perf.stdout).toMatch(/^tickerdesk performance: 2 runs/);
  }, 120_000);
});
