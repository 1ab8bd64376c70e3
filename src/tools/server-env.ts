/**
 * The environment our MCP data server is spawned with: exactly the variables it reads (`DATA_SERVER_VARIABLES` in
 * `src/config.ts`, its config schema's fields and `LOG_LEVEL`), each written from the app's {@link Config}, on top of
 * the MCP SDK's minimal safe environment (PATH, HOME, USER, SHELL, TERM, LOGNAME).
 *
 * An allow-list written from the config, not the parent's environment minus secrets: the config is where the
 * settings are (the bench, the tests and `loadConfig(env)` callers configure a run without touching `process.env`,
 * and a variable set in the shell is in the config too), and nothing the server does not read reaches it — no Slack or
 * Anthropic token, no metrics or page token. The one secret it gets is `FINNHUB_API_KEY` (and `CACHE_URL`, which may
 * hold a Redis password), because it uses them. A variable added to the server's schema must be written here (or in
 * `dataSourceEnv` for the live data settings) for this to compile.
 *
 * One variable comes from the process, not the config: `NODE_EXTRA_CA_CERTS`, the extra certificate authorities Node
 * trusts for HTTPS. It is read by Node itself when a process starts, so the data server — the process that talks to
 * SEC and the price providers — needs it to reach a proxy or mirror whose certificate an in-house CA signed.
 */
import type { Config, DataServerVariable } from '../config.js';
import { dataSourceEnv, type dataSourceFields } from '../data-config.js';

/** How the server's own variables are written (the live data settings and `CACHE_URL`: by `dataSourceEnv`). */
const SERVER_ENV: Record<
  Exclude<DataServerVariable, keyof typeof dataSourceFields | 'CACHE_URL'>,
  (config: Config) => string | undefined
> = {
  DATA_DIR: (c) => c.dataDir,
  MCP_TOOL_LATENCY_MS: (c) => String(c.tools.latencyMs),
  LOG_LEVEL: (c) => c.logLevel,
};

/** Variables Node reads at start-up that the data server needs to reach the providers (see the module comment). */
export const PROCESS_VARIABLES = ['NODE_EXTRA_CA_CERTS'] as const;

/**
 * The variables that give the MCP data server the settings of `config` (see the module comment): `DATA_DIR`,
 * `MCP_TOOL_LATENCY_MS`, `LOG_LEVEL`, `CACHE_URL` when set, and every live data setting (`DATA_SOURCE`,
 * `DATA_PROVIDERS_*`, `SEC_*`, `YAHOO_CHART_URL`, `STOOQ_URL`, `FINNHUB_*`, `UPSTREAM_*`); unset ones left out.
 * Plus {@link PROCESS_VARIABLES} as `processEnv` has them (default: this process's environment).
 */
export function dataServerEnv(config: Config, processEnv: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PROCESS_VARIABLES) {
    const value = processEnv[name];
    if (value) env[name] = value;
  }
  for (const [name, write] of Object.entries(SERVER_ENV)) {
    const value = write(config);
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...dataSourceEnv(config.data) };
}
