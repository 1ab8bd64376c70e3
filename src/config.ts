/**
 * Configuration: the only reader of `process.env`. A zod schema with defaults; every problem is reported at once
 * as a {@link ConfigError}. Front ends call {@link loadConfig} once and pass the result down.
 */
import path from 'node:path';
import { z } from 'zod';
import { type DataSourceConfig, dataSourceConfig, dataSourceFields, providerOrders } from './data-config.js';
import { ConfigError } from './errors.js';
import { DEFAULT_ALERT_LIMITS } from './metrics/alert-rules.js';
import { printable } from './printable.js';
import { normalizeTicker } from './tickers.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** A comma- or space-separated list of Slack ids each matching `pattern`; unset or empty: `[]`. */
const slackIdList = (pattern: RegExp, what: string, example: string) =>
  optionalString
    .refine((v) => v === undefined || v.split(/[\s,]+/).every((id) => pattern.test(id)), {
      message: `must be ${what} separated by commas, e.g. ${example}`,
    })
    .transform((v) => (v ? v.split(/[\s,]+/) : []));

/** Whether `v` is a Redis URL the client can use: `redis://…` or `rediss://…` with a host. */
function isRedisUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'redis:' || u.protocol === 'rediss:') && u.hostname !== '';
  } catch {
    return false;
  }
}
const redisUrl = optionalString.refine((v) => v === undefined || isRedisUrl(v), {
  message: 'must be redis://host:port or rediss://host:port',
});

/** Prices per million tokens, USD. @default claude-sonnet-4-6 list prices. */
const priceTable = z.object({
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
  cacheWritePerMTok: z.number().nonnegative(),
  cacheReadPerMTok: z.number().nonnegative(),
});

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const logLevel = z.preprocess(
  (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim().toLowerCase()) : v),
  z.enum(LOG_LEVELS).default('info'),
);

