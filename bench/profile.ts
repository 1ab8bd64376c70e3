/**
 * Profile one cold tickerdesk run: `node --cpu-prof --cpu-prof-dir DIR --import tsx bench/profile.ts DIR` writes a
 * CPU profile of this process, and the MCP server is started with the same flags so it writes its own. Prints the
 * run's stage times against the latency model, then the heaviest functions (self time) of each profile.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createHarness } from './harness.js';
import { analystDelayMs, criticalPathBoundMs, sectionDelayMs, TOOL_LATENCY_MS } from './latency.js';
import { round } from './stats.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A time window on the monotonic clock V8 profiles use (µs, as `process.hrtime.bigint() / 1000n`). */
export interface Window {
  fromUs: number;
  toUs: number;
}

/** Now on the clock of V8's CPU profiles, µs. */
export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

/** Self time per function and per file of a `.cpuprofile` (within `window` when given), ms, heaviest first. */
export function summariseProfile(file: string, window?: Window, top = 12): string[] {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = p.startTime;
  p.samples.forEach((id, i) => {
    const delta = p.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    self.set(id, (self.get(id) ?? 0) + delta / 1000);
  });
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  for (const [id, ms] of self) {
    const n = byId.get(id);
    if (!n) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    const short = url.replace(/^file:\/\//, '').replace(`${path.resolve(import.meta.dirname, '..')}/`, '');
    fn.set(
      `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`,
      (fn.get(`${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`) ?? 0) + ms,
    );
    const group = short.includes('node_modules/')
      ? (short
          .split('node_modules/')[1]
          ?.split('/')
          .slice(0, short.includes('node_modules/@') ? 2 : 1)
          .join('/') ?? short)
      : short === ''
        ? functionName
        : short.startsWith('node:')
          ? 'node internals'
          : short;
    pkg.set(group, (pkg.get(group) ?? 0) + ms);
  }
  const total = window ? (window.toUs - window.fromUs) / 1000 : (p.endTime - p.startTime) / 1000;
  const fmt = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, ms]) => `  ${round(ms, 1).toString().padStart(8)} ms  ${k}`);
  return [
    `${path.basename(file)}: ${round(total)} ms profiled`,
    ' by file/package:',
    ...fmt(pkg),
    ' by function:',
    ...fmt(fn),
  ];
}

async function main(): Promise<Window> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: node --cpu-prof --cpu-prof-dir DIR --import tsx bench/profile.ts DIR');
  const h = await createHarness({ serverNodeFlags: ['--cpu-prof', '--cpu-prof-dir', dir] });
  try {
    await h.clearCache();
    const fromUs = monotonicUs();
    const r = await h.run('NVDA');
    const window = { fromUs, toUs: monotonicUs() };
    const bound = criticalPathBoundMs();
    const lines = [
      `cold run: ${r.durationMs} ms, bound ${bound} ms, overhead ${r.durationMs - bound} ms (${round(((r.durationMs - bound) / bound) * 100, 1)} %)`,
      `stages: prefetch ${r.stageMs.prefetch} ms (model ${TOOL_LATENCY_MS}), analysts ${r.stageMs.analysts} ms (model ${Math.max(...r.findings.map((f) => analystDelayMs(f.analyst)))}), sections ${r.stageMs.sections} ms (model ${Math.max(...r.sections.map((s) => sectionDelayMs(s.id)))})`,
      `tool ms: ${Object.entries(r.bundle)
        .filter(([k]) => k !== 'ticker')
        .map(([k, v]) => `${k} ${typeof v === 'object' && v && 'ms' in v ? round(Number(v.ms)) : '?'}`)
        .join(', ')}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return window;
  } finally {
    await h.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main()
    .then((window) => {
      // The servers have exited and written their profiles; this process writes its own at exit (read it with
      // summariseProfile afterwards). Only the run's window counts.
      const dir = process.argv[2] as string;
      process.stdout.write(`window: ${JSON.stringify(window)}\n`);
      for (const f of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')))
        process.stdout.write(`${summariseProfile(path.join(dir, f), window).join('\n')}\n`);
    })
    .catch((err: unknown) => {
      process.stderr.write(`profile failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    });
}
