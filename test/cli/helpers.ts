/**
 * Spawning the real CLI (`node --import tsx src/cli.ts …`) in a temporary TICKERDESK_HOME.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Repository root. */
export const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** What a CLI run printed and how it exited. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run the CLI with `args` and extra `env`; resolves when the process exits (killed after `timeoutMs`). `nodeArgs`
 * go to Node before the script (e.g. another `--import`).
 */
export function runCliProcess(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
  nodeArgs: string[] = [],
): Promise<CliRun> {
  return runProcess(
    process.execPath,
    ['--import', 'tsx', ...nodeArgs, path.join(ROOT, 'src', 'cli.ts'), ...args],
    env,
    {
      timeoutMs,
    },
  );
}

/**
 * Run `command` with `args` from `cwd` (default the repository root), the environment plus `env` (without vitest's
 * LOG_LEVEL and VITEST, as a user's shell would have it); resolves when it exits (killed after `timeoutMs`).
 */
export function runProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  options: { timeoutMs?: number; cwd?: string } = {},
): Promise<CliRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  // The child logs as a user's terminal would (LOG_LEVEL unset: warnings only), not silenced as under vitest.
  if (!('LOG_LEVEL' in env)) delete childEnv.LOG_LEVEL;
  delete childEnv.VITEST;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Whether this process may mount a tmpfs (root on Linux, not in a locked-down container). */
export function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
}
