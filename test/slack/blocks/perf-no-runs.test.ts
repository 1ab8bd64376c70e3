/**
 * `/perf` with no run to count still shows what the tool cache holds and what the prewarm did. Tried as a new user:
 * right after `/perf reset` (or on a desk prewarmed before its first report) the answer was only "No research runs
 * since the reset.", and `npm run perf` likewise left out the cache's entries, size and compression ratio.
 */
import { describe, expect, it } from 'vitest';
import { formatPerfReport } from '../../../src/metrics/format.js';
import { computePerfReport } from '../../../src/metrics/stats.js';
import type { PerfReport } from '../../../src/metrics/types.js';
import { perfMessage } from '../../../src/slack/blocks/perf.js';

function emptyReport(): PerfReport {
  const report = computePerfReport([]);
  report.reset = { at: '2026-12-08T00:25:00.000Z', by: 'U0BOSS' };
  report.cache = {
    backend: 'sqlite',
    location: '/srv/desk/.tickerdesk/cache.sqlite',
    compression: 'brotli',
    entries: 66,
    compressed: 54,
    storedBytes: 166_700,
    jsonBytes: 552_400,
    ratio: 3.31,
    diskBytes: 274_400,
    unreadable: 0,
  };
  report.prewarm = { prewarmed: 11, laterUsed: 3, lastAt: '2026-12-08T00:25:48.000Z' };
  return report;
}

describe('perf with no runs', () => {
  it('in Slack: no runs since the reset, then the cache and the prewarm', () => {
    const text = JSON.stringify(perfMessage(emptyReport()).blocks);
    expect(text).toContain('No research runs since the reset.');
    expect(text).toContain('Tool cache: 66 entries (54 compressed)');
    expect(text).toContain('3.31× compression');
    expect(text).toContain('Prewarm: prewarmed, later used: 3 of 11 (last 30 days)');
  });

  it('in the terminal: the same', () => {
    const text = formatPerfReport(emptyReport());
    expect(text).toContain('No runs since the reset.');
    expect(text).toMatch(
      /Tool cache \(SQLite \/srv\/desk\/\.tickerdesk\/cache\.sqlite, compression brotli\)\n {2}entries {13}66/,
    );
    expect(text).toMatch(/compression ratio {3}3\.31×/);
    expect(text).toMatch(/prewarmed, later used {3}3 of 11/);
  });
});
