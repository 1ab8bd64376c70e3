import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMetricsStore } from '../../src/metrics/store.js';
import { runCliProcess } from './helpers.js';

let home: string;
const env = () => ({ TICKERDESK_HOME: home });

beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-cli-args-'));
});
afterAll(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

describe('research: bad input exits 2 with a usage line', () => {
  it.each([
    [['research'], 'No ticker given'],
    [['research', '   '], 'No ticker given'],
    [['research', 'NVDA', 'AAPL'], 'One ticker at a time'],
    [['research', 'NVDA,AAPL'], 'One ticker at a time'],
    [['research', 'not$a/ticker!!'], 'is not a ticker symbol'],
    [['research', 'ABCDEFGHIJKLMNOP'], 'is not a ticker symbol'],
    [['research', '--bogus', 'NVDA'], "unknown option '--bogus'"],
    [['research', 'NVDA', '--writer', 'gpt'], 'Allowed choices are template, claude'],
  ])('%j', async (args, message) => {
    const run = await runCliProcess(args, env());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Usage: npm run research -- TICKER');
    expect(run.stdout).toBe('');
  });

  it('records only the rejection in the run log and writes no cache', async () => {
    const store = await openMetricsStore(path.join(home, 'metrics.sqlite'));
    try {
      const records = await store.recent(100);
      expect(records.length).toBeGreaterThanOrEqual(6);
      expect(records.every((r) => r.outcome === 'rejected' && r.tools.total === 0)).toBe(true);
      expect(records.map((r) => r.ticker)).toContain('NVDA AAPL');
    } finally {
      await store.close();
    }
    expect(fs.existsSync(path.join(home, 'cache.sqlite'))).toBe(false);
  });

  it('with --json, still exits 2 and prints the error as JSON', async () => {
    const run = await runCliProcess(['research', 'two words', '--json'], env());
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({ error: { message: 'One ticker at a time, got 2.' } });
  });
});

describe('control characters in the input', () => {
  it('a ticker with a terminal escape is refused (exit 2), never echoed, and stored only escaped', async () => {
    const raw = '\u001b[31mNVDA\u001b[0m';
    const run = await runCliProcess(['research', raw], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('The ticker holds control characters');
    expect(run.stderr + run.stdout).not.toContain('\u001b');
    const option = await runCliProcess(['research', 'NVDA', '--bo\u001b[2Jgus'], env());
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option '--bo\\u001b[2Jgus'");
    expect(option.stderr).not.toContain('\u001b');
    const store = await openMetricsStore(path.join(home, 'metrics.sqlite'));
    try {
      const stored = (await store.recent(100)).find((r) => r.ticker.includes('NVDA\\u001b'));
      expect(stored?.ticker).toBe('\\u001b[31mNVDA\\u001b[0m');
    } finally {
      await store.close();
    }
  });
});

describe('other commands', () => {
  it('no command prints help and exits 2; --help exits 0', async () => {
    const none = await runCliProcess([], env());
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('research [options] [ticker...]');
    const help = await runCliProcess(['research', '--help'], env());
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--fresh');
  });

  it('perf prints the report of recorded runs', async () => {
    const run = await runCliProcess(['perf'], env());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/tickerdesk performance: \d+ runs \(rejected \d+\)/);
    expect(run.stdout).toContain('One ticker at a time');
    const json = await runCliProcess(['perf', '--json', '--limit', '2'], env());
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ runs: 2, byOutcome: { rejected: 2 } });
    const bad = await runCliProcess(['perf', '--limit', 'zero'], env());
    expect(bad.code).toBe(2);
  });
});
