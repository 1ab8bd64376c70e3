/**
 * End to end: the CLI with storage that fails (issue 10 items 1, 6, 7; issue 18). The report needs no disk: whatever
 * the tool cache or the run log does, the run prints its full report, exits 0 and says each problem once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMetricsStore } from '../../src/metrics/store.js';
import { SECTIONS } from '../../src/research/types.js';
import { runCliProcess } from './helpers.js';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-cli-storage-'));
});
afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

/** The `warning:` lines a run printed. */
const warningsOf = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('warning:'));

/** The report is whole: every section title and the footer. */
function expectFullReport(stdout: string): void {
  for (const s of SECTIONS) expect(stdout).toContain(s.title);
  expect(stdout).toMatch(/8 tools: /);
}

describe('a tool cache that cannot be opened (CACHE_PATH under a file)', () => {
  it('runs uncached: full report, exit 0, one warning, no unhandled rejection, and the run record is finished', async () => {
    const notAFolder = path.join(home, 'README.md');
    fs.writeFileSync(notAFolder, '# a file, not a folder\n');
    const run = await runCliProcess(['research', 'NVDA'], {
      TICKERDESK_HOME: home,
      CACHE_PATH: path.join(notAFolder, 'cache.sqlite'),
    });
    expect(run.code, run.stderr).toBe(0);
    expectFullReport(run.stdout);
    expect(run.stdout).toMatch(/8 tools: 0 cached, 8 called\./);
    expect(run.stderr).not.toMatch(/Unhandled|triggerUncaughtException|node:internal/);
    expect(warningsOf(run.stderr)).toEqual([
      expect.stringMatching(/^warning: The tool cache .*README\.md\/cache\.sqlite cannot be opened \(SQLITE_CANTOPEN/),
    ]);
    const store = await openMetricsStore(path.join(home, 'metrics.sqlite'));
    try {
      const [record] = await store.recent(1);
      expect(record?.outcome).toBe('ok');
      expect(record?.finishedAt).toBeDefined();
    } finally {
      await store.close();
    }
  });
});
