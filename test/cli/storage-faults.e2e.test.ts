/**
 * End to end: the CLI with storage that fails (issue 10 items 1, 6, 7; issue 18). The report needs no disk: whatever
 * the tool cache or the run log does, the run prints its full report, exits 0 and says each problem once.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMetricsStore } from '../../src/metrics/store.js';
import { SECTIONS } from '../../src/research/types.js';
import { freePort } from '../helpers/redis-server.js';
import { canMount, runCliProcess } from './helpers.js';

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
      `warning: The tool cache ${notAFolder}/cache.sqlite cannot be opened (${notAFolder} is a file, not a folder); calling tools directly for now: check that ${notAFolder}/cache.sqlite can be written (its folder exists, is a folder and is writable).`,
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

/** The most recent run record in the run log of `home`. */
async function lastRecord() {
  const store = await openMetricsStore(path.join(home, 'metrics.sqlite'));
  try {
    return (await store.recent(1))[0];
  } finally {
    await store.close();
  }
}

describe('a run log that cannot be used', () => {
  it('a damaged metrics.sqlite (4 KB of random bytes) is moved aside, a fresh one started, warned once', async () => {
    fs.writeFileSync(
      path.join(home, 'metrics.sqlite'),
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)),
    );
    const run = await runCliProcess(['research', 'NVDA'], { TICKERDESK_HOME: home });
    expect(run.code, run.stderr).toBe(0);
    expectFullReport(run.stdout);
    expect(warningsOf(run.stderr)).toEqual([
      expect.stringMatching(
        /^warning: The run log .*metrics\.sqlite was damaged or not a SQLite database; moved it to .*metrics\.sqlite\.damaged-\d+ and started a fresh one\.$/,
      ),
    ]);
    const record = await lastRecord();
    expect(record?.outcome).toBe('ok');
    expect(record?.degradations).toEqual({ 'run log is damaged': 1 });
    const perf = await runCliProcess(['perf'], { TICKERDESK_HOME: home });
    expect(perf.code, perf.stderr).toBe(0);
    expect(perf.stdout).toMatch(/Ran without\n {2}run log is damaged +1 time +in 1 run\n/);
  });

  it('METRICS_PATH naming a folder: the report still comes, and the warning says the records are lost', async () => {
    const run = await runCliProcess(['research', 'NVDA'], { TICKERDESK_HOME: home, METRICS_PATH: home });
    expect(run.code, run.stderr).toBe(0);
    expectFullReport(run.stdout);
    expect(warningsOf(run.stderr)).toEqual([
      `warning: The run log ${home} cannot be opened (${home} is a folder, not a file); the records of runs in this process are kept in memory and lost when it ends: check that ${home} can be written (its folder exists, is a folder and is writable).`,
    ]);
    const perf = await runCliProcess(['perf'], { TICKERDESK_HOME: home, METRICS_PATH: home });
    expect(perf.code).toBe(1);
    expect(perf.stderr).toBe(`error: could not read the run log ${home}: ${home} is a folder, not a file\n`);
  });

  it('another process holding the write lock: the report comes, one warning; perf reads meanwhile', async () => {
    const existing = await openMetricsStore(path.join(home, 'metrics.sqlite'));
    await existing.recordRejection({ input: 'NVDX', reason: 'Unknown ticker', via: 'test' });
    await existing.close();
    const other = new sqlite3.Database(path.join(home, 'metrics.sqlite'));
    try {
      await new Promise<void>((resolve, reject) =>
        other.exec(
          `BEGIN EXCLUSIVE; INSERT INTO runs (id, record) VALUES ('other', '{"ticker":"X","outcome":"running"}');`,
          (err) => (err ? reject(err) : resolve()),
        ),
      );
      const [run, perf] = await Promise.all([
        runCliProcess(['research', 'NVDA'], { TICKERDESK_HOME: home }),
        runCliProcess(['perf', '--json'], { TICKERDESK_HOME: home }),
      ]);
      expect(run.code, run.stderr).toBe(0);
      expectFullReport(run.stdout);
      // One warning about the lock; whether the record's last write then also outlives the bounded close (and is
      // said to be cut off) depends on how long SQLite's busy waits take on the machine, so that line may follow.
      const [locked, ...rest] = warningsOf(run.stderr);
      expect(locked).toMatch(
        /^warning: The run log .*metrics\.sqlite is locked \(SQLITE_BUSY: database is locked\); runs go on/,
      );
      for (const line of rest) expect(line).toMatch(/^warning: 1 run record\(s\) were still being written after/);
      expect(perf.code, perf.stderr).toBe(0);
      expect(JSON.parse(perf.stdout).byOutcome).toEqual({ rejected: 1 });
    } finally {
      await new Promise<void>((r) => other.exec('ROLLBACK', () => other.close(() => r())));
    }
  }, 60_000);
});

