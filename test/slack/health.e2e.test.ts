/**
 * Ready when it says so (issue 13): `src/main.ts` in HTTP mode against the local Slack stand-in starts the MCP data
 * server at boot (before any command), logs its start-up time once ready, answers `GET /healthz` and `GET /readyz`
 * (config, tool cache, MCP server listing its tools), `GET /metrics` and `GET /perf` behind METRICS_TOKEN (issue 15),
 * keeps a channel's watchlist from a signed command, and stops on SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.js';
import { freePort } from '../helpers/redis-server.js';
import { commandBody, postSigned } from '../helpers/slack-request.js';
import { waitFor } from '../helpers/slack-runtime.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';

let home: string;
let api: SlackStandIn;
let child: ChildProcess;
let port: number;
let stderr = '';
let exited: Promise<number | null>;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-health-'));
  api = await new SlackStandIn().start();
  port = await freePort();
  child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(REPO_ROOT, 'src/main.ts')], {
    cwd: home,
    env: {
      PATH: process.env.PATH ?? '',
      TICKERDESK_HOME: home,
      SLACK_BOT_TOKEN: api.token,
      SLACK_SIGNING_SECRET: 'health-signing-secret',
      SLACK_API_URL: api.apiUrl,
      PORT: String(port),
      LOG_LEVEL: 'info',
      METRICS_TOKEN: 'health-metrics-token',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  exited = new Promise((resolve) => child.once('exit', resolve));
});
afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  await exited;
  await api.close();
  fs.rmSync(home, { recursive: true, force: true });
});

/** pino's JSON lines on stderr with message `msg` (prefix). */
function logged(msg: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => typeof entry.msg === 'string' && entry.msg.startsWith(msg));
}

async function get(route: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${port}${route}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('npm start: health and readiness', () => {
  it('starts the MCP server at boot and logs its start-up time once ready, before any request', async () => {
    await waitFor(() => logged('tickerdesk ready in').length > 0 || child.exitCode !== null, 'the ready log', 60_000);
    const [ready] = logged('tickerdesk ready in');
    expect(ready, stderr).toMatchObject({
      mode: 'http',
      startupMs: expect.any(Number),
      checks: { config: 'valid', cache: 'reachable', mcpServer: expect.stringMatching(/^\d+ tools$/) },
    });
    // No Slack request has come in: the server was started by the boot's readiness check, not by a command.
    expect(api.calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);
  }, 70_000);

  it('GET /healthz is 200; GET /readyz is 200 with every check', async () => {
    const health = await get('/healthz');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    // A probe can miss on a loaded machine (the SQLite cache's 1 s bound per operation, then its 5 s cool-down): then
    // /readyz says so with 503, and is 200 again once the cache answers.
    let ready = await get('/readyz');
    const until = Date.now() + 30_000;
    while (ready.status !== 200 && Date.now() < until) {
      expect(ready.status).toBe(503);
      await new Promise((r) => setTimeout(r, 250));
      ready = await get('/readyz');
    }
    expect(ready.status, JSON.stringify(ready.body)).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ready',
      ready: true,
      checks: {
        config: { ok: true },
        cache: { ok: true, detail: 'reachable' },
        mcpServer: { ok: true, detail: expect.stringMatching(/^\d+ tools$/) },
      },
    });
  }, 45_000);

  it('GET /metrics on the same server: 401 without METRICS_TOKEN, Prometheus text with it', async () => {
    const refused = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(refused.status).toBe(401);
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
      headers: { authorization: 'Bearer health-metrics-token' },
    });
    expect(res.status).toBe(200);
    const families = new Map(parsePrometheusTextFormat(await res.text()).map((f) => [f.name, f]));
    expect(families.get('tickerdesk_runs_total')?.type).toBe('COUNTER');
    expect(families.get('tickerdesk_tool_calls_total')?.type).toBe('COUNTER');
    expect(families.get('tickerdesk_run_duration_seconds')?.type).toBe('HISTOGRAM');
    // Smart prefetch's counts (PREFETCH_PEERS defaults to 3), every result exported from the start.
    expect(
      families.get('tickerdesk_prefetch_calls_total')?.metrics.map((m) => (m.labels as Record<string, string>).result),
    ).toEqual(['prefetched', 'used', 'failed']);
    expect(families.has('process_resident_memory_bytes')).toBe(true);
  });

  it('GET /perf on the same server: 401 without the token (METRICS_TOKEN, no PERF_PAGE_TOKEN), the page with it', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/perf`)).status).toBe(401);
    const res = await fetch(`http://127.0.0.1:${port}/perf?token=health-metrics-token`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<meta http-equiv="refresh" content="30">');
    expect(html).toContain('tickerdesk performance: 0 runs');
  });

  it('keeps a channel watchlist (issue 15, part 7): a signed /research-stock watch is checked and stored', async () => {
    const body = (text: string, tag: string) =>
      commandBody({
        command: '/research-stock',
        text,
        channelId: 'C0DESK',
        userId: 'U0ANA',
        responseUrl: api.responseUrl(tag),
      });
    const url = `http://127.0.0.1:${port}/slack/events`;
    const form = 'application/x-www-form-urlencoded';
    const secret = 'health-signing-secret';
    expect((await postSigned(url, body('watch nvda NVDX', 'watch'), form, { secret })).status).toBe(200);
    await waitFor(() => api.callsOf('response_url:watch').length >= 2, 'the two answers to watch');
    const [shown, note] = api.callsOf('response_url:watch');
    expect(shown?.args.response_type).toBe('in_channel');
    expect(String(shown?.args.text)).toContain('<@U0ANA> added *NVDA* to this channel’s watchlist (1 watched: NVDA)');
    expect(note?.args.response_type).toBe('ephemeral');
    expect(String(note?.args.text)).toContain('Did you mean NVDA');
    expect(fs.existsSync(path.join(home, 'watchlists.sqlite'))).toBe(true);
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`, {
      headers: { authorization: 'Bearer health-metrics-token' },
    });
    const families = new Map(parsePrometheusTextFormat(await metrics.text()).map((f) => [f.name, f]));
    expect(families.get('tickerdesk_digests_total')?.type).toBe('COUNTER');
  }, 30_000);

  it('stops on SIGTERM with status 0', async () => {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);
});
