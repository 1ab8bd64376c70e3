/**
 * Load on use in the data server: with every live source on (SEC, Stooq) and a shared SEC limit through Redis, the
 * server answers `tools/list` without having loaded the Redis client, rate-limiter-flexible, the Form 4 XML reader or
 * the Stooq CSV reader; the first insider and Stooq price calls load them and answer from the stand-ins. Read from the
 * list of modules the real server process loaded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.js';
import { serverEntryPath } from '../../src/mcp-server/entry.js';
import type { InsiderTransactions, PriceHistoryResult } from '../../src/mcp-server/shapes.js';
import { liveEnv } from '../helpers/live-env.js';
import { type PriceStandIn, startPriceStandIn } from '../helpers/price-stand-in.js';
import { freePort } from '../helpers/redis-server.js';
import { type SecStandIn, startSecStandIn } from '../helpers/sec-stand-in.js';

/** Packages the server needs only for an upstream request, a Form 4 or a Stooq answer. */
const ON_FIRST_USE = ['@keyv/redis', '@redis/client', 'rate-limiter-flexible', 'fast-xml-parser', 'csv-parse'];

/** Our modules that load them. */
const OWN_ON_FIRST_USE = [
  'src/tools/redis-client.ts',
  'src/mcp-server/providers/sec-edgar/form4-xml.ts',
  'src/mcp-server/providers/stooq/csv.ts',
];

let sec: SecStandIn;
let prices: PriceStandIn;
let scratch: string;

beforeAll(async () => {
  [sec, prices] = await Promise.all([startSecStandIn(), startPriceStandIn()]);
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-server-lazy-'));
});

afterAll(async () => {
  await Promise.all([sec.close(), prices.close()]);
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** The packages and our own source files among the module URLs in `file`. */
function loaded(file: string): { packages: Set<string>; ours: string[] } {
  const urls = fs.readFileSync(file, 'utf8').split('\n');
  const packages = new Set<string>();
  for (const url of urls) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (m?.[1]) packages.add(m[1]);
  }
  const ours = urls
    .filter((url) => url.includes('/src/') && !url.includes('/node_modules/'))
    .map((url) => url.slice(url.indexOf('/src/') + 1));
  return { packages, ours };
}

describe('the data server loads on use', () => {
  it('lists its tools without the modules of upstream requests, Form 4s and Stooq; the first calls load them', async () => {
    const list = path.join(scratch, 'modules.txt');
    // Nothing listens there: the shared limit falls back to this process, once the first SEC request tries it.
    const redis = `redis://127.0.0.1:${await freePort()}`;
    const env: Record<string, string> = {
      ...liveEnv(sec, prices, { CACHE_URL: redis, DATA_PROVIDERS_PRICES: 'stooq,bundled' }),
      DATA_DIR: path.join(REPO_ROOT, 'data'),
      LOG_LEVEL: 'error',
      MODULE_LIST_FILE: list,
    };
    for (const key of ['PATH', 'HOME', 'TMPDIR']) if (process.env[key]) env[key] = process.env[key] as string;
    const recorder = path.join(REPO_ROOT, 'test', 'helpers', 'module-recorder.mjs');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', '--import', recorder, serverEntryPath],
      cwd: REPO_ROOT,
      env,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'lazy-test', version: '0.0.0' });
    try {
      await client.connect(transport);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('get_insider_transactions');
      const atList = loaded(list);
      // The recorder did record: the server's own entry and the SDK it serves with.
      expect(atList.ours).toContain('src/mcp-server/main.ts');
      expect(atList.packages).toContain('@modelcontextprotocol/sdk');
      expect(ON_FIRST_USE.filter((name) => atList.packages.has(name))).toEqual([]);
      expect(atList.ours.filter((f) => OWN_ON_FIRST_USE.includes(f))).toEqual([]);

      const call = async <T>(name: string) => {
        const result = (await client.callTool({ name, arguments: { ticker: 'NVDA' } })) as CallToolResult;
        expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
        return result.structuredContent as T;
      };
      const insiders = await call<InsiderTransactions>('get_insider_transactions');
      expect(insiders.provenance?.provider).toBe('sec-edgar');
      expect(insiders.transactions.length).toBeGreaterThan(0);
      const history = await call<PriceHistoryResult>('get_price_history');
      expect(history.provenance?.provider).toBe('stooq');
      const afterCalls = loaded(list);
      expect(ON_FIRST_USE.filter((name) => !afterCalls.packages.has(name))).toEqual([]);
      expect(OWN_ON_FIRST_USE.filter((f) => !afterCalls.ours.includes(f))).toEqual([]);
    } finally {
      await client.close();
    }
  }, 60_000);
});