const schema = z.object({
  /** Folder for local state (cache, run log). @default `.tickerdesk` in the working directory */
  TICKERDESK_HOME: z.string().default('.tickerdesk'),
  /** SQLite file of the tool cache. @default `$TICKERDESK_HOME/cache.sqlite` */
  CACHE_PATH: optionalString,
  /**
   * `redis://host:port` (or `rediss://`) switches the tool cache, run de-duplication and the run log to Redis, shared
   * by every instance that uses it.
   */
  CACHE_URL: redisUrl,
  /** Bound on one tool-cache operation (a read, a write, a Redis command), ms; a slower one is a miss, no more. */
  CACHE_OP_TIMEOUT_MS: int(1000, 1),
  /** Bound on connecting to Redis (`CACHE_URL`), ms; a connection not made by then is "unreachable". */
  CACHE_CONNECT_TIMEOUT_MS: int(1000, 1),
  /** Compression of large tool-cache entries (SQLite and Redis): `brotli`, `gzip` or `none`. */
  CACHE_COMPRESSION: z.enum(['brotli', 'gzip', 'none']).default('brotli'),
  /** Entries whose JSON is shorter than this many bytes are stored uncompressed. */
  CACHE_COMPRESS_MIN_BYTES: int(1024, 0),
  /** SQLite file of run records (with `CACHE_URL` they are on Redis). @default `$TICKERDESK_HOME/metrics.sqlite` */
  METRICS_PATH: optionalString,
  /** Records of runs started longer ago than this many days are removed at start-up. */
  RUN_LOG_RETENTION_DAYS: int(90, 1),
  /** Folder of the bundled data set. @default `data` next to `src` */
  DATA_DIR: optionalString,
  /**
   * Max tool calls in flight across all runs. High, because a call to our data server mostly waits on an upstream
   * host that the server paces itself (SEC's 10 a second): with 8, eight calls waiting there starved SEC's queue in a
   * burst of runs (the live bench's 100 runs took 1.7× what SEC's rate allows at 8 a second).
   */
  TOOL_CONCURRENCY: int(64, 1),
  /** Timeout per tool call attempt, ms. */
  TOOL_TIMEOUT_MS: int(15_000, 1),
  /** Retries after the first attempt for transient tool failures. */
  TOOL_RETRIES: int(2, 0),
  /** Smart prefetch: peers fetched in the background after a report (the Slack app); 0 turns it off. */
  PREFETCH_PEERS: int(3, 0),
  /** Most background tool calls (smart prefetch) in flight at once; each also takes a TOOL_CONCURRENCY slot. */
  BACKGROUND_CONCURRENCY: int(2, 1),
  /** Extra MCP servers as JSON: `{"name": {"command": "...", "args": [...], "env": {...}}}`. */
  MCP_SERVERS: optionalString,
  /**
   * The MCP tools a follow-up answer may use, per server, as JSON: `{"tickerdesk": ["get_company_profile", …],
   * "filings": ["search_filings"]}`. A server not named keeps its default: the data server's read-only tools, none for
   * the others.
   */
  FOLLOW_UP_TOOLS: optionalString,
  /** Latency injected in every MCP tool handler, ms (benchmarks only). */
  MCP_TOOL_LATENCY_MS: int(0, 0),
  /** `template`, `claude`, or `auto` (claude when ANTHROPIC_API_KEY is set). */
  WRITER: z.enum(['auto', 'template', 'claude']).default('auto'),
  ANTHROPIC_API_KEY: optionalString,
  /** Overrides the Anthropic API base URL (tests, proxies). No `/v1`. */
  ANTHROPIC_BASE_URL: optionalString,
  ANTHROPIC_MODEL: z.string().default('claude-sonnet-4-6'),
  /** Overall deadline per LLM-written section, ms; then the template writer takes over. */
  SECTION_DEADLINE_MS: int(90_000, 1),
  /** A Claude stream that sends nothing (not even a ping) for this long is ended as stalled, ms. */
  ANTHROPIC_IDLE_TIMEOUT_MS: int(15_000, 1),
  /** After Claude fails, later runs of this process use the template writer for this long, then try Claude again, ms. */
  ANTHROPIC_COOL_OFF_MS: int(60_000, 0),
  /** JSON price table, USD per million tokens. */
  ANTHROPIC_PRICES: optionalString,
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  /** Set → Socket Mode (development); unset → HTTP receiver on PORT (production). */
  SLACK_APP_TOKEN: optionalString,
  /** Overrides the Slack Web API base URL, e.g. `http://127.0.0.1:4000/api/`. */
  SLACK_API_URL: optionalString,
  /**
   * Install in many workspaces (OAuth): the app's Client ID, Client Secret (Basic Information → App Credentials)
   * and a secret that signs the install's `state`. All three set → OAuth mode instead of `SLACK_BOT_TOKEN`.
   */
  SLACK_CLIENT_ID: optionalString,
  SLACK_CLIENT_SECRET: optionalString,
  SLACK_STATE_SECRET: optionalString,
  /** In OAuth mode: 32 random bytes, base64 or hex, that encrypt the stored installations (AES-256-GCM). */
  SLACK_TOKEN_ENCRYPTION_KEY: optionalString,
  /** HTTP port of the Slack receiver: 0 (any free port) to 65535. */
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /** Runs one Slack user may start per minute. */
  SLACK_RUNS_PER_USER_PER_MINUTE: int(5, 1),
  /** Stream LLM sections with chat.startStream/appendStream/stopStream instead of chat.update. */
  SLACK_STREAMING: bool.default(false),
  /**
   * The app is declared as an agent in Slack: a run's thread is an agent session, `processing` while the run works
   * (Slack shows its own Stop button, answered by the `agent_session_stopped` event) and `active` after.
   */
  SLACK_AGENT_SESSIONS: bool.default(false),
  /**
   * Slack user ids (`U…`/`W…`) and user-group ids (`S…`), comma- or space-separated, who may use admin commands and
   * cancel anyone's run (the requester may always cancel their own). Empty: everyone may use admin commands.
   */
  ADMIN_USERS: slackIdList(/^[UWS][A-Z0-9]{2,}$/, 'Slack user or user-group ids', 'U012ABCDEF,S034GHIJKL'),
  /** Slack user ids and user-group ids who may run research. Empty: everyone. */
  ALLOWED_USERS: slackIdList(/^[UWS][A-Z0-9]{2,}$/, 'Slack user or user-group ids', 'U012ABCDEF,S034GHIJKL'),
  /** Slack channel ids (`C…`/`G…`) research may run in (direct messages with the bot always). Empty: everywhere. */
  ALLOWED_CHANNELS: slackIdList(/^[CG][A-Z0-9]{2,}$/, 'Slack channel ids', 'C012ABCDEF,C034GHIJKL'),
  /** Port of the Prometheus `/metrics` server in Socket Mode (the HTTP app serves it on PORT); unset: none. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /** Bearer token `/metrics` requires when set. */
  METRICS_TOKEN: optionalString,
  /** Token the live performance page (`GET /perf`) requires; unset: `METRICS_TOKEN` (unset too: the page is open). */
  PERF_PAGE_TOKEN: optionalString,
  /** Refresh the cache for the most requested tickers after each US close, in the Slack app process. */
  PREWARM_ENABLED: bool.default(true),
  /** How many of the most requested tickers (run records, last 30 days) the prewarm refreshes. */
  PREWARM_TOP_N: int(50, 0),
  /** Tickers the prewarm always refreshes, comma-separated (`NVDA,AAPL`). */
  PREWARM_TICKERS: optionalString,
  /** Most tool calls the prewarm starts per second (on top of the upstream limits and the background lane). */
  PREWARM_CALLS_PER_SECOND: int(4, 1),
  /** Post each channel's watchlist digest after the prewarm at the US close. */
  WATCHLIST_DIGEST: bool.default(true),
  /** Most tickers one channel's watchlist holds (each is one line of the digest; a Slack message has 50 blocks). */
  WATCHLIST_MAX_TICKERS: int(20, 1).pipe(z.number().max(40)),
  /** Slack channel id alerts are posted to (at most once an hour per kind); unset: alerts are logged only. */
  ALERT_CHANNEL: optionalString.refine((v) => v === undefined || /^[CGD][A-Z0-9]{2,}$/.test(v), {
    message: 'must be a Slack channel id, e.g. C012ABCDEF',
  }),
  /** In OAuth mode: the workspace (team id, `T…`) `ALERT_CHANNEL` is in; its installation posts the alerts. */
  ALERT_TEAM_ID: optionalString.refine((v) => v === undefined || /^T[A-Z0-9]{2,}$/.test(v), {
    message: 'must be a Slack team id, e.g. T012ABCDEF',
  }),
  /** A run longer than this alerts, ms. */
  ALERT_RUN_MS: int(DEFAULT_ALERT_LIMITS.runMs, 1),
  /** A time to first output longer than this alerts, ms. */
  ALERT_FIRST_OUTPUT_MS: int(DEFAULT_ALERT_LIMITS.firstOutputMs, 1),
  /** Any single stage or tool call longer than this alerts, ms. */
  ALERT_OPERATION_MS: int(DEFAULT_ALERT_LIMITS.operationMs, 1),
  /** A cache hit rate under this percentage over the last 20 runs with tool calls alerts. */
  ALERT_HIT_RATE_PERCENT: z.coerce
    .number()
    .int()
    .min(0)
    .max(100)
    .default(Math.round(DEFAULT_ALERT_LIMITS.hitRate * 100)),
  LOG_LEVEL: logLevel,
  ...dataSourceFields,
});

