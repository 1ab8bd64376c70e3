/**
 * `npm run research` with live data on (DATA_SOURCE=auto) and every live host unreachable: the run works from the
 * bundled data set, its first lines say live data could not be reached and which snapshot is used, and stderr says
 * how to turn live SEC data on.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
});
