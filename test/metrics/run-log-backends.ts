/**
 * The run log's contract tests run on every backend, as keyv runs one suite on every adapter: SQLite (a file in a
 * temporary folder) and Redis (a real redis-server: `TEST_REDIS_URL`, or a private one; skipped, with the reason,
 * where neither is possible). Each test gets storage of its own (a fresh folder, a fresh key prefix), removed after it.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { openPrewarmLog, type PrewarmLog } from '../../src/metrics/prewarm-log.js';
import { openRedisPrewarmLog } from '../../src/metrics/redis-prewarm-log.js';
import { openRedisMetricsStore } from '../../src/metrics/redis-store.js';
import { type MetricsStore, type MetricsStoreOptions, openMetricsStore } from '../../src/metrics/store.js';
import { createRedisClient } from '../../src/tools/redis-client.js';
import { redisSkipReason, startTestRedis, type TestRedis } from '../helpers/redis-server.js';

/** One test's run-log storage. */
export interface RunLogStorage {
  /** `SQLite` or `Redis`. */
  readonly backend: string;
  /** Open a run log on this test's storage (every call in one test opens the same one; closed after the test). */
  open(options?: MetricsStoreOptions): Promise<MetricsStore>;
  /** Open the prewarm's records beside that run log (closed after the test). */
  openPrewarmLog(): Promise<PrewarmLog>;
}

/**
 * Bounds for a machine under load (the full suite runs many files at once): these tests check what is stored and
 * read, not how fast, so a slow first connection must not fail them.
 */
export const LOADED = { timeoutMs: 10_000, connectTimeoutMs: 10_000 } as const;

/** The Redis test server of the Redis suite running now. */
let redis: TestRedis | undefined;

/** Remove every key under `prefix` on the server at `url`. */
export async function removeKeys(url: string, prefix: string): Promise<void> {
  const client = createRedisClient(url);
  await client.connect();
  try {
    const found: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) found.push(...batch);
    if (found.length > 0) await client.del(found);
  } finally {
    await client.close();
  }
}

function useSqlite(): RunLogStorage {
  let dir = '';
  const opened: { close(): Promise<void> }[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-run-log-contract-'));
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    backend: 'SQLite',
    async open(options = {}) {
      const store = await openMetricsStore(path.join(dir, 'nested', 'metrics.sqlite'), options);
      opened.push(store);
      return store;
    },
    async openPrewarmLog() {
      const log = await openPrewarmLog(path.join(dir, 'nested', 'metrics.sqlite'));
      opened.push(log);
      return log;
    },
  };
}

/** A key prefix of this test run's own: another process may use the same Redis. */
export const testPrefix = (): string => `tickerdesk-test:runlog-${process.pid}-${randomUUID().slice(0, 8)}:`;

function useRedis(): RunLogStorage {
  let prefix = '';
  const opened: { close(): Promise<void> }[] = [];
  beforeAll(async () => {
    redis ??= await startTestRedis();
  });
  afterAll(async () => {
    await redis?.stop();
    redis = undefined;
  });
  beforeEach(() => {
    prefix = testPrefix();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    if (redis) await removeKeys(redis.url, prefix);
  });
  return {
    backend: 'Redis',
    async open(options = {}) {
      if (!redis) throw new Error('no test Redis');
      const store = await openRedisMetricsStore(redis.url, { ...LOADED, ...options, prefix });
      opened.push(store);
      return store;
    },
    async openPrewarmLog() {
      if (!redis) throw new Error('no test Redis');
      const log = await openRedisPrewarmLog(redis.url, { connectTimeoutMs: LOADED.connectTimeoutMs, prefix });
      opened.push(log);
      return log;
    },
  };
}

/**
 * Declare the suite `name` once per backend (`<name> (SQLite)`, `<name> (Redis)`); `body` gets the storage of the
 * running test. The Redis one is skipped, with the reason, where no Redis can be had.
 */
export function runLogContract(name: string, body: (storage: RunLogStorage) => void): void {
  describe(`${name} (SQLite)`, () => body(useSqlite()));
  const skip = redisSkipReason();
  describe.skipIf(skip !== undefined)(`${name} (Redis)${skip ? ` — ${skip}` : ''}`, () => body(useRedis()));
}
