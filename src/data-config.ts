/**
 * Live data settings: which providers answer each data kind and where they live. Part of `config.ts` (its schema
 * is merged there, and `loadConfig` is still the only reader of the environment); kept apart because the MCP data
 * server is started with exactly these settings ({@link dataSourceEnv}).
 */
import { z } from 'zod';
import { DATA_KINDS, type DataKindName, PROVIDERS_BY_KIND } from './mcp-server/providers/kinds.js';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const url = (def: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? def : v.trim().replace(/\/+$/, '')))
    .pipe(z.url({ protocol: /^https?$/ }));
const positive = (def: number) => z.coerce.number().positive().default(def);
const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

/** `DATA_PROVIDERS_<KIND>` variable names. */
const orderVar = (kind: DataKindName) => `DATA_PROVIDERS_${kind.toUpperCase()}`;

/** The environment variables of live data, as zod fields (merged into `config.ts`'s schema). */
export const dataSourceFields = {
  /** `auto` (live providers that are configured and reachable, then the bundle), `live` (no bundle), `bundled`. */
  DATA_SOURCE: z.enum(['auto', 'live', 'bundled']).default('auto'),
  DATA_PROVIDERS_PROFILE: optionalString,
  DATA_PROVIDERS_STATEMENTS: optionalString,
  DATA_PROVIDERS_PRICES: optionalString,
  DATA_PROVIDERS_CONSENSUS: optionalString,
  DATA_PROVIDERS_NEWS: optionalString,
  DATA_PROVIDERS_INSIDERS: optionalString,
  /** `Name contact@example.com`: SEC's fair-access policy requires it; live SEC is off without it. */
  SEC_USER_AGENT: optionalString,
  SEC_DATA_URL: url('https://data.sec.gov'),
  SEC_WWW_URL: url('https://www.sec.gov'),
  /**
   * Requests per second to SEC (both its hosts together) on average, process-wide, or across instances with Redis
   * (SEC allows 10). In a process up to 10 go at once and any 10 × 1000 / `SEC_MAX_RPS` ms holds at most 10. At most
   * 9: across instances any second may hold `SEC_MAX_RPS` + 1 (one start per 1000 / `SEC_MAX_RPS` ms slot), and at
   * 10 a window of exactly SEC's second would leave no margin.
   */
  SEC_MAX_RPS: positive(9).pipe(z.number().max(9)),
  /** Most Form 4 filings read per insiders answer (the newest, within the 12 months up to the newest one). */
  SEC_FORM4_MAX_FILINGS: int(60, 1).pipe(z.number().max(200)),
  /** Longest wait for a company's Form 4 filings per answer, ms; the rest are fetched in the background. */
  SEC_FORM4_WAIT_MS: int(8000, 0),
  YAHOO_CHART_URL: url('https://query1.finance.yahoo.com'),
  STOOQ_URL: url('https://stooq.com'),
  /** Finnhub API key: turns on the `finnhub` provider (analyst consensus and price targets, company news). */
  FINNHUB_API_KEY: optionalString,
  /** Finnhub's API root (tests, proxies). */
  FINNHUB_URL: url('https://finnhub.io/api/v1'),
  /** Timeout per upstream request attempt, ms. */
  UPSTREAM_TIMEOUT_MS: int(5000, 1),
  /** Retries after the first attempt for upstream 429, 5xx and timeouts. */
  UPSTREAM_RETRIES: int(2, 0),
};

type DataEnv = z.output<z.ZodObject<typeof dataSourceFields>>;

/** Validated live data settings (see `.env.example`). */
export interface DataSourceConfig {
  source: 'auto' | 'live' | 'bundled';
  /** Explicit provider order per kind (`DATA_PROVIDERS_<KIND>`); kinds not set use the default order. */
  order: Partial<Record<DataKindName, string[]>>;
  sec: { userAgent: string | undefined; dataUrl: string; wwwUrl: string; maxRps: number };
  /** Redis (`CACHE_URL`) through which every instance shares the SEC request limit; absent: per process. */
  sharedLimit: { redisUrl: string | undefined };
  /** Live Form 4 reading: most filings per answer, longest wait for them (ms). */
  form4: { maxFilings: number; waitMs: number };
  yahoo: { chartUrl: string };
  stooq: { url: string };
  /** The keyed Finnhub provider: off when `apiKey` is unset. */
  finnhub: { apiKey: string | undefined; url: string };
  upstream: { timeoutMs: number; retries: number };
}

