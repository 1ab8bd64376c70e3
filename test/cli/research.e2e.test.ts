/**
 * End to end: the real CLI process on the bundled data, through the real MCP server and the SQLite cache.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMetricsStore } from '../../src/metrics/store.js';
import { SECTIONS } from '../../src/research/types.js';
import { runCliProcess } from './helpers.js';

let home: string;
const env = () => ({ TICKERDESK_HOME: home });

beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-cli-e2e-'));
});
afterAll(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

describe('npm run research -- NVDA', () => {
  it('prints the six sections in order with real figures, then a footer; exit 0', async () => {
    const run = await runCliProcess(['research', 'NVDA'], env());
    expect(run.code, run.stderr).toBe(0);
    const positions = SECTIONS.map((s) => run.stdout.indexOf(`\n## ${s.title}\n`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // NVIDIA's fiscal 2024 revenue, from SEC companyfacts: 60,922 M USD.
    expect(run.stdout).toMatch(/60,922|\$60\.92B/);
    expect(run.stdout).toContain('FY2024');
    expect(run.stdout).toMatch(/Verdict: (Buy|Hold|Sell)/);
    expect(run.stdout).toMatch(/Finished in .+; first section after .+\./);
    expect(run.stdout).toMatch(/\d+ tools: 0 cached, \d+ called\./);
    expect(run.stdout).not.toContain('Served from cache');
    // Progress went to stderr, one plain line per event (not a terminal here), the first before the pipeline loads.
    expect(run.stderr.split('\n')[0]).toBe('NVDA: starting…');
    expect(run.stderr).toMatch(/NVDA: run \S+ started, \d+ tool calls, no ETA yet/);
    expect(run.stderr).toMatch(/tool \d+\/\d+ get_company_financials: miss/);
    // No Node warning between the progress lines (it was MaxListenersExceededWarning on the run's signal).
    expect(run.stderr).not.toContain('Warning');
  });

  it('serves a second run from the cache, says so, and shows an ETA', async () => {
    const run = await runCliProcess(['research', '$nvda'], env());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/(\d+) tools: \1 cached, 0 called\. Served from cache\./);
    expect(run.stderr).toMatch(/ETA \S+ \S+ \((warm|cold), from 1 past run\)/);
    expect(run.stderr).not.toContain('Warning');
  });

  it('--json prints the result as JSON, the bundle summarised', async () => {
    const run = await runCliProcess(['research', 'NVDA', '--json'], env());
    expect(run.code, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({ ticker: 'NVDA', outcome: expect.stringMatching(/ok|degraded/) });
    expect(json.sections).toHaveLength(6);
    expect(json.bundle.financialsAnnual).toMatchObject({ status: 'ok', cache: 'hit' });
    expect(json.bundle.financialsAnnual.data).toBeUndefined();
  });

  it('a ticker no source has data for (SAMSUNG: statements and prices in KRW) exits 2 with the reason, no report', async () => {
    const own = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-cli-e2e-nodata-ticker-'));
    try {
      const run = await runCliProcess(['research', 'SAMSUNG'], { TICKERDESK_HOME: own });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(
        'error: No data for SAMSUNG: statements are reported in KRW, not USD; prices are quoted in KRW, not USD.',
      );
      expect(run.stderr).toContain('Usage: npm run research -- TICKER');
      expect(run.stdout).toBe('');
    } finally {
      fs.rmSync(own, { recursive: true, force: true });
    }
  });

  it('an unknown ticker exits 2 with a clear message and the usage line', async () => {
    const run = await runCliProcess(['research', 'ZZZZZ'], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: Unknown ticker "ZZZZZ"');
    expect(run.stderr).toContain('Usage: npm run research -- TICKER');
    expect(run.stdout).toBe('');
    // The data server's ticker directory does not list it: only the profile call was sent, not all eight.
    expect(run.stderr).toContain('get_company_profile');
    expect(run.stderr).not.toContain('get_company_news');
  });

  it('a warm run of a ticker with gaps (BRK-B: no consensus, no 8-Ks) is served wholly from the cache', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-cli-e2e-gaps-'));
    try {
      const cold = await runCliProcess(['research', 'brk-b'], { TICKERDESK_HOME: other });
      expect(cold.code, cold.stderr).toBe(0);
      expect(cold.stdout).toMatch(/8 tools: 0 cached, 8 called\./);
      const warm = await runCliProcess(['research', 'BRK.B'], { TICKERDESK_HOME: other });
      expect(warm.code, warm.stderr).toBe(0);
      expect(warm.stdout).toContain('No analyst consensus is available for BRK.B');
      expect(warm.stdout).toMatch(/8 tools: 8 cached, 0 called\. Served from cache\.\n/);
      expect(warm.stderr).toMatch(/get_analyst_ratings: no data, hit \(No analyst consensus/);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('a missing data set fails the run (exit 1) with one plain message, not a report on nothing', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-no-data-'));
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-cli-e2e-nodata-'));
    try {
      const run = await runCliProcess(['research', 'NVDA'], { TICKERDESK_HOME: other, DATA_DIR: empty });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(/error: No data could be fetched for NVDA: all \d+ data tool calls failed/);
      expect(run.stderr).toContain('npm run data:build');
      expect(run.stdout).not.toContain('## Verdict');
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('recorded every run, and perf reports them', async () => {
    const store = await openMetricsStore(path.join(home, 'metrics.sqlite'));
    try {
      const records = await store.recent(10);
      expect(records.map((r) => r.outcome)).toEqual([
        'rejected',
        expect.stringMatching(/ok|degraded/),
        expect.anything(),
        expect.anything(),
      ]);
      expect(records.filter((r) => r.cacheKind === 'warm')).toHaveLength(2);
    } finally {
      await store.close();
    }
    const perf = await runCliProcess(['perf'], env());
    expect(perf.code).toBe(0);
    expect(perf.stdout).toMatch(/tickerdesk performance: 4 runs/);
    expect(perf.stdout).toMatch(/get_company_financials\s+\d+/);
  });
});
