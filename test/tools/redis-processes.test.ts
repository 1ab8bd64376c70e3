/**
 * Two real tickerdesk processes, one Redis: both research NVDA at the same moment on the real pipeline and the real
 * MCP data server (300 ms injected per tool call so the runs overlap), and each of the run's tool calls is made
 * once overall — the cache and the lock are shared across processes.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.js';
import { redisSkipReason, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { removeDir, tempDir } from './helpers.js';

const skip = redisSkipReason();
if (skip) console.warn(skip);

interface WorkerReport {
  outcome: string;
  sections: number;
  tools: { total: number; hits: number; misses: number; coalesced: number; errors: number };
  sent: string[];
  locks: { acquired: number; waited: number; joined: number; timeouts: number; errors: number };
  cacheErrors: number;
}

/** Spawn a worker: `ready` resolves once its MCP server is up, `go()` starts its run, `report` is its result. */
function startWorker(env: Record<string, string>): {
  ready: Promise<void>;
  go: () => void;
  report: Promise<WorkerReport>;
} {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'test', 'helpers', 'redis-research-worker.ts')],
    { cwd: REPO_ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  const report = new Promise<WorkerReport>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (out.startsWith('ready\n')) onReady();
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`worker exited ${code}: ${err.slice(-2000)}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as WorkerReport);
      } catch {
        reject(new Error(`worker printed no report: ${out.slice(-500)} ${err.slice(-1000)}`));
      }
    });
  });
  report.catch(() => onReady()); // a worker that dies before `ready` must not leave the test waiting
  return { ready, go: () => child.stdin.end('go\n'), report };
}

describe.skipIf(skip !== undefined)('two tickerdesk processes sharing Redis', () => {
  let redis: TestRedis;
  const homes: string[] = [];

  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis?.stop();
    for (const h of homes) removeDir(h);
  });

  it('research the same ticker at the same moment and make each tool call once overall', {
    timeout: 90_000,
  }, async () => {
    const ns = `test:${randomUUID()}`;
    const env = (home: string) => ({
      CACHE_URL: redis.url,
      TEST_NAMESPACE: ns,
      TICKER: 'NVDA',
      TICKERDESK_HOME: home,
      MCP_TOOL_LATENCY_MS: '300',
    });
    const [homeA, homeB] = [tempDir(), tempDir()];
    homes.push(homeA, homeB);
    const workers = [startWorker(env(homeA)), startWorker(env(homeB))];
    // Both processes spawn their MCP server first; then both runs start at the same moment.
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.go();
    const [a, b] = (await Promise.all(workers.map((w) => w.report))) as [WorkerReport, WorkerReport];

    for (const r of [a, b]) {
      expect(['ok', 'degraded']).toContain(r.outcome);
      expect(r.sections).toBe(6);
      expect(r.cacheErrors).toBe(0);
      expect(r.tools.errors).toBe(0);
    }
    const sent = [...a.sent, ...b.sent];
    expect(sent).toHaveLength(a.tools.total); // 8 planned calls, made once between the two processes
    expect(new Set(sent).size).toBe(sent.length);
    // What one process did not call, it got from the other through Redis.
    expect(a.tools.hits + b.tools.hits).toBe(a.tools.total);
    // The runs overlapped: at least one call waited on the other process's lock rather than finding a cached answer.
    expect(a.locks.waited + b.locks.waited).toBeGreaterThan(0);
    expect(a.locks.timeouts + b.locks.timeouts).toBe(0);
  });
});