/** Validated configuration. Paths are absolute. */
export interface Config {
  home: string;
  cachePath: string;
  cacheUrl: string | undefined;
  /** Bounds of the tool cache, ms: one operation (`CACHE_OP_TIMEOUT_MS`) and connecting to Redis (`CACHE_CONNECT_TIMEOUT_MS`). */
  cacheTimeouts: { opMs: number; connectMs: number };
  /**
   * Compression of tool-cache entries (`CACHE_COMPRESSION`, default `brotli`) and the JSON size under which an entry
   * is stored as it is (`CACHE_COMPRESS_MIN_BYTES`, bytes, default 1024).
   */
  cacheCompression: { algorithm: 'brotli' | 'gzip' | 'none'; minBytes: number };
  metricsPath: string;
  /** SQLite file of Slack installations (OAuth mode), used when `cacheUrl` is unset: `$TICKERDESK_HOME/installations.sqlite`. */
  installationsPath: string;
  /** SQLite file of report threads' context (follow-up questions), used when `cacheUrl` is unset: `$TICKERDESK_HOME/threads.sqlite`. */
  threadsPath: string;
  /** Run records older than this are removed at start-up, days. @default 90 */
  runLogRetentionDays: number;
  dataDir: string;
  tools: {
    concurrency: number;
    timeoutMs: number;
    retries: number;
    latencyMs: number;
    /** Most background calls in flight at once. */
    backgroundConcurrency: number;
    /** Peers fetched in the background after a report (0: no smart prefetch). */
    prefetchPeers: number;
  };
  /** Extra MCP servers to mount, by name. */
  mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string> }>;
  /**
   * The MCP tools follow-up answers may use, by server name (`FOLLOW_UP_TOOLS`); only the servers named there. The
   * data server's default list, when it is not named, is the conversation layer's (`followUpAllowList`).
   */
  followUpTools: Record<string, string[]>;
  writer: 'auto' | 'template' | 'claude';
  anthropic: {
    apiKey: string | undefined;
    baseUrl: string | undefined;
    model: string;
    sectionDeadlineMs: number;
    /** No byte from a stream for this long ends the call as stalled, ms. */
    idleTimeoutMs: number;
    /** How long the process leaves Claude alone after a failure, ms (0: each run tries again). */
    coolOffMs: number;
    prices: z.infer<typeof priceTable>;
  };
  slack: {
    botToken: string | undefined;
    signingSecret: string | undefined;
    appToken: string | undefined;
    apiUrl: string | undefined;
    port: number;
    runsPerUserPerMinute: number;
    streaming: boolean;
    /**
     * Slack user and user-group ids who may use admin commands and cancel any run (`ADMIN_USERS`); empty: everyone
     * may use admin commands, only requesters cancel their own runs.
     */
    adminUsers: string[];
    /** Slack user and user-group ids who may run research (`ALLOWED_USERS`); empty: everyone. */
    allowedUsers: string[];
    /** Slack channel ids research may run in (`ALLOWED_CHANNELS`); empty: everywhere. */
    allowedChannels: string[];
    /** Runs are agent sessions with Slack's own Stop (`SLACK_AGENT_SESSIONS`). */
    agentSessions: boolean;
    /** Set → OAuth mode: installed in many workspaces, each answered with its own bot token (`SLACK_CLIENT_ID` …). */
    oauth: SlackOAuthConfig | undefined;
  };
  /**
   * Prometheus `/metrics`: `port` is the Socket Mode server's (unset: no server; the HTTP app serves `/metrics` on
   * `slack.port`), `token` the bearer token it requires when set.
   */
  /** `/metrics` and the live performance page: Socket Mode's port, `/metrics`' token, `/perf`'s token (or `token`). */
  prometheus: { port: number | undefined; token: string | undefined; perfToken: string | undefined };
  /**
   * The prewarm after the US close (`src/ops/prewarm/`): on in the Slack app unless `PREWARM_ENABLED=false`; the
   * `topN` most requested tickers plus `tickers`, at most `callsPerSecond` tool calls started a second.
   */
  prewarm: { enabled: boolean; topN: number; tickers: string[]; callsPerSecond: number };
  /**
   * Channel watchlists (`/research-stock watch …`, `src/watchlists/`) and their digest after the prewarm at the US
   * close (`digest`: `WATCHLIST_DIGEST`); at most `maxTickers` per channel. Kept in `path` (SQLite), or in Redis with
   * `cacheUrl`.
   */
  watchlists: { path: string; digest: boolean; maxTickers: number };
  /**
   * Alerts after each finished run (`src/ops/alerts.ts`): posted to `channel` when set, else only logged; thresholds
   * in ms, `hitRate` 0–1.
   */
  alerts: {
    channel: string | undefined;
    /** The workspace of `channel` in OAuth mode (`ALERT_TEAM_ID`). */
    team: string | undefined;
    runMs: number;
    firstOutputMs: number;
    operationMs: number;
    hitRate: number;
  };
  logLevel: string;
  /** Live data providers and their settings (`src/data-config.ts`). */
  data: DataSourceConfig;
}

