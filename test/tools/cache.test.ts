import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CacheEntry, createSqliteCache, type ToolCache } from '../../src/tools/cache.js';
import { removeDir, tempDir } from './helpers.js';

const entry = (data: unknown): CacheEntry => ({ kind: 'data', data, fetchedAt: '2026-11-30T08:00:00.000Z' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function run(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
}

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

  it('round-trips data and negative entries, creating its folder', async () => {
    const cache = await openCache();
    expect(await cache.get('k')).toBeUndefined();
    await cache.set('k', entry({ revenue: 60_922_000_000, period: 'FY2024' }), 60_000);
    await cache.set('u', { kind: 'unavailable', message: 'No analyst coverage.', fetchedAt: 'x' }, 60_000);
    expect(await cache.get('k')).toEqual(entry({ revenue: 60_922_000_000, period: 'FY2024' }));
    expect(await cache.get('u')).toEqual({ kind: 'unavailable', message: 'No analyst coverage.', fetchedAt: 'x' });
    expect(cache.errors).toBe(0);
  });

  it('persists across instances on the same file', async () => {
    const a = await openCache();
    await a.set('k', entry([1, 2, 3]), 60_000);
    await a.close();
    const b = await openCache();
    expect(await b.get('k')).toEqual(entry([1, 2, 3]));
  });

  it('expires entries after their TTL', async () => {
    const cache = await openCache();
    await cache.set('short', entry('s'), 50);
    await cache.set('long', entry('l'), 60_000);
    await sleep(120);
    expect(await cache.get('short')).toBeUndefined();
    expect(await cache.get('long')).toEqual(entry('l'));
  });

  it('degrades on a corrupt file: misses, no throws, errors counted', async () => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'this is not a database '.repeat(200));
    const cache = await openCache({ cooldownMs: 0 });
    expect(cache.errors).toBeGreaterThan(0);
    await cache.set('k', entry(1), 60_000);
    expect(await cache.get('k')).toBeUndefined();
    expect(cache.errors).toBeGreaterThanOrEqual(2);
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

  it('treats an unreadable entry as a miss and counts it', async () => {
    const cache = await openCache();
    await cache.set('k', { nonsense: true } as unknown as CacheEntry, 60_000);
    expect(await cache.get('k')).toBeUndefined();
    expect(cache.errors).toBe(1);
  });

  it('close is idempotent and later calls miss without throwing', async () => {
    const cache = await openCache();
    await cache.close();
    await cache.close();
    expect(await cache.get('k')).toBeUndefined();
    await cache.set('k', entry(1), 1000);
  });
});
