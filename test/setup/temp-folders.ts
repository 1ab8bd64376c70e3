/**
 * Vitest global setup: the suite gets a temp folder of its own (`TMPDIR`, inherited by the test workers and by every
 * process they spawn), and fails if a test leaves anything in it. A private folder, so that other suites running on
 * the same machine at the same time do not count. tsx's transform cache is linked in from the real temp folder, so
 * spawned `tsx` processes stay warm.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The entries a suite run left in `dir`, apart from `keep`. */
export function leftovers(dir: string, keep: readonly string[] = []): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => !keep.includes(name))
    .sort();
}

export default function setup(): () => void {
  const outer = os.tmpdir();
  const dir = fs.mkdtempSync(path.join(outer, 'tickerdesk-suite-'));
  const tsxCache = `tsx-${process.geteuid?.() ?? os.userInfo().username}`;
  fs.mkdirSync(path.join(outer, tsxCache), { recursive: true });
  fs.symlinkSync(path.join(outer, tsxCache), path.join(dir, tsxCache));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    const left = leftovers(dir, [tsxCache]);
    fs.rmSync(dir, { recursive: true, force: true });
    if (left.length === 0) return;
    // A throw here is only logged by vitest ("error during close") and the run would still exit 0.
    process.exitCode = 1;
    process.stderr.write(
      `\nFAIL temp folders: the tests left ${left.length} entries in the temp folder (each test removes what it makes): ${left.join(', ')}\n`,
    );
  };
}
