/**
 * Regression: the tool cache ignored the data settings. Tried on issue 12: a cache filled while live SEC was on was
 * still served after SEC was turned off (`DATA_SOURCE=bundled`, or `SEC_USER_AGENT` unset), and the other way round.
 * Our data server's answers are now cached under the fingerprint of the settings they depend on (`dataScope`): a
 * changed setting misses and gets a fresh answer made under it; the same settings again (a restart) hit, with no call
 * to the data server and no upstream request. Real gateways and data server over stdio, against the 127.0.0.1 SEC
 * and price stand-ins, on the SQLite file and on Redis.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../src/config.js';
import type { CompanyProfile } from '../../src/mcp-server/shapes.js';
import { createToolGateway } from '../../src/tools/index.js';
import type { CacheStatus } from '../../src/tools/types.js';
import { liveEnv } from '../helpers/live-env.js';
import { type PriceStandIn, startPriceStandIn } from '../helpers/price-stand-in.js';
import { redisSkipReason, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { type SecStandIn, startSecStandIn } from '../helpers/sec-stand-in.js';

const PROFILE = { server: 'tickerdesk', tool: 'get_company_profile', args: { ticker: 'AAPL' } };

let sec: SecStandIn;
let prices: PriceStandIn;
let redis: TestRedis | undefined;
const redisSkip = redisSkipReason();
const homes: string[] = [];

beforeAll(async () => {
  [sec, prices] = await Promise.all([startSecStandIn(), startPriceStandIn()]);
  if (!redisSkip) redis = await startTestRedis();
});

afterAll(async () => {
  await Promise.all([sec?.close(), prices?.close(), redis?.stop()]);
  for (const home of homes) fs.rmSync(home, { recursive: true, force: true });
});

/** One instance's run: a fresh gateway (and data server) on `config`, asked AAPL's profile once, then closed. */
async function ask(config: Config): Promise<{ cache: CacheStatus; provider?: string; serverCalls: number }> {
  const gateway = await createToolGateway(config);
  try {
    const result = await gateway.call<CompanyProfile>(PROFILE);
    const provider = result.data.provenance?.provider;
    return { cache: result.cache, ...(provider ? { provider } : {}), serverCalls: gateway.stats().serverCalls };
  } finally {
    await gateway.close();
  }
}

const backends = [
  { name: 'the SQLite file', env: () => ({}) },
  { name: 'Redis', env: () => ({ CACHE_URL: redis?.url ?? '' }), skip: redisSkip },
];

describe.each(backends)('the tool cache on $name across data settings', ({ env, skip }) => {
  it.skipIf(skip !== undefined)(
    'misses and answers anew when a setting changes, and hits when it is back',
    async () => {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-data-settings-'));
      homes.push(home);
      const base = { ...liveEnv(sec, prices), TICKERDESK_HOME: home, LOG_LEVEL: 'silent', ...env() };
      const { SEC_USER_AGENT: _off, ...withoutAgent } = base;
      const secOn = loadConfig(base);
      const bundled = loadConfig({ ...base, DATA_SOURCE: 'bundled' });
      const secOff = loadConfig(withoutAgent);

      expect(await ask(secOn)).toEqual({ cache: 'miss', provider: 'sec-edgar', serverCalls: 1 });
      const secRequests = sec.requests.length;
      // SEC turned off two ways: each a miss with the answer its settings give, not the SEC answer cached above.
      expect(await ask(bundled)).toEqual({ cache: 'miss', provider: 'bundled', serverCalls: 1 });
      expect(await ask(secOff)).toEqual({ cache: 'miss', provider: 'bundled', serverCalls: 1 });
      expect(sec.requests.length).toBe(secRequests);
      // Back to each setting (a restart with it): hits on what was made under it, no data server call, no request.
      expect(await ask(loadConfig(base))).toEqual({ cache: 'hit', provider: 'sec-edgar', serverCalls: 0 });
      expect(await ask(loadConfig({ ...base, DATA_SOURCE: 'bundled' }))).toEqual({
        cache: 'hit',
        provider: 'bundled',
        serverCalls: 0,
      });
      expect(sec.requests.length).toBe(secRequests);
    },
  );
});
