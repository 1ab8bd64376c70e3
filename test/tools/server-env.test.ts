/**
 * The MCP data server's environment: every variable it reads reaches it with the value the app was configured with
 * (the server's own config, read from the spawn's environment, equals the app's), nothing else of the app's does (no
 * Slack, Anthropic or metrics secret), and a spawned server acts on a setting given only to `loadConfig` (a price
 * order, a Form 4 bound) — the bench and the tests configure that way, never through `process.env`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_SERVER_VARIABLES, loadConfig, loadDataServerConfig } from '../../src/config.js';
import type { InsiderTransactions, PriceHistory } from '../../src/mcp-server/shapes.js';
import { createToolGateway, dataServerEnv, type ToolGateway, tickerdeskServerSpec } from '../../src/tools/index.js';
import { PROCESS_VARIABLES } from '../../src/tools/server-env.js';
import { liveEnv } from '../helpers/live-env.js';
import { type PriceStandIn, startPriceStandIn } from '../helpers/price-stand-in.js';
import { type SecStandIn, startSecStandIn } from '../helpers/sec-stand-in.js';

/** A value other than the default for each variable the data server reads. */
const SET: Record<(typeof DATA_SERVER_VARIABLES)[number], string> = {
  DATA_DIR: path.join(os.tmpdir(), 'tickerdesk-env-data'),
  MCP_TOOL_LATENCY_MS: '7',
  LOG_LEVEL: 'debug',
  CACHE_URL: 'redis://:pw@127.0.0.1:6390/2',
  DATA_SOURCE: 'live',
  DATA_PROVIDERS_PROFILE: 'sec-edgar',
  DATA_PROVIDERS_STATEMENTS: 'sec-edgar',
  DATA_PROVIDERS_PRICES: 'stooq,bundled',
  DATA_PROVIDERS_CONSENSUS: 'bundled',
  DATA_PROVIDERS_NEWS: 'bundled,sec-edgar',
  DATA_PROVIDERS_INSIDERS: 'bundled',
  SEC_USER_AGENT: 'Env Test env@example.com',
  SEC_DATA_URL: 'http://127.0.0.1:1/data',
  SEC_WWW_URL: 'http://127.0.0.1:1/www',
  SEC_MAX_RPS: '3',
  SEC_FORM4_MAX_FILINGS: '7',
  SEC_FORM4_WAIT_MS: '1234',
  YAHOO_CHART_URL: 'http://127.0.0.1:1/yahoo',
  STOOQ_URL: 'http://127.0.0.1:1/stooq',
  FINNHUB_API_KEY: 'fh-key',
  FINNHUB_URL: 'http://127.0.0.1:1/finnhub',
  UPSTREAM_TIMEOUT_MS: '4321',
  UPSTREAM_RETRIES: '1',
};

const SECRETS = {
  ANTHROPIC_API_KEY: 'sk-ant-secret',
  SLACK_BOT_TOKEN: 'xoxb-secret',
  SLACK_SIGNING_SECRET: 'signing-secret',
  SLACK_APP_TOKEN: 'xapp-secret',
  METRICS_TOKEN: 'metrics-secret',
};

describe("the data server's environment", () => {
  it("passes Node's extra certificate authorities from the process, and no other process variable", () => {
    const config = loadConfig({ ...SET, TICKERDESK_HOME: os.tmpdir() });
    const processEnv = {
      NODE_EXTRA_CA_CERTS: '/etc/ssl/in-house-ca.pem',
      HTTPS_PROXY: 'http://proxy.internal:3128',
      SLACK_BOT_TOKEN: 'xoxb-secret',
    };
    const env = dataServerEnv(config, processEnv);
    expect(env.NODE_EXTRA_CA_CERTS).toBe('/etc/ssl/in-house-ca.pem');
    expect(env).not.toHaveProperty('HTTPS_PROXY');
    expect(env).not.toHaveProperty('SLACK_BOT_TOKEN');
    expect(dataServerEnv(config, {})).not.toHaveProperty('NODE_EXTRA_CA_CERTS');
  });

  it('carries every variable the server reads, with the value the app was configured with', () => {
    const config = loadConfig({ ...SET, ...SECRETS, TICKERDESK_HOME: os.tmpdir() });
    const env = tickerdeskServerSpec(config).env ?? {};
    const own = Object.keys(env).filter((name) => !(PROCESS_VARIABLES as readonly string[]).includes(name));
    expect(own.sort()).toEqual([...DATA_SERVER_VARIABLES].sort());
    for (const name of DATA_SERVER_VARIABLES) expect(env[name], name).toBe(SET[name]);
    // The server, reading that environment, has the app's settings.
    const server = loadDataServerConfig(env);
    expect(server.data).toEqual(config.data);
    expect({ dataDir: server.dataDir, latencyMs: server.latencyMs, logLevel: server.logLevel }).toEqual({
      dataDir: config.dataDir,
      latencyMs: config.tools.latencyMs,
      logLevel: config.logLevel,
    });
    for (const secret of Object.values(SECRETS)) expect(JSON.stringify(env)).not.toContain(secret);
  });

  it('leaves unset settings out, so the server applies the same defaults', () => {
    const config = loadConfig({ TICKERDESK_HOME: os.tmpdir() });
    const env = tickerdeskServerSpec(config).env ?? {};
    for (const name of ['SEC_USER_AGENT', 'FINNHUB_API_KEY', 'CACHE_URL', 'DATA_PROVIDERS_PRICES']) {
      expect(env[name], name).toBeUndefined();
    }
    expect(loadDataServerConfig(env).data).toEqual(config.data);
  });
});

describe('a spawned data server', () => {
  let sec: SecStandIn;
  let prices: PriceStandIn;
  let home: string;
  let gateway: ToolGateway;

  beforeAll(async () => {
    [sec, prices] = await Promise.all([startSecStandIn({ limitPerSecond: 10_000 }), startPriceStandIn()]);
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-server-env-'));
    const config = loadConfig(
      liveEnv(sec, prices, {
        TICKERDESK_HOME: home,
        DATA_PROVIDERS_PRICES: 'stooq,bundled',
        SEC_FORM4_MAX_FILINGS: '2',
        SEC_FORM4_WAIT_MS: '60000',
      }),
    );
    gateway = await createToolGateway(config);
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([sec?.close(), prices?.close()]);
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('acts on settings given only to loadConfig: the price order and the Form 4 bound', async () => {
    expect(process.env.DATA_PROVIDERS_PRICES).toBeUndefined();
    const history = await gateway.call<PriceHistory>({
      server: 'tickerdesk',
      tool: 'get_price_history',
      args: { ticker: 'NVDA' },
    });
    expect(history.data.provenance).toMatchObject({ provider: 'stooq', live: true });
    expect(prices.requests.map((r) => r.path).filter((p) => p.includes('/v8/finance/chart/'))).toEqual([]);
    const insiders = await gateway.call<InsiderTransactions>({
      server: 'tickerdesk',
      tool: 'get_insider_transactions',
      args: { ticker: 'NVDA' },
    });
    expect(insiders.data.provenance?.provider).toBe('sec-edgar');
    expect(sec.form4Requests()).toHaveLength(2);
  });
});
