/**
 * The run log when its file cannot be used (issue 10 item 6, issue 18 items 1 and 6): a damaged file is moved aside
 * and a fresh one started, a file that cannot be opened gives a run log in memory, each said once with the file;
 * opening a current file writes nothing (so another process's write lock does not stop it); old records are removed
 * at open (retention and abandoned runs: run-log-marks.test.ts, on every backend); close drains its writes within a bound that it logs when hit.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Degradations } from '../../src/degradations.js';
import { recordRun } from '../../src/metrics/recorder.js';
import { openRunLog } from '../../src/metrics/run-log.js';
import { type MetricsStore, openMetricsStore } from '../../src/metrics/store.js';
import { captureLogger } from '../helpers/log-capture.js';
import { FakeRun, fakeResult, okRecord } from './fake-run.js';

let dir: string;
let file: string;
const open: MetricsStore[] = [];
const others: sqlite3.Database[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-run-log-'));
  file = path.join(dir, 'metrics.sqlite');
});
afterEach(async () => {
  await Promise.all(others.splice(0).map((db) => new Promise<void>((r) => db.close(() => r()))));
  await Promise.all(open.splice(0).map((s) => s.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});
const keep = (s: MetricsStore) => {
  open.push(s);
  return s;
};

const record = okRecord;

/** Another connection (as another process would have) holding the write lock with an uncommitted insert. */
async function holdWriteLock(at: string): Promise<sqlite3.Database> {
  const db = new sqlite3.Database(at);
  others.push(db);
  await new Promise<void>((resolve, reject) =>
    db.exec(
      `BEGIN EXCLUSIVE; INSERT INTO runs (id, record) VALUES ('other', '{"ticker":"X","outcome":"running"}');`,
      (err) => (err ? reject(err) : resolve()),
    ),
  );
  return db;
}

describe('openRunLog', () => {
  it('moves a damaged file (random bytes) aside, starts a fresh one, and says so once', async () => {
    fs.writeFileSync(file, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)));
    const { logger, warnings } = captureLogger();
    const degradations = new Degradations();
    const store = keep(await openRunLog(file, { logger, degradations }));
    await store.insert(record('a'));
    expect((await store.get('a'))?.ticker).toBe('NVDA');
    const aside = fs.readdirSync(dir).filter((f) => f.startsWith('metrics.sqlite.damaged-'));
    expect(aside).toHaveLength(1);
    expect(warnings()).toEqual([
      `The run log ${file} was damaged or not a SQLite database; moved it to ${path.join(dir, aside[0] ?? '')} and started a fresh one.`,
    ]);
    expect(degradations.counts()).toEqual({ 'run log is damaged': 1 });
  });

  it.each([
    ['a folder', () => dir, () => `${dir} is a folder, not a file`],
    ['under a file', () => path.join(file, 'metrics.sqlite'), () => `${file} is a file, not a folder`],
  ])('a path that is %s: a run log in memory, warned once, naming the file and why', async (_what, at, why) => {
    fs.writeFileSync(file, 'a file');
    const { logger, warnings } = captureLogger();
    const store = keep(await openRunLog(at(), { logger, degradations: new Degradations() }));
    expect(store.path).toBe(at());
    await store.insert(record('a'));
    expect((await store.recent(5)).map((r) => r.id)).toEqual(['a']);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain(`The run log ${at()} cannot be opened (${why()})`);
    expect(warnings()[0]).toContain('kept in memory and lost when it ends');
  });
});

describe('another process writing the run log', () => {
  it('a current file opens without writing while another connection holds the write lock, and reads', async () => {
    const first = await openMetricsStore(file);
    await first.insert(record('mine'));
    await first.close();
    await holdWriteLock(file);
    // Before: every open ran `PRAGMA user_version = 1` (a write) and failed with SQLITE_BUSY after the busy timeout.
    const reader = keep(await openMetricsStore(file, { mode: 'existing', history: false }));
    expect((await reader.perfReport()).runs).toBe(1);
    const writer = keep(await openMetricsStore(file, { retentionDays: 90, abandonAfterMs: 3_600_000 }));
    expect((await writer.recent(5)).map((r) => r.id)).toEqual(['mine']);
  });

  it('a record whose first writes were refused is written whole at the end of the run', async () => {
    const store = keep(await openMetricsStore(file));
    let refusals = 1;
    const flaky: MetricsStore = {
      ...store,
      insert: (r) => (refusals-- > 0 ? Promise.reject(new Error('SQLITE_BUSY: database is locked')) : store.insert(r)),
    };
    const { logger, warnings } = captureLogger();
    const degradations = new Degradations();
    const run = new FakeRun();
    const done = recordRun(run, flaky, { via: 'test' }, { logger, degradations });
    run.emit('runStarted', {
      runId: run.runId,
      ticker: run.ticker,
      startedAt: new Date().toISOString(),
      toolsTotal: 3,
      eta: null,
    });
    run.emit('stageFinished', { stage: 'prefetch', ms: 1 });
    run.finish(fakeResult(run));
    await done;
    const saved = await store.get(run.runId);
    expect(saved?.outcome).toBe('ok');
    expect(saved?.stageMs.prefetch).toBeDefined();
    expect(saved?.degradations).toEqual({ 'run log is locked': 1 });
    expect(warnings()).toEqual([expect.stringContaining(`The run log ${file} is locked (SQLITE_BUSY`)]);
  });
});

describe('shutdown', () => {
  it('close waits for pending writes up to its bound, then says how many were lost', async () => {
    const first = await openMetricsStore(file);
    await first.close();
    const { logger, warnings } = captureLogger();
    const store = await openMetricsStore(file, { closeTimeoutMs: 50, logger });
    const lock = await holdWriteLock(file);
    const write = store.insert(record('late')).catch((err: unknown) => err);
    await store.close();
    expect(warnings()).toEqual([`1 run-log write(s) to ${file} did not finish within 50 ms; their records are lost.`]);
    await new Promise<void>((r) => lock.exec('ROLLBACK', () => r()));
    await write;
  });
});