/** The OAuth install (`SLACK_CLIENT_ID`, `SLACK_CLIENT_SECRET`, `SLACK_STATE_SECRET`, `SLACK_TOKEN_ENCRYPTION_KEY`). */
export interface SlackOAuthConfig {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  /** The AES-256 key installations are sealed with: 32 bytes. */
  tokenKey: Buffer;
}

/** 32 bytes given as base64 (44 characters, or 43 without `=`) or hex (64 characters); else undefined. */
function aesKey(raw: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(raw)) return Buffer.from(raw, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(raw)) {
    const key = Buffer.from(raw, raw.includes('-') || raw.includes('_') ? 'base64url' : 'base64');
    return key.length === 32 ? key : undefined;
  }
  return undefined;
}

const OAUTH_VARS = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;

/**
 * The OAuth install's settings when any of its variables is set, each missing or malformed one a problem: all three
 * of `OAUTH_VARS`, and a 32-byte `SLACK_TOKEN_ENCRYPTION_KEY` (tokens are never stored in plain text).
 */
function slackOAuth(env: NodeJS.ProcessEnv, problems: string[]): SlackOAuthConfig | undefined {
  const e = Object.fromEntries(
    [...OAUTH_VARS, 'SLACK_TOKEN_ENCRYPTION_KEY'].map((name) => [name, env[name]?.trim() || undefined]),
  ) as Record<(typeof OAUTH_VARS)[number] | 'SLACK_TOKEN_ENCRYPTION_KEY', string | undefined>;
  const given = OAUTH_VARS.filter((name) => e[name] !== undefined);
  if (given.length === 0) return undefined;
  for (const name of OAUTH_VARS)
    if (e[name] === undefined)
      problems.push(
        `${name}: required with ${given.join(' and ')} for the install in many workspaces (OAuth); set all three of ${OAUTH_VARS.join(', ')}, or none`,
      );
  const raw = e.SLACK_TOKEN_ENCRYPTION_KEY;
  const tokenKey = raw === undefined ? undefined : aesKey(raw);
  if (raw === undefined)
    problems.push(
      'SLACK_TOKEN_ENCRYPTION_KEY: required in OAuth mode: each workspace’s bot token is stored encrypted with it. Generate one with `openssl rand -base64 32`',
    );
  else if (!tokenKey)
    problems.push(
      'SLACK_TOKEN_ENCRYPTION_KEY: must be 32 random bytes as base64 (44 characters) or hex (64 characters); generate one with `openssl rand -base64 32`',
    );
  if (given.length < OAUTH_VARS.length || !tokenKey) return undefined;
  return {
    clientId: e.SLACK_CLIENT_ID as string,
    clientSecret: e.SLACK_CLIENT_SECRET as string,
    stateSecret: e.SLACK_STATE_SECRET as string,
    tokenKey,
  };
}

