/**
 * `tickerdesk prewarm` (`npm run prewarm`) as a person runs it (issue 15, part 1): the real CLI on the bundled data
 * refreshes the most requested ticker and the ones given, a line per ticker on a pipe (no terminal: no bar), then the
 * summary; the next report of a prewarmed ticker is served from the cache, and `perf` says "later used: 1 of 2".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWatchlistStore } from '../../src/watchlists/store.js';
import { captureLogger } from '../helpers/log-capture.js';
import { runCliProcess } from './helpers.js';

let home: string;
let watchHome: string;
beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-prewarm-cli-'));
  watchHome = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-prewarm-watch-'));
});
afterAll(() => {
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(watchHome, { recursive: true, force: true });
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

  it("refreshes the channels' watched tickers too, as the scheduled prewarm does, and says how many", async () => {
    const store = await openWatchlistStore(
      { sqlitePath: path.join(watchHome, 'watchlists.sqlite') },
      { logger: captureLogger().logger },
    );
    const list = (channel: string, tickers: string[]) =>
      store.update(channel, () => ({ channel, tickers, updatedAt: '2026-12-01T00:00:00Z', updatedBy: 'U0ANA' }));
    await list('C0DESK', ['KO', 'NVDA']);
    await list('C0TECH', ['NVDA']);
    await store.close();

    const env = { TICKERDESK_HOME: watchHome, PREWARM_CALLS_PER_SECOND: '50' };
    const prewarm = await runCliProcess(['prewarm', '--tickers', 'msft'], env);
    expect(prewarm.code, prewarm.stderr).toBe(0);
    expect(prewarm.stderr).toContain(
      'prewarm: MSFT refreshed (1/3)\nprewarm: KO refreshed (2/3)\nprewarm: NVDA refreshed (3/3)\n',
    );
    expect(prewarm.stdout).toMatch(/^Prewarm done: 3 of 3 tickers refreshed in [\d.]+ m?s\.\n/);
    expect(prewarm.stdout).toContain('\n  watchlists         2 of them watched in 2 channels\n');

    // With the digests off, the scheduled prewarm leaves the watched tickers out; so does this one.
    const off = await runCliProcess(['prewarm', '--tickers', 'msft'], { ...env, WATCHLIST_DIGEST: 'false' });
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).toMatch(/^Prewarm done: 1 of 1 tickers refreshed/);
    expect(off.stdout).not.toContain('watchlists');
  }, 120_000);
});
