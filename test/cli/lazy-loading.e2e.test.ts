/**
 * Load on use (issue 13): a warm template-writer CLI run without CACHE_URL or --out loads none of the heavy modules
 * it does not use — the Anthropic SDK, the Redis client, the chart stack, the MCP client SDK (every call is a cache
 * hit) and Bolt — read from the list of modules the real CLI process loaded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCliProcess } from './helpers.js';

/** Packages a warm template-writer run without CACHE_URL and --out must not load. */
const NOT_ON_A_WARM_RUN = [
  '@anthropic-ai/sdk',
  '@keyv/redis',
  '@redis/client',
  'vega',
  'vega-lite',
  '@resvg/resvg-js',
  '@modelcontextprotocol/sdk',
  '@slack/bolt',
  '@slack/web-api',
];

/** Our modules that load those packages (the Slack app, the Claude writer, the chart renderer, the Redis cache). */
const OWN_HEAVY =
  /^src\/(slack|writers\/claude)\/|^src\/charts\/render\.ts$|^src\/tools\/(cache-redis|redis-client)\.ts$/;

let home: string;
const recorder = ['--import', path.join(ROOT, 'test', 'helpers', 'module-recorder.mjs')];

beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-lazy-'));
});
afterAll(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

/** The packages (by name) among the module URLs in `file`. */
function packagesIn(file: string): Set<string> {
  const names = new Set<string>();
  for (const url of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (m?.[1]) names.add(m[1]);
  }
  return names;
}

/** A CLI run of NVDA with the template writer, no Redis, no files, its loaded modules listed in `list`. */
function run(list: string) {
  const env = {
    TICKERDESK_HOME: home,
    MODULE_LIST_FILE: list,
    CACHE_URL: '',
    ANTHROPIC_API_KEY: '',
    MCP_SERVERS: '',
    WRITER: 'auto',
  };
  return runCliProcess(['research', 'NVDA'], env, 60_000, recorder);
}

describe('a warm CLI run loads only what it uses', () => {
  it('a cold run loads the MCP client SDK to call the tools; the warm run after it loads none of the heavy modules', async () => {
    const coldList = path.join(home, 'cold.txt');
    const cold = await run(coldList);
    expect(cold.code, cold.stderr).toBe(0);
    expect(cold.stdout).toMatch(/\d+ tools: 0 cached, \d+ called\./);
    // The recorder sees modules loaded with import() too: the cold run's tool calls loaded the MCP client SDK.
    const coldPackages = packagesIn(coldList);
    expect(coldPackages).toContain('@modelcontextprotocol/sdk');

    const warmList = path.join(home, 'warm.txt');
    const warm = await run(warmList);
    expect(warm.code, warm.stderr).toBe(0);
    expect(warm.stdout).toMatch(/(\d+) tools: \1 cached, 0 called\. Served from cache\./);
    const warmPackages = packagesIn(warmList);
    // What the run does use was recorded: the CLI parser, the SQLite cache and run log, the logger.
    for (const used of ['commander', '@keyv/sqlite', 'sqlite3', 'pino', 'zod']) expect(warmPackages).toContain(used);
    expect(NOT_ON_A_WARM_RUN.filter((name) => warmPackages.has(name))).toEqual([]);
    // Nor any of our own modules that exist only for them (a pure helper such as charts/source-label may load).
    const ours = fs
      .readFileSync(warmList, 'utf8')
      .split('\n')
      .filter((url) => url.includes('/src/') && !url.includes('/node_modules/'))
      .map((url) => url.slice(url.indexOf('/src/') + 1));
    expect(ours).toContain('src/cli.ts');
    expect(ours.filter((f) => OWN_HEAVY.test(f))).toEqual([]);
  }, 120_000);
});