const DEFAULT_PRICES = { inputPerMTok: 3, outputPerMTok: 15, cacheWritePerMTok: 3.75, cacheReadPerMTok: 0.3 };
/** Names Anthropic accepts for a tool (a mounted server's tools are offered as `server__tool`). */
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const followUpToolsSchema = z.record(
  z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'a server name of letters, digits, _ and - (at most 32)'),
  z.array(z.string().regex(TOOL_NAME, 'tool names of letters, digits, _ and - (at most 64)')),
);

const mcpServersSchema = z.record(
  z.string(),
  z.object({
    command: z.string(),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).optional(),
  }),
);

/** `env` without its blank variables (empty or only spaces): a blank variable counts as unset, for every setting. */
function withoutBlanks(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
}

/** Whether the variable `name` of `fields` takes whole numbers only (its schema refuses 1.5 as not an integer). */
function wholeNumbersOnly(fields: Record<string, z.ZodType>, name: string): boolean {
  const issues = fields[name]?.safeParse('1.5').error?.issues ?? [];
  return issues.some((i) => i.code === 'invalid_type' && i.expected === 'int');
}

/**
 * One schema problem in plain words, naming the variable and the value it had, e.g. `PORT: must be a whole number
 * (got "abc")`; `fields` (the schema's shape) tells a whole-number variable from one that takes fractions
 * (`SEC_MAX_RPS: must be a number (got "abc")`).
 */
