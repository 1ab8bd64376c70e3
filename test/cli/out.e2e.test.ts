/**
 * End to end: `npm run research -- NVDA --out DIR` saves the report and its price chart and prints their paths;
 * `npm run perf -- --chart FILE` draws the recorded runs.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESEARCH_USAGE } from '../../src/cli/research-command.js';
import { SECTIONS } from '../../src/research/types.js';
import { PNG_SIGNATURE, pngSize } from '../charts/helpers.js';
import { type CliRun, canMount, runCliProcess } from './helpers.js';

let home: string;

beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-cli-out-'));
});
afterAll(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

describe('npm run research -- NVDA --out DIR', () => {
  it('writes DIR/NVDA-YYYY-MM-DD.md and .png and prints their paths', async () => {
    const out = path.join(home, 'reports');
    const run = await runCliProcess(['research', 'NVDA', '--out', out], { TICKERDESK_HOME: home }, 90_000);
    expect(run.code, run.stderr).toBe(0);
    const md = run.stdout.match(/^Report saved: (.+\/NVDA-(\d{4}-\d{2}-\d{2})\.md)$/m);
    const png = run.stdout.match(/^Chart saved: (.+\/NVDA-(\d{4}-\d{2}-\d{2})\.png)$/m);
    expect(md, run.stdout).not.toBeNull();
    expect(png, run.stdout).not.toBeNull();
    expect(md?.[1]).toBe(path.join(out, `NVDA-${md?.[2]}.md`));
    expect(png?.[2]).toBe(md?.[2]);

    const report = fs.readFileSync(md?.[1] ?? '', 'utf8');
    for (const s of SECTIONS) expect(report).toContain(`\n## ${s.title}\n`);
    expect(report).toContain('## Sources of the figures');
    expect(report).toContain(`](NVDA-${md?.[2]}.png)`);
    const image = fs.readFileSync(png?.[1] ?? '');
    expect(image.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(pngSize(image)).toEqual({ width: 1200, height: 700 });
  }, 120_000);

  it('with --json, keeps stdout JSON and prints the paths on stderr', async () => {
    const out = path.join(home, 'json-reports');
    const run = await runCliProcess(['research', 'KO', '--json', '--out', out], { TICKERDESK_HOME: home }, 90_000);
    expect(run.code, run.stderr).toBe(0);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    expect(run.stderr).toMatch(/^Report saved: .+\/KO-\d{4}-\d{2}-\d{2}\.md$/m);
    expect(fs.readdirSync(out).sort()).toEqual(expect.arrayContaining([expect.stringMatching(/^KO-.+\.md$/)]));
  }, 120_000);

  it('refuses a folder it cannot write before any research: a file, a device, a path through a file (exit 2)', async () => {
    const file = path.join(home, 'not-a-folder');
    fs.writeFileSync(file, 'x');
    const runs = await Promise.all(
      [file, '/dev/full', path.join(file, 'reports', 'nvda')].map((out) =>
        runCliProcess(['research', 'NVDA', '--out', out], { TICKERDESK_HOME: home }, 90_000),
      ),
    );
    const [asFile, device, through] = runs as [CliRun, CliRun, CliRun];
    expect(asFile.stderr).toContain(`error: --out: the report cannot be saved in ${file}: ${file} is not a folder.\n`);
    expect(device.stderr).toContain(
      'error: --out: the report cannot be saved in /dev/full: /dev/full is not a folder.\n',
    );
    expect(through.stderr).toContain(`: ${file} is not a folder.\n`);
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(RESEARCH_USAGE);
      // Refused up front: no run was started, no report printed.
      expect(run.stderr).not.toContain('NVDA: starting');
      expect(run.stdout).toBe('');
      expect(run.stderr).not.toContain('EEXIST');
    }
  }, 120_000);

  it.skipIf(!canMount())(
    'refuses a folder on a read-only file system before any research',
    async () => {
      const ro = path.join(home, 'read-only');
      fs.mkdirSync(ro);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,ro', 'tmpfs', ro]);
      try {
        const out = path.join(ro, 'missing', 'reports');
        const run = await runCliProcess(['research', 'NVDA', '--out', out], { TICKERDESK_HOME: home }, 90_000);
        expect(run.code, run.stderr).toBe(2);
        expect(run.stderr).toContain(
          `error: --out: the report cannot be saved in ${out}: ${ro} is on a read-only file system.\n`,
        );
        expect(run.stderr).not.toContain('NVDA: starting');
        expect(run.stdout).toBe('');
      } finally {
        execFileSync('umount', [ro]);
      }
    },
    120_000,
  );

  it('creates a missing folder and its missing parents', async () => {
    const out = path.join(home, 'new', 'deeper', 'reports');
    const run = await runCliProcess(['research', 'KO', '--out', out], { TICKERDESK_HOME: home }, 90_000);
    expect(run.code, run.stderr).toBe(0);
    expect(fs.readdirSync(out)).toEqual(expect.arrayContaining([expect.stringMatching(/^KO-.+\.md$/)]));
  }, 120_000);

  it('a ticker without prices: "No chart" in one plain line, no JSON log line or stack on stderr', async () => {
    const out = path.join(home, 'abt');
    const run = await runCliProcess(['research', 'ABT', '--out', out], { TICKERDESK_HOME: home }, 90_000);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^No chart: There is no price chart for ABT: /m);
    expect(run.stderr).not.toContain('{"level"');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readdirSync(out)).toEqual([expect.stringMatching(/^ABT-\d{4}-\d{2}-\d{2}\.md$/)]);
  }, 120_000);

  it.skipIf(!canMount())(
    'a full disk: no partial PNG or temporary file is left, the report is whole, one plain line',
    async () => {
      const disk = path.join(home, 'disk');
      fs.mkdirSync(disk);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk]);
      try {
        const run = await runCliProcess(['research', 'NVDA', '--out', disk], { TICKERDESK_HOME: home }, 90_000);
        expect(run.code, run.stderr).toBe(0);
        expect(run.stdout).toMatch(
          /^No chart: the chart could not be saved as .*\.png \(ENOSPC: no space left on device/m,
        );
        expect(run.stderr).not.toContain('{"level"');
        const left = fs.readdirSync(disk);
        expect(left).toEqual([expect.stringMatching(/^NVDA-\d{4}-\d{2}-\d{2}\.md$/)]);
        expect(fs.readFileSync(path.join(disk, left[0] ?? ''), 'utf8')).toContain('## Sources of the figures');
      } finally {
        execFileSync('umount', [disk]);
      }
    },
    120_000,
  );
});

describe('npm run perf -- --chart FILE', () => {
  it('saves the durations of the recorded runs as a PNG and prints its path', async () => {
    const file = path.join(home, 'perf.png');
    const run = await runCliProcess(['perf', '--chart', file], { TICKERDESK_HOME: home }, 60_000);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Chart saved: ${file}`);
    const image = fs.readFileSync(file);
    expect(image.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(pngSize(image)).toEqual({ width: 1000, height: 500 });
  }, 90_000);

  it('fails with a plain message when the chart file cannot be written', async () => {
    const notAFolder = path.join(home, 'perf-not-a-folder');
    fs.writeFileSync(notAFolder, 'x');
    const file = path.join(notAFolder, 'p.png');
    const run = await runCliProcess(['perf', '--chart', file], { TICKERDESK_HOME: home }, 60_000);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: the chart could not be saved as ${file}`);
    expect(run.stdout).not.toContain('Chart saved');
  }, 90_000);

  it('says there is no chart when no run is recorded', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-cli-perf-'));
    try {
      const run = await runCliProcess(['perf', '--chart', path.join(empty, 'p.png')], { TICKERDESK_HOME: empty });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('No chart: No finished runs are recorded yet');
      expect(fs.existsSync(path.join(empty, 'p.png'))).toBe(false);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  }, 90_000);
});
