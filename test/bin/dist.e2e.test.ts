/**
 * Compiled JavaScript, never stale (issue 13): in a copy of the repository (its own `src/` and `bin/`, the real
 * `node_modules` and `data/`), `buildDist` compiles `src/` to `dist/` and bundles the data server; the `tickerdesk`
 * command then runs the CLI from `dist/` and the gateway spawns the data server's bundle; the bundle's chunks load
 * on first use, from any working directory; once a source changes, neither uses `dist/`.
 */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist, distIsCurrent, SERVER_BUNDLE } from '../../bin/dist.mjs';
import type { InsiderTransactions, PriceHistoryResult } from '../../src/mcp-server/shapes.js';
import { ROOT, runProcess } from '../cli/helpers.js';
import { liveEnv } from '../helpers/live-env.js';
import { startPriceStandIn } from '../helpers/price-stand-in.js';
import { freePort, redisSkipReason, startTestRedis } from '../helpers/redis-server.js';
import { startSecStandIn } from '../helpers/sec-stand-in.js';
import { connectStdio, serverEnv } from '../helpers/stdio-server.js';

let root: string;
let home: string;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-dist-'));
  home = path.join(root, '.tickerdesk');
  for (const part of ['src', 'bin', 'package.json'])
    cpSync(path.join(ROOT, part), path.join(root, part), { recursive: true });
  for (const part of ['node_modules', 'data']) symlinkSync(path.join(ROOT, part), path.join(root, part));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** `tickerdesk research NVDA` in the copy, cold (a new home each time), with its loaded modules and debug log. */
async function research(name: string) {
  const list = path.join(root, `${name}-modules.txt`);
  const run = await runProcess(
    process.execPath,
    [
      '--import',
      path.join(ROOT, 'test', 'helpers', 'module-recorder.mjs'),
      path.join(root, 'bin', 'tickerdesk.mjs'),
    ].concat(['research', 'NVDA']),
    {
      TICKERDESK_HOME: path.join(home, name),
      MODULE_LIST_FILE: list,
      LOG_LEVEL: 'debug',
      CACHE_URL: '',
      ANTHROPIC_API_KEY: '',
      MCP_SERVERS: '',
    },
    { timeoutMs: 90_000, cwd: root },
  );
  const modules = readFileSync(list, 'utf8').split('\n').filter(Boolean);
  // The gateway logs how it started each MCP server.
  const spawned = run.stderr
    .split('\n')
    .filter((line) => line.includes('"MCP server connected"'))
    .map((line) => JSON.parse(line) as { args: string[] });
  return { run, modules, spawned };
}

describe('dist/', () => {
  it('is built from src/ and used while current: the CLI and the data server run compiled', async () => {
    expect(distIsCurrent(root)).toBe(false);
    const built = await buildDist({ root });
    expect(built.built).toBe(true);
    expect(built.files).toBeGreaterThan(100);
    expect(distIsCurrent(root)).toBe(true);
    expect((await buildDist({ root, ifStale: true })).built).toBe(false);

    const { run, modules, spawned } = await research('current');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Verdict: (Buy|Hold|Sell)/);
    expect(modules).toContain(`file://${root}/dist/cli.js`);
    expect(modules.filter((url) => url.endsWith('.ts'))).toEqual([]);
    expect(modules.filter((url) => url.includes('/node_modules/tsx/'))).toEqual([]);
    expect(spawned).toHaveLength(1);
    expect(spawned[0]?.args).toEqual([
      '--enable-source-maps',
      path.join(root, 'dist', 'mcp-server', 'bundle', 'main.mjs'),
    ]);
  }, 180_000);

  it("serves from the data server's bundle alone: its version, and the chunks it loads on first use", async () => {
    const [sec, prices] = await Promise.all([startSecStandIn(), startPriceStandIn()]);
    // The shared SEC limit on a real Redis when there is one, else on a port nobody listens on (it falls back): the
    // chunks of rate-limiter-flexible and the Redis client load either way.
    const redis = redisSkipReason() ? undefined : await startTestRedis({ fresh: true });
    // Started from / : the bundle finds package.json and data/ from its own place, not the working directory.
    const session = await connectStdio({
      command: process.execPath,
      args: [path.join(root, SERVER_BUNDLE)],
      cwd: '/',
      env: serverEnv({
        ...liveEnv(sec, prices, {
          CACHE_URL: redis?.url ?? `redis://127.0.0.1:${await freePort()}`,
          DATA_PROVIDERS_PRICES: 'stooq,bundled',
        }),
        LOG_LEVEL: 'warn',
      }),
    });
    try {
      const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
      expect(session.client.getServerVersion()?.version).toBe(pkg.version);
      const insiders = await session.call('get_insider_transactions', { ticker: 'NVDA' });
      expect(insiders.isError, JSON.stringify(insiders.content)).toBeFalsy();
      const insiderSource = (insiders.structuredContent as unknown as InsiderTransactions).provenance;
      expect(insiderSource, JSON.stringify(insiderSource)).toMatchObject({ provider: 'sec-edgar' });
      const history = await session.call('get_price_history', { ticker: 'NVDA' });
      expect((history.structuredContent as unknown as PriceHistoryResult).provenance?.provider).toBe('stooq');
      const technicals = await session.call('analyze_stock', { ticker: 'AAPL' });
      expect(technicals.isError, JSON.stringify(technicals.content)).toBeFalsy();
      // On a real Redis the shared limit was kept there (no fallback warning); else it fell back, with the warning.
      if (redis) expect(session.stderr()).not.toMatch(/could not be reached/);
      else expect(session.stderr()).toMatch(/could not be reached for the shared sec request limit/);
    } finally {
      await session.close();
      await Promise.all([sec.close(), prices.close(), redis?.stop()]);
    }
  }, 60_000);

  it('is not used once a source changes: the CLI runs src/ through tsx and the server is not spawned from dist/', async () => {
    appendFileSync(path.join(root, 'src', 'tickers.ts'), '\n// edited after the build\n');
    const { run, modules, spawned } = await research('stale');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Verdict: (Buy|Hold|Sell)/);
    expect(modules).toContain(`file://${root}/src/cli.ts`);
    expect(modules.filter((url) => url.startsWith(`file://${root}/dist/`))).toEqual([]);
    expect(spawned).toHaveLength(1);
    expect(spawned[0]?.args.join(' ')).not.toContain(`${root}/dist/`);
  }, 180_000);
});