function describeIssue(issue: z.core.$ZodIssue, env: NodeJS.ProcessEnv, fields: Record<string, z.ZodType>): string {
  const name = issue.path.join('.');
  const raw = env[name];
  const got = raw === undefined ? '' : ` (got "${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw}")`;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return `${name}: must be a whole number${got}`;
      if (issue.expected === 'number') {
        return `${name}: must be ${wholeNumbersOnly(fields, name) ? 'a whole number' : 'a number'}${got}`;
      }
      return `${name}: must be ${issue.expected === 'string' ? 'text' : `a ${issue.expected}`}${got}`;
    case 'too_small':
      // An exclusive bound (`positive()`: more than 0) is not reached by the bound itself.
      return `${name}: must be ${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}${got}`;
    case 'too_big':
      return `${name}: must be ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}${got}`;
    case 'invalid_value':
      // An empty choice (a blank yes/no setting counts as unset) is no word a person would write.
      return `${name}: must be one of ${issue.values
        .map((v) => String(v))
        .filter((v) => v !== '')
        .join(', ')}${got}`;
    case 'invalid_format':
      return `${name}: is not in the expected format${got}`;
    default:
      return `${name}: ${issue.message}${got}`;
  }
}

/** The repository root (one level above `src/`). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..');

function parseJson<T>(raw: string | undefined, name: string, s: z.ZodType<T>, problems: string[]): T | undefined {
  if (raw === undefined) return undefined;
  try {
    const r = s.safeParse(JSON.parse(raw));
    if (r.success) return r.data;
    problems.push(`${name}: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  } catch {
    problems.push(`${name}: not valid JSON`);
  }
  return undefined;
}

/** A comma- or space-separated list of tickers, normalised (`nvda, $brk.b` → `NVDA`, `BRK.B`); each bad one a problem. */
function tickerList(raw: string | undefined, name: string, problems: string[]): string[] {
  const tickers: string[] = [];
  for (const word of (raw ?? '').split(/[\s,]+/).filter((w) => w !== '')) {
    try {
      tickers.push(normalizeTicker(word));
    } catch {
      problems.push(`${name}: "${printable(word.slice(0, 20))}" is not a ticker symbol (give e.g. NVDA,AAPL,BRK.B)`);
    }
  }
  return [...new Set(tickers)];
}

/**
 * Read and validate configuration from `env` (default `process.env`).
 * @throws ConfigError listing every problem at once.
 */
