/**
 * The thread store on a SQLite file: a record written by one process's store is read by the next (a restart), the
 * latest run per ticker is kept, and a damaged file is moved aside for a fresh one instead of failing every question.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openThreadStore } from '../../src/conversation/thread-store.js';
import type { ThreadRecord } from '../../src/conversation/types.js';
import { logger } from '../../src/log.js';

const dirs: string[] = [];
function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-threads-'));
  dirs.push(dir);
  return path.join(dir, 'state', 'threads.sqlite');
}

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const record: ThreadRecord = {
  version: 1,
  key: { channel: 'C0TEST', threadTs: '1700000000.000100' },
  runId: 'run-1',
  ticker: 'NVDA',
  requester: 'U0ALICE',
  startedAt: '2026-12-07T20:00:00.000Z',
  status: 'finished',
  findings: [],
  sections: [{ id: 'summary', title: 'Executive summary', markdown: 'Summary.' }],
  exchanges: [],
};

describe('openThreadStore (SQLite)', () => {
  it('keeps records and the latest run per ticker across a reopen', async () => {
    const file = tempFile();
    const first = await openThreadStore({ sqlitePath: file }, { logger });
    await first.set(record);
    await first.setLatestRun('nvda', { runId: 'run-1', startedAt: record.startedAt, figures: [] });
    await first.close();
    const second = await openThreadStore({ sqlitePath: file }, { logger });
    expect(await second.get(record.key)).toEqual(record);
    expect((await second.latestRun('NVDA'))?.runId).toBe('run-1');
    expect(await second.get({ channel: 'C0TEST', threadTs: '1.1' })).toBeUndefined();
    await second.close();
  });

  it('moves a damaged file aside and starts a fresh one', async () => {
    const file = tempFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'this is not a SQLite database, just text long enough to look like a header'.repeat(20));
    const store = await openThreadStore({ sqlitePath: file }, { logger });
    await store.set(record);
    expect(await store.get(record.key)).toEqual(record);
    await store.close();
    expect(fs.readdirSync(path.dirname(file)).some((f) => f.startsWith('threads.sqlite.damaged-'))).toBe(true);
  });

  it('answers "no record" when the file cannot be opened, without throwing', async () => {
    const file = tempFile();
    fs.mkdirSync(path.dirname(path.dirname(file)), { recursive: true });
    fs.writeFileSync(path.dirname(file), 'a file where the folder should be');
    const store = await openThreadStore({ sqlitePath: file }, { logger });
    await store.set(record);
    expect(await store.get(record.key)).toBeUndefined();
    await store.close();
  });
});
