/**
 * Ctrl-C, SIGTERM and SIGHUP: a run stopped exits 130 / 143 / 129 with a plain message and is recorded as cancelled;
 * Ctrl-C also when the interrupt comes while the
 * runtime is still loading (before the run has started).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, researchCommand } from '../../src/cli/research-command.js';
import { logger } from '../../src/log.js';
import { openMetricsStore } from '../../src/metrics/store.js';
import { ROOT } from './helpers.js';

let home: string;

beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-cli-cancel-'));
});
afterAll(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

function sinks() {
  const out = { text: '', write: (s: string) => (out.text += s) };
  const err = { text: '', write: (s: string) => (err.text += s) };
  return { out, err };
}

describe('research: Ctrl-C', () => {
  it('an interrupt that came before the run started stops it: exit 130, no run started, nothing printed', async () => {
    const { out, err } = sinks();
    const controller = new AbortController();
    controller.abort();
    const code = await researchCommand(
      ['NVDA'],
      {},
      {
        io: { stdout: out, stderr: err },
        env: { TICKERDESK_HOME: home },
        logger,
        signal: controller.signal,
      },
    );
    expect(code).toBe(EXIT.cancelled);
    expect(code).toBe(130);
    expect(err.text).toBe('error: The run was cancelled: stopped from the terminal.\n');
    expect(out.text).toBe('');
    const store = await openMetricsStore(path.join(home, 'metrics.sqlite'));
    try {
      expect(await store.recent(10)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it.each([
    ['SIGINT', 130, 'stopped from the terminal'],
    ['SIGTERM', 143, 'stopped by SIGTERM'],
    ['SIGHUP', 129, 'the terminal was closed (SIGHUP)'],
  ] as const)(
    '%s to the real CLI while the data tools are slow ends the run with exit %i, recorded as cancelled',
    async (signal, exit, why) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli.ts'), 'research', 'AAPL'], {
        cwd: ROOT,
        // Every tool answers after 20 s, so the run is surely in prefetch when the interrupt arrives.
        env: { ...process.env, TICKERDESK_HOME: home, MCP_TOOL_LATENCY_MS: '20000', VITEST: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
      });
      const started = new Promise<void>((resolve) => {
        child.stderr.setEncoding('utf8').on('data', (d: string) => {
          stderr += d;
          if (stderr.includes('prefetch started')) resolve();
        });
      });
      const killer = setTimeout(() => child.kill('SIGKILL'), 40_000);
      await started;
      child.kill(signal);
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      clearTimeout(killer);
      expect(code, stderr).toBe(exit);
      expect(stderr).toContain(`error: The run was cancelled: ${why}\n`);
      expect(stdout).not.toContain('## Verdict');
      // The run log says it was stopped, not that it failed.
      const store = await openMetricsStore(path.join(home, 'metrics.sqlite'));
      try {
        const [record] = await store.recent(1);
        expect(record).toMatchObject({ ticker: 'AAPL', outcome: 'cancelled', errors: [] });
      } finally {
        await store.close();
      }
    },
    45_000,
  );
});