export function loadConfig(given: NodeJS.ProcessEnv = process.env): Config {
  const env = withoutBlanks(given);
  const parsed = schema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) for (const issue of parsed.error.issues) problems.push(describeIssue(issue, env, schema.shape));
  // The JSON variables are checked even when others failed, so that every problem is listed at once.
  const mcpServers = parseJson(env.MCP_SERVERS, 'MCP_SERVERS', mcpServersSchema, problems) ?? {};
  const prices = parseJson(env.ANTHROPIC_PRICES, 'ANTHROPIC_PRICES', priceTable, problems) ?? DEFAULT_PRICES;
  // So are the provider orders (DATA_PROVIDERS_<KIND>).
  const order = providerOrders(env, problems);
  const prewarmTickers = tickerList(env.PREWARM_TICKERS, 'PREWARM_TICKERS', problems);
  const followUpTools = parseJson(env.FOLLOW_UP_TOOLS, 'FOLLOW_UP_TOOLS', followUpToolsSchema, problems) ?? {};
  for (const [server, tools] of Object.entries(followUpTools)) {
    if (server !== 'tickerdesk' && !(server in mcpServers)) {
      problems.push(
        `FOLLOW_UP_TOOLS: "${printable(server)}" is not a mounted MCP server (tickerdesk, or a name in MCP_SERVERS)`,
      );
      continue;
    }
    const long = server === 'tickerdesk' ? [] : tools.filter((t) => !TOOL_NAME.test(`${server}__${t}`));
    if (long.length > 0)
      problems.push(`FOLLOW_UP_TOOLS: ${server}__${long[0]} is longer than the 64 characters a tool name may have`);
  }
  const oauth = slackOAuth(env, problems);
  if (!parsed.success) throw new ConfigError(problems);
  const e = parsed.data;
  if (e.WRITER === 'claude' && !e.ANTHROPIC_API_KEY) problems.push('WRITER=claude needs ANTHROPIC_API_KEY');
  const data = { ...dataSourceConfig(e, []), order };
  if (oauth && e.ALERT_CHANNEL && !e.ALERT_TEAM_ID)
    problems.push(
      'ALERT_TEAM_ID: required with ALERT_CHANNEL in OAuth mode: the team id (T…) of the alert channel’s workspace',
    );
  if (problems.length > 0) throw new ConfigError(problems);
  const home = path.resolve(e.TICKERDESK_HOME);
  return {
    home,
    cachePath: path.resolve(e.CACHE_PATH ?? path.join(home, 'cache.sqlite')),
    cacheUrl: e.CACHE_URL,
    cacheTimeouts: { opMs: e.CACHE_OP_TIMEOUT_MS, connectMs: e.CACHE_CONNECT_TIMEOUT_MS },
    cacheCompression: { algorithm: e.CACHE_COMPRESSION, minBytes: e.CACHE_COMPRESS_MIN_BYTES },
    metricsPath: path.resolve(e.METRICS_PATH ?? path.join(home, 'metrics.sqlite')),
    threadsPath: path.join(home, 'threads.sqlite'),
    installationsPath: path.join(home, 'installations.sqlite'),
    runLogRetentionDays: e.RUN_LOG_RETENTION_DAYS,
    dataDir: path.resolve(e.DATA_DIR ?? path.join(REPO_ROOT, 'data')),
    tools: {
      concurrency: e.TOOL_CONCURRENCY,
      timeoutMs: e.TOOL_TIMEOUT_MS,
      retries: e.TOOL_RETRIES,
      latencyMs: e.MCP_TOOL_LATENCY_MS,
      backgroundConcurrency: e.BACKGROUND_CONCURRENCY,
      prefetchPeers: e.PREFETCH_PEERS,
    },
    mcpServers: mcpServers as Config['mcpServers'],
    followUpTools,
    writer: e.WRITER,
    anthropic: {
      apiKey: e.ANTHROPIC_API_KEY,
      baseUrl: e.ANTHROPIC_BASE_URL,
      model: e.ANTHROPIC_MODEL,
      sectionDeadlineMs: e.SECTION_DEADLINE_MS,
      idleTimeoutMs: e.ANTHROPIC_IDLE_TIMEOUT_MS,
      coolOffMs: e.ANTHROPIC_COOL_OFF_MS,
      prices,
    },
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      port: e.PORT,
      runsPerUserPerMinute: e.SLACK_RUNS_PER_USER_PER_MINUTE,
      streaming: e.SLACK_STREAMING,
      adminUsers: e.ADMIN_USERS,
      allowedUsers: e.ALLOWED_USERS,
      allowedChannels: e.ALLOWED_CHANNELS,
      agentSessions: e.SLACK_AGENT_SESSIONS,
      oauth,
    },
    prometheus: { port: e.METRICS_PORT, token: e.METRICS_TOKEN, perfToken: e.PERF_PAGE_TOKEN ?? e.METRICS_TOKEN },
    prewarm: {
      enabled: e.PREWARM_ENABLED,
      topN: e.PREWARM_TOP_N,
      tickers: prewarmTickers,
      callsPerSecond: e.PREWARM_CALLS_PER_SECOND,
    },
    watchlists: {
      path: path.join(home, 'watchlists.sqlite'),
      digest: e.WATCHLIST_DIGEST,
      maxTickers: e.WATCHLIST_MAX_TICKERS,
    },
    alerts: {
      channel: e.ALERT_CHANNEL,
      team: e.ALERT_TEAM_ID,
      runMs: e.ALERT_RUN_MS,
      firstOutputMs: e.ALERT_FIRST_OUTPUT_MS,
      operationMs: e.ALERT_OPERATION_MS,
      hitRate: e.ALERT_HIT_RATE_PERCENT / 100,
    },
    logLevel: e.LOG_LEVEL,
    data,
  };
}

