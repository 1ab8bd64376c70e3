/**
 * `npm run bench:startup`: how long tickerdesk takes to start, as whole processes, median of `--runs` (default 5)
 * after one warm-up each, all measured in this one run:
 *
 * - warm CLI report: `node bin/tickerdesk.mjs research NVDA --json` with every tool call and section in the cache,
 *   process spawn to exit, beside the pipeline's own time inside it (the run's `durationMs`);
 * - fresh CLI report: the same in a new, empty TICKERDESK_HOME each run (the data server spawned, every tool called);
 * - MCP server spawn to the answer of its first `tools/list`, started as the gateway starts it;
 * - HTTP app start (`node dist/main.js`, what `npm start` runs) to `GET /readyz` = 200, against the local Slack
 *   stand-in.
 *
 * `dist/` is built first when stale, so the figures are for compiled code. `--runs N`, `--out FILE` (JSON).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { buildDist } from '../bin/dist.mjs';
import { loadConfig, REPO_ROOT } from '../src/config.js';
import { logger } from '../src/log.js';
import { compiledServerEntry, McpServerClient, tickerdeskServerSpec } from '../src/tools/index.js';
import { runProcess } from '../test/cli/helpers.js';
import { freePort } from '../test/helpers/redis-server.js';
import { SlackStandIn } from '../test/helpers/slack-stand-in.js';
import { median, round } from './stats.js';

const BIN = path.join(REPO_ROOT, 'bin', 'tickerdesk.mjs');

/** Settings of a measured process over this one's environment: the template writer, no Redis. */
function childEnv(extra: Record<string, string>): Record<string, string> {
  return { CACHE_URL: '', ANTHROPIC_API_KEY: '', WRITER: 'template', ...extra };
}

/** Run Node with `args`; resolves with the wall time to exit, ms, and stdout. @throws on a non-zero exit. */
async function timeProcess(args: string[], env: Record<string, string>): Promise<{ ms: number; stdout: string }> {
  const started = performance.now();
  const run = await runProcess(process.execPath, args, env, { timeoutMs: 120_000 });
  const ms = performance.now() - started;
  if (run.code !== 0) throw new Error(`${args.join(' ')} exited ${run.code}: ${run.stderr.slice(-500)}`);
  return { ms, stdout: run.stdout };
}

/** Run `measure` once unrecorded, then `runs` times. */
async function repeat<T>(runs: number, measure: (i: number) => Promise<T>): Promise<T[]> {
  await measure(-1);
  const out: T[] = [];
  for (let i = 0; i < runs; i++) out.push(await measure(i));
  return out;
}

/** A CLI report of NVDA in `home`: wall ms and the pipeline's own ms. */
async function cliReport(home: string): Promise<{ wallMs: number; pipelineMs: number }> {
  const { ms, stdout } = await timeProcess([BIN, 'research', 'NVDA', '--json'], childEnv({ TICKERDESK_HOME: home }));
  return { wallMs: ms, pipelineMs: (JSON.parse(stdout) as { durationMs: number }).durationMs };
}

/** Our MCP server started as the gateway starts it, to the answer of its first tools/list, ms. */
async function mcpSpawn(): Promise<number> {
  const config = loadConfig({ ...process.env, ...childEnv({}), LOG_LEVEL: 'warn' });
  const spec = tickerdeskServerSpec(config, await compiledServerEntry(logger));
  const started = performance.now();
  const client = new McpServerClient('tickerdesk', spec);
  try {
    const tools = await client.listTools(30_000);
    if (tools.length === 0) throw new Error('the server listed no tools');
    return performance.now() - started;
  } finally {
    await client.close();
  }
}

/** `node dist/main.js` in HTTP mode against `api`, spawn to the first `GET /readyz` = 200, ms; then SIGTERM. */
async function appReady(api: SlackStandIn, home: string): Promise<number> {
  const port = await freePort();
  const env = childEnv({
    TICKERDESK_HOME: home,
    SLACK_BOT_TOKEN: api.token,
    SLACK_SIGNING_SECRET: 'bench-signing-secret',
    SLACK_API_URL: api.apiUrl,
    PORT: String(port),
    LOG_LEVEL: 'warn',
  });
  const started = performance.now();
  const child = spawn(process.execPath, ['--enable-source-maps', path.join(REPO_ROOT, 'dist', 'main.js')], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the app exited ${child.exitCode} before it was ready`);
      if (performance.now() - started > 60_000) throw new Error('the app was not ready within 60 s');
      const status = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (res) => res.status,
        () => 0,
      );
      if (status === 200) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** min / median / max of `values`, ms, rounded. */
function summary(values: number[]): { medianMs: number; minMs: number; maxMs: number } {
  return { medianMs: round(median(values)), minMs: round(Math.min(...values)), maxMs: round(Math.max(...values)) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, out: { type: 'string' } } });
  const runs = Math.max(1, Number(values.runs) || 5);
  const build = await buildDist({ ifStale: true });
  if (build.built) process.stderr.write(`dist/ was stale: compiled ${build.files} files\n`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-bench-startup-'));
  const api = await new SlackStandIn().start();
  try {
    const warmHome = path.join(scratch, 'warm');
    await cliReport(warmHome); // fills the cache
    const warm = await repeat(runs, () => cliReport(warmHome));
    const fresh = await repeat(runs, (i) => cliReport(path.join(scratch, `fresh-${i + 1}`)));
    const spawnMs = await repeat(runs, () => mcpSpawn());
    const readyMs = await repeat(runs, (i) => appReady(api, path.join(scratch, `app-${i + 1}`)));
    const results = {
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
      runs,
      warmCli: {
        ...summary(warm.map((r) => r.wallMs)),
        pipelineMedianMs: round(median(warm.map((r) => r.pipelineMs))),
      },
      freshCli: {
        ...summary(fresh.map((r) => r.wallMs)),
        pipelineMedianMs: round(median(fresh.map((r) => r.pipelineMs))),
      },
      mcpSpawnToToolsList: summary(spawnMs),
      appStartToReadyz: summary(readyMs),
    };
    const row = (name: string, s: { medianMs: number; minMs: number; maxMs: number }, extra = '') =>
      `| ${name} | ${s.medianMs} | ${s.minMs}–${s.maxMs} |${extra} |`;
    const lines = [
      `Start-up, whole processes, median of ${runs} (${results.machine})`,
      '',
      '| measure | median ms | min–max ms | pipeline inside, median ms |',
      '|---|---:|---:|---:|',
      row('warm CLI report (tickerdesk research NVDA)', results.warmCli, ` ${results.warmCli.pipelineMedianMs}`),
      row('fresh CLI report (empty home)', results.freshCli, ` ${results.freshCli.pipelineMedianMs}`),
      row('MCP server spawn → first tools/list', results.mcpSpawnToToolsList),
      row('HTTP app start → GET /readyz 200', results.appStartToReadyz),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (values.out) writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await api.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