/**
 * Build the {@link DataSourceConfig} from parsed variables (with `CACHE_URL`, validated by `config.ts`), adding a
 * line to `problems` for each unknown provider in a `DATA_PROVIDERS_<KIND>` list.
 */
export function dataSourceConfig(
  e: DataEnv & { CACHE_URL?: string | undefined },
  problems: string[],
): DataSourceConfig {
  return {
    source: e.DATA_SOURCE,
    order: providerOrders(e, problems),
    sec: { userAgent: e.SEC_USER_AGENT, dataUrl: e.SEC_DATA_URL, wwwUrl: e.SEC_WWW_URL, maxRps: e.SEC_MAX_RPS },
    sharedLimit: { redisUrl: e.CACHE_URL },
    form4: { maxFilings: e.SEC_FORM4_MAX_FILINGS, waitMs: e.SEC_FORM4_WAIT_MS },
    yahoo: { chartUrl: e.YAHOO_CHART_URL },
    stooq: { url: e.STOOQ_URL },
    finnhub: { apiKey: e.FINNHUB_API_KEY, url: e.FINNHUB_URL },
    upstream: { timeoutMs: e.UPSTREAM_TIMEOUT_MS, retries: e.UPSTREAM_RETRIES },
  };
}

/**
 * The `DATA_PROVIDERS_<KIND>` orders in `env` (raw variables; blank ones are unset), adding a line to `problems`
 * for each list with a provider that cannot serve its kind. Callable before the rest of the schema has passed, so
 * that these problems are listed with every other.
 */
export function providerOrders(
  env: Partial<Record<string, unknown>>,
  problems: string[],
): Partial<Record<DataKindName, string[]>> {
  const order: Partial<Record<DataKindName, string[]>> = {};
  for (const kind of DATA_KINDS) {
    const name = orderVar(kind);
    const raw = typeof env[name] === 'string' ? (env[name] as string).trim() || undefined : undefined;
    if (raw === undefined) continue;
    const ids = raw
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    const allowed = PROVIDERS_BY_KIND[kind];
    const bad = ids.filter((id) => !allowed.includes(id));
    if (bad.length > 0 || ids.length === 0) {
      problems.push(`${name}: takes a comma-separated list of ${allowed.join(', ')} (got "${raw}")`);
    } else order[kind] = ids;
  }
  return order;
}

/** How each live data variable is written back from the config, for the MCP data server: one per schema field. */
const DATA_ENV: Record<keyof typeof dataSourceFields, (c: DataSourceConfig) => string | undefined> = {
  DATA_SOURCE: (c) => c.source,
  DATA_PROVIDERS_PROFILE: (c) => c.order.profile?.join(','),
  DATA_PROVIDERS_STATEMENTS: (c) => c.order.statements?.join(','),
  DATA_PROVIDERS_PRICES: (c) => c.order.prices?.join(','),
  DATA_PROVIDERS_CONSENSUS: (c) => c.order.consensus?.join(','),
  DATA_PROVIDERS_NEWS: (c) => c.order.news?.join(','),
  DATA_PROVIDERS_INSIDERS: (c) => c.order.insiders?.join(','),
  SEC_USER_AGENT: (c) => c.sec.userAgent,
  SEC_DATA_URL: (c) => c.sec.dataUrl,
  SEC_WWW_URL: (c) => c.sec.wwwUrl,
  SEC_MAX_RPS: (c) => String(c.sec.maxRps),
  SEC_FORM4_MAX_FILINGS: (c) => String(c.form4.maxFilings),
  SEC_FORM4_WAIT_MS: (c) => String(c.form4.waitMs),
  YAHOO_CHART_URL: (c) => c.yahoo.chartUrl,
  STOOQ_URL: (c) => c.stooq.url,
  FINNHUB_API_KEY: (c) => c.finnhub.apiKey,
  FINNHUB_URL: (c) => c.finnhub.url,
  UPSTREAM_TIMEOUT_MS: (c) => String(c.upstream.timeoutMs),
  UPSTREAM_RETRIES: (c) => String(c.upstream.retries),
};

/**
 * The environment that gives the MCP data server exactly these settings: every live data variable (a field added to
 * {@link dataSourceFields} needs its line in `DATA_ENV`, or this does not compile), unset ones left out, and
 * `CACHE_URL` for the shared SEC limit.
 */
export function dataSourceEnv(c: DataSourceConfig): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, write] of Object.entries(DATA_ENV)) {
    const value = write(c);
    if (value !== undefined) env[name] = value;
  }
  if (c.sharedLimit.redisUrl) env.CACHE_URL = c.sharedLimit.redisUrl;
  return env;
}

