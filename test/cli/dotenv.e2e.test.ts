/**
 * `npm run prewarm` and `npm run perf` read `.env` as `npm start` does. Tried as a new user setting up the desk: with
 * the app's settings in `.env` (`cp .env.example .env`, as the README says), `npm run prewarm` ignored them and
 * refreshed another cache than the app's (the default `.tickerdesk/`, not `TICKERDESK_HOME` or `CACHE_URL` from
 * `.env`), and `npm run perf` read another run log. Variables set in the environment still win over the file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runProcess } from './helpers.js';

let dir: string;
let home: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-dotenv-'));
  home = path.join(dir, 'desk-home');
  fs.writeFileSync(
    path.join(dir, '.env'),
    [
      '# the app settings, as cp .env.example .env leaves them after editing',
      `TICKERDESK_HOME=${home}`,
      'DATA_SOURCE=bundled',
      'PREWARM_TICKERS=KO',
      'PREWARM_CALLS_PER_SECOND=50',
      '',
    ].join('\n'),
  );
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The CLI run from `dir` (where `.env` is), as `npx tickerdesk …` there would. */
const cli = (args: string[], env: Record<string, string> = {}) =>
  runProcess(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), path.join(ROOT, 'src', 'cli.ts'), ...args],
    env,
    {
      cwd: dir,
      timeoutMs: 90_000,
    },
  );

describe('.env for the operations commands', () => {
  it('prewarm refreshes the cache of TICKERDESK_HOME and PREWARM_TICKERS from .env; perf reads that run log', async () => {
    const prewarm = await cli(['prewarm']);
    expect(prewarm.code, prewarm.stderr).toBe(0);
    expect(prewarm.stderr).toContain('prewarm: KO refreshed (1/1)');
    expect(prewarm.stdout).toMatch(/^Prewarm done: 1 of 1 tickers refreshed/);
    expect(fs.existsSync(path.join(home, 'cache.sqlite'))).toBe(true);
    expect(fs.existsSync(path.join(dir, '.tickerdesk'))).toBe(false);

    const perf = await cli(['perf']);
    expect(perf.code, perf.stderr).toBe(0);
    expect(perf.stdout).toMatch(/Prewarm \(last 30 days\)\n {2}prewarmed, later used {3}0 of 1\n/);
    expect(perf.stdout).toContain(`Tool cache (SQLite ${path.join(home, 'cache.sqlite')}`);
  }, 120_000);

  it('a variable set in the environment wins over .env', async () => {
    const prewarm = await cli(['prewarm'], { PREWARM_TICKERS: 'MSFT' });
    expect(prewarm.code, prewarm.stderr).toBe(0);
    expect(prewarm.stderr).toContain('prewarm: MSFT refreshed (1/1)');
    expect(prewarm.stderr).not.toContain('KO');
  }, 120_000);
});