describe.skipIf(!canMount())('a full disk (a 64 KB tmpfs as TICKERDESK_HOME)', () => {
  it('prints the report and exits 0, saying once that the cache and the run log are full', async () => {
    const disk = path.join(home, 'disk');
    fs.mkdirSync(disk);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk]);
    try {
      const run = await runCliProcess(['research', 'NVDA'], { TICKERDESK_HOME: disk });
      expect(run.code, run.stderr).toBe(0);
      expectFullReport(run.stdout);
      const warnings = warningsOf(run.stderr);
      expect(warnings.filter((w) => w.includes('run log'))).toHaveLength(1);
      expect(warnings.every((w) => / is full \(SQLITE_FULL/.test(w))).toBe(true);
    } finally {
      execFileSync('umount', [disk]);
    }
  });
});

describe.skipIf(!canMount())('a read-only home holding a warm cache (a tmpfs remounted read-only)', () => {
  it('the run is served from the cache with one warning about the run log, and perf reads the old runs', async () => {
    const disk = path.join(home, 'disk');
    fs.mkdirSync(disk);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', disk]);
    try {
      const warm = await runCliProcess(['research', 'NVDA'], { TICKERDESK_HOME: disk });
      expect(warm.code, warm.stderr).toBe(0);
      execFileSync('mount', ['-o', 'remount,ro', disk]);
      const run = await runCliProcess(['research', 'NVDA'], { TICKERDESK_HOME: disk });
      expect(run.code, run.stderr).toBe(0);
      expectFullReport(run.stdout);
      expect(run.stdout).toMatch(/8 tools: 8 cached, 0 called\./);
      expect(warningsOf(run.stderr)).toEqual([
        expect.stringMatching(
          /^warning: The run log .*metrics\.sqlite cannot be opened \(SQLITE_CANTOPEN.*kept in memory/,
        ),
      ]);
      const perf = await runCliProcess(['perf', '--json'], { TICKERDESK_HOME: disk });
      expect(perf.code, perf.stderr).toBe(0);
      expect(JSON.parse(perf.stdout).byOutcome).toEqual({ ok: 1 });
    } finally {
      execFileSync('umount', [disk]);
    }
  }, 60_000);
});

describe('a Redis cache that is down (CACHE_URL)', () => {
  it('is warned once, counted in the run record, and shown by perf', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const run = await runCliProcess(['research', 'NVDA'], { TICKERDESK_HOME: home, CACHE_URL: url });
    expect(run.code, run.stderr).toBe(0);
    expectFullReport(run.stdout);
    // The run log is on Redis too with CACHE_URL: this process records its run in the file instead.
    expect(warningsOf(run.stderr)).toEqual([
      expect.stringMatching(
        /^warning: The run log on Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable \(.*\); this process records its runs in .*metrics\.sqlite instead, copied to Redis at a start that finds it: check that redis:\/\/127\.0\.0\.1:\d+ is running and reachable\.$/,
      ),
      expect.stringMatching(
        /^warning: The tool cache redis:\/\/127\.0\.0\.1:\d+\/? is unreachable \(connect ECONNREFUSED/,
      ),
    ]);
    const record = await lastRecord();
    expect(record?.degradations?.['tool cache is unreachable']).toBeGreaterThanOrEqual(1);
    const perf = await runCliProcess(['perf'], { TICKERDESK_HOME: home });
    expect(perf.stdout).toMatch(/Ran without\n {2}tool cache is unreachable +\d+ times? +in 1 run\n/);
  });
});
