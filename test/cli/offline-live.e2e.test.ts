/**
 * `npm run research` with live data on (DATA_SOURCE=auto) and every live host unreachable: the run works from the
 * bundled data set, its first lines say live data could not be reached and which snapshot is used, and stderr says
 * how to turn live SEC data on. Run again after the fallback prices' 5 minutes, it serves them stale and exits without
 * starting the data server (regression: it started it after "Finished", to refresh them from the same unreachable
 * hosts, and the exit waited 1.8–3.4 s for that).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createRuntime } from '../../src/runtime.js';
import { refusedUrl } from '../helpers/live-env.js';
import { runCliProcess } from './helpers.js';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-cli-offline-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

describe('research with every live host unreachable', () => {
  it('reports from the bundle and says so in its first lines', async () => {
    const nobody = await refusedUrl();
    const run = await runCliProcess(['research', 'NVDA'], {
      TICKERDESK_HOME: home,
      DATA_SOURCE: 'auto',
      YAHOO_CHART_URL: nobody,
      STOOQ_URL: nobody,
      SEC_DATA_URL: nobody,
      SEC_WWW_URL: nobody,
    });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('# Nvidia (NVDA): research report');
    expect(lines[2]).toBe(
      '> **Live data could not be reached; this report uses the bundled snapshot (data to 2026-08-22).**',
    );
    expect(run.stdout).toContain(
      '- Prices: bundled snapshot, last close 2026-08-21 — Yahoo Finance and Stooq could not be reached',
    );
    expect(run.stdout).toContain('## Verdict');
    expect(run.stderr).toMatch(/^warning: Live SEC EDGAR data is off: set SEC_USER_AGENT/m);
  });

  it('run again once the fallback prices are stale, serves them and starts no data server to refresh them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-cli-offline-stale-'));
    try {
      const nobody = await refusedUrl();
      const env = { TICKERDESK_HOME: dir, DATA_SOURCE: 'auto', YAHOO_CHART_URL: nobody, STOOQ_URL: nobody };
      // The first run, 6 minutes ago by the gateway's clock: its fallback prices are stale now.
      const before = Date.now() - 6 * 60_000;
      const first = await createRuntime(loadConfig({ ...env, LOG_LEVEL: 'silent' }), {
        gatewayOptions: { now: () => before },
      });
      try {
        await first.research.start('NVDA').result;
      } finally {
        await first.close();
      }

      const run = await runCliProcess(['research', 'NVDA'], { ...env, LOG_LEVEL: 'debug' });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/- Prices: bundled snapshot, .* could not be reached; served stale \(fetched/);
      expect(run.stdout).toContain('8 tools: 8 cached, 0 called.');
      expect(run.stderr.match(/stale answer not refreshed: its live hosts are still unreachable/g)).toHaveLength(2);
      expect(run.stderr).not.toContain('MCP server connected');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