/** What the MCP data server needs (and nothing else): {@link loadDataServerConfig}. Paths are absolute. */
export interface DataServerConfig {
  /** Folder of the bundled data set. */
  dataDir: string;
  /** Latency injected in every tool handler, ms (`MCP_TOOL_LATENCY_MS`, benchmarks only). */
  latencyMs: number;
  /** Log level in effect (`LOG_LEVEL`; an unknown value falls back to `info`). */
  logLevel: string;
  /** Problems that did not stop the server (an unknown `LOG_LEVEL`), in plain words, for a warning on stderr. */
  warnings: string[];
  /** Live data providers and their settings (`DATA_SOURCE`, `SEC_*`…, `src/data-config.ts`). */
  data: DataSourceConfig;
}

/** The variables the MCP data server reads; every other variable is the app's business and is not looked at. */
const dataServerSchema = schema.pick({
  DATA_DIR: true,
  MCP_TOOL_LATENCY_MS: true,
  // The shared Redis, for the SEC request limit across instances.
  CACHE_URL: true,
  ...(Object.fromEntries(Object.keys(dataSourceFields).map((k) => [k, true])) as Record<
    keyof typeof dataSourceFields,
    true
  >),
});

/**
 * Every variable the MCP data server reads ({@link loadDataServerConfig}): its schema's fields and `LOG_LEVEL`. The
 * gateway spawns the server with exactly these, written from the app's config (`src/tools/server-env.ts`).
 */
export type DataServerVariable = keyof typeof dataServerSchema.shape | 'LOG_LEVEL';

/** {@link DataServerVariable} as a list, for checks that each one reaches the server. */
export const DATA_SERVER_VARIABLES: readonly DataServerVariable[] = [
  ...(Object.keys(dataServerSchema.shape) as (keyof typeof dataServerSchema.shape)[]),
  'LOG_LEVEL',
];

/**
 * Configuration of the stdio MCP data server: only the variables it uses (`DATA_DIR`, `MCP_TOOL_LATENCY_MS`,
 * `LOG_LEVEL`, the live data settings), so that a Slack or writer setting that is wrong for the app (`PORT=abc`, `WRITER=claude` without a
 * key) does not stop a data server that never reads it. An unknown `LOG_LEVEL` is a warning, and `info` applies.
 * @throws ConfigError listing every problem with the variables it uses.
 */
export function loadDataServerConfig(given: NodeJS.ProcessEnv = process.env): DataServerConfig {
  const env = withoutBlanks(given);
  const parsed = dataServerSchema.safeParse(env);
  if (!parsed.success)
    throw new ConfigError(parsed.error.issues.map((issue) => describeIssue(issue, env, dataServerSchema.shape)));
  const problems: string[] = [];
  const data = dataSourceConfig(parsed.data, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  const level = logLevel.safeParse(env.LOG_LEVEL);
  const warnings = level.success
    ? []
    : [`LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL ?? ''}"); using info`];
  return {
    dataDir: path.resolve(parsed.data.DATA_DIR ?? path.join(REPO_ROOT, 'data')),
    latencyMs: parsed.data.MCP_TOOL_LATENCY_MS,
    logLevel: level.success ? level.data : 'info',
    warnings,
    data,
  };
}