/**
 * What of each live data setting changes the data server's answers, for the tool cache's key (`src/tools/data-scope.ts`):
 * which sources answer (`DATA_SOURCE`, the per-kind orders, live SEC on, and whether its User-Agent names the contact
 * SEC requires, Finnhub on), where they live (the base URLs) and how much an insiders answer reads (Form 4 filings).
 * `undefined`: the setting changes only pace or patience (rates, timeouts, retries, the Form 4 wait), not answers.
 * Secrets never enter it: the Finnhub key as whether it is set, the User-Agent as on/off. One line per schema field,
 * so a field added to {@link dataSourceFields} must say here whether it changes answers, or this does not compile.
 */
const ANSWER_SETTINGS: Record<keyof typeof dataSourceFields, (c: DataSourceConfig) => unknown> = {
  DATA_SOURCE: (c) => c.source,
  DATA_PROVIDERS_PROFILE: (c) => c.order.profile,
  DATA_PROVIDERS_STATEMENTS: (c) => c.order.statements,
  DATA_PROVIDERS_PRICES: (c) => c.order.prices,
  DATA_PROVIDERS_CONSENSUS: (c) => c.order.consensus,
  DATA_PROVIDERS_NEWS: (c) => c.order.news,
  DATA_PROVIDERS_INSIDERS: (c) => c.order.insiders,
  SEC_USER_AGENT: (c) => (c.sec.userAgent === undefined ? 'off' : namesContact(c.sec.userAgent) ? 'on' : 'no contact'),
  SEC_DATA_URL: (c) => c.sec.dataUrl,
  SEC_WWW_URL: (c) => c.sec.wwwUrl,
  SEC_MAX_RPS: () => undefined,
  SEC_FORM4_MAX_FILINGS: (c) => c.form4.maxFilings,
  SEC_FORM4_WAIT_MS: () => undefined,
  YAHOO_CHART_URL: (c) => c.yahoo.chartUrl,
  STOOQ_URL: (c) => c.stooq.url,
  FINNHUB_API_KEY: (c) => c.finnhub.apiKey !== undefined,
  FINNHUB_URL: (c) => c.finnhub.url,
  UPSTREAM_TIMEOUT_MS: () => undefined,
  UPSTREAM_RETRIES: () => undefined,
};

/**
 * The live data settings that change the data server's answers, by variable name (see `ANSWER_SETTINGS`), unset and
 * answer-neutral ones left out: two configs with equal answer settings get the same answers for the same question.
 * Holds no secret (the Finnhub key appears as `true`, the SEC User-Agent as `on`, `off` or `no contact`).
 * @example answerSettings(config.data) // { DATA_SOURCE: 'bundled', SEC_USER_AGENT: 'off', FINNHUB_API_KEY: false, SEC_DATA_URL: 'https://data.sec.gov', … }
 */
export function answerSettings(c: DataSourceConfig): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [name, read] of Object.entries(ANSWER_SETTINGS)) {
    const value = read(c);
    if (value !== undefined) settings[name] = value;
  }
  return settings;
}

/** The notice given when live SEC data is off for want of a User-Agent. */
export const SEC_OFF_NOTICE =
  'Live SEC EDGAR data is off: set SEC_USER_AGENT to a name and contact e-mail (e.g. "Jane Doe jane@example.com"), as SEC requires, to turn it on.';

/** Whether a User-Agent names a contact e-mail, as SEC's fair-access policy asks (SEC answers 403 otherwise). */
export function namesContact(userAgent: string): boolean {
  return /\S+@\S+\.\S+/.test(userAgent);
}

/** The notice given when `SEC_USER_AGENT` is set but names no contact e-mail. */
export function secAgentNotice(userAgent: string): string {
  return `SEC_USER_AGENT "${userAgent}" names no contact e-mail: SEC refuses such requests (HTTP 403), so SEC EDGAR will fail over to the bundled data; set it to a name and contact e-mail (e.g. "Jane Doe jane@example.com").`;
}

/**
 * One-line notices about live data for the operator at start-up: live SEC off and how to turn it on, or a
 * `SEC_USER_AGENT` without the contact e-mail SEC requires.
 */
export function dataSourceNotices(c: DataSourceConfig): string[] {
  if (c.source === 'bundled') return [];
  if (!c.sec.userAgent) return [SEC_OFF_NOTICE];
  return namesContact(c.sec.userAgent) ? [] : [secAgentNotice(c.sec.userAgent)];
}
