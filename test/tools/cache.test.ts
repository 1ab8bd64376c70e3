import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Keyv from 'keyv';
import sqlite3 from 'sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CacheEntry, createSqliteCache, KeyvToolCache, type ToolCache } from '../../src/tools/cache.js';
import { describeToolCacheContract } from './cache-contract.js';
import { removeDir, tempDir } from './helpers.js';

const entry = (data: unknown): CacheEntry => ({ kind: 'data', data, fetchedAt: '2026-11-30T08:00:00.000Z' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function run(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
}

const contractDirs: string[] = [];
afterAll(() => {
  for (const d of contractDirs.splice(0)) removeDir(d);
});
describeToolCacheContract('SQLite file (keyv + @keyv/sqlite)', async () => {
  const d = tempDir();
  contractDirs.push(d);
  return createSqliteCache(path.join(d, 'sub', 'dir', 'cache.sqlite'));
});
describeToolCacheContract(
  'in-memory Keyv (the generic KeyvToolCache wrapper)',
  async () => new KeyvToolCache(() => new Keyv()),
);

describe('SQLite tool cache', () => {
  let dir: string;
  let file: string;
  const open: ToolCache[] = [];
  const openCache = async (opts: Parameters<typeof createSqliteCache>[1] = {}) => {
    const c = await createSqliteCache(file, { opTimeoutMs: 2000, ...opts });
    open.push(c);
    return c;
  };

  beforeEach(() => {
    dir = tempDir();
    file = path.join(dir, 'nested', 'cache.sqlite');
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
    removeDir(dir);
  });

  it('persists across instances on the same file', async () => {
    const a = await openCache();
    await a.set('k', entry([1, 2, 3]), 60_000);
    await a.close();
    const b = await openCache();
    expect(await b.get('k')).toEqual(entry([1, 2, 3]));
  });

  it('a file that is not a database: counted once, moved aside, and a fresh cache works at once', async () => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'this is not a database '.repeat(200));
    const cache = await openCache();
    expect(cache.errors).toBeGreaterThan(0);
    const errors = cache.errors;
    // No cool-down after the fresh start: the very next write and read use it (the next run is warm).
    await cache.set('k', entry(1), 60_000);
    expect(await cache.get('k')).toEqual(entry(1));
    expect(cache.errors).toBe(errors);
    const aside = readdirSync(path.dirname(file)).filter((f) => f.startsWith('cache.sqlite.damaged-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(path.dirname(file), aside[0] ?? '')).toString()).toContain('this is not a database');
    await cache.close();
    open.splice(open.indexOf(cache), 1);
    const again = await openCache();
    expect(again.errors).toBe(0);
    expect(await again.get('k')).toEqual(entry(1));
  });

  it('counts the failed write when its file or folder is deleted mid-run, then reopens a fresh file', async () => {
    const cache = await openCache({ cooldownMs: 0 });
    await cache.set('a', entry(1), 60_000);
    rmSync(file);
    await cache.set('b', entry(2), 60_000);
    expect(cache.errors).toBe(1);
    await cache.set('c', entry(3), 60_000);
    expect(await cache.get('c')).toEqual(entry(3));
    expect(existsSync(file)).toBe(true);

    removeDir(path.dirname(file));
    await cache.set('d', entry(4), 60_000);
    expect(cache.errors).toBe(2);
    await cache.set('e', entry(5), 60_000);
    expect(await cache.get('e')).toEqual(entry(5));
    expect(existsSync(file)).toBe(true);
  });

  it('answers a read that is late only because the process was starved (the event loop held past the op timeout)', async () => {
    // Regression: on a loaded machine the live bench's warm rerun got 80 hits of 400 (2485 cache operations past
    // CACHE_OP_TIMEOUT_MS): each late read was a miss and called the tool again. A lock is SQLite's busy timeout's
    // business; the bound on the operation itself is SQLITE_HANG_FACTOR op timeouts.
    const cache = await openCache({ opTimeoutMs: 50 });
    const big = entry({ rows: Array.from({ length: 200 }, (_, i) => ({ i, text: `row ${i} of a compressed entry` })) });
    await cache.set('k', big, 60_000);
    const reads = [cache.get('k'), cache.get('k')];
    // The thread sleeps past the op timeout before the reads are even sent (as a starved process does).
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150);
    expect(await Promise.all(reads)).toEqual([big, big]);
    expect(cache.errors).toBe(0);
  });

  it('degrades while another connection holds an EXCLUSIVE lock, then recovers', async () => {
    const cache = await openCache({ opTimeoutMs: 300, cooldownMs: 200, busyTimeout: 1000 });
    await cache.set('k', entry('before'), 60_000);
    const other = new sqlite3.Database(file);
    await run(other, 'BEGIN EXCLUSIVE');
    try {
      expect(await cache.get('k')).toBeUndefined();
      await cache.set('k2', entry('during'), 60_000);
      expect(cache.errors).toBeGreaterThanOrEqual(1);
    } finally {
      await run(other, 'ROLLBACK');
      await new Promise<void>((r) => other.close(() => r()));
    }
    await sleep(1200);
    expect(await cache.get('k')).toEqual(entry('before'));
  });
});
