/**
 * Builds the provider chains from the data settings: which live providers exist (SEC EDGAR needs
 * `SEC_USER_AGENT`; Yahoo and Stooq are keyless; Finnhub
 * needs `FINNHUB_API_KEY`), the default order per data kind (live providers, then the bundled
 * data set), `DATA_SOURCE` (`auto`, `live` without the bundle, `bundled` alone) and explicit `DATA_PROVIDERS_<KIND>`
 * orders, and the one upstream client they share (per-host limits: SEC's two hosts together at `SEC_MAX_RPS` on
 * average and at most 10 in any 10 / `SEC_MAX_RPS` s, through a start limiter (one start per 1000 / `SEC_MAX_RPS` ms)
 * shared with every other instance when `CACHE_URL` is Redis;
 * Finnhub at one request per second, its free tier's 60 a minute, with the key in the `X-Finnhub-Token` header).
 */
import { type DataSourceConfig, dataSourceNotices } from '../../data-config.js';
import { Degradations } from '../../degradations.js';
import { type Logger, logger as rootLogger } from '../../log.js';
import { UpstreamClient, type UpstreamClientOptions } from '../upstream/client.js';
import { createStartLimiter } from '../upstream/start-limiter.js';
import type { BundledProvider } from './bundled.js';
import { type ChainMember, ChainProvider, serves } from './chain.js';
import { FinnhubProvider } from './finnhub/provider.js';
import { DATA_KINDS, type DataKindName, PROVIDERS_BY_KIND } from './kinds.js';
import { SecClient } from './sec-edgar/client.js';
import { SecEdgarProvider } from './sec-edgar/provider.js';
import { StooqPriceProvider } from './stooq/provider.js';
import { YahooPriceProvider } from './yahoo/provider.js';

/** What {@link buildProviders} returns. */
export interface BuiltProviders {
  provider: ChainProvider;
  upstream: UpstreamClient;
  /** One-line notices for the operator (e.g. live SEC off and how to turn it on). */
  notices: string[];
  /** Close what the providers hold open (the shared limit's Redis connection). */
  close(): Promise<void>;
}

/** Degradations of the data server process (a shared limit's Redis that cannot be reached: one warning). */
const degradations = new Degradations();

/**
 * Build the chains over `bundled` and the live providers `config` allows.
 * @param upstreamOptions extra options of the shared upstream client (tests: a `fetch`, metrics listener).
 * @param log where a degradation (the shared limit's Redis unreachable) is warned, once per process.
 */
export function buildProviders(
  config: DataSourceConfig,
  bundled: BundledProvider,
  upstreamOptions: Partial<UpstreamClientOptions> = {},
  log: Logger = rootLogger,
): BuiltProviders {
  const notices: string[] = dataSourceNotices(config);
  const sec = new URL(config.sec.dataUrl).host;
  const secWww = new URL(config.sec.wwwUrl).host;
  // SEC's 10 per second is per client, not per process: with Redis every instance claims its starts there (one per
  // 1000 / SEC_MAX_RPS ms slot). In one process the host queue keeps the limit alone.
  const secLimiter = config.sharedLimit.redisUrl
    ? createStartLimiter({
        name: 'sec',
        perSecond: config.sec.maxRps,
        redisUrl: config.sharedLimit.redisUrl,
        onDegraded: (message, err) =>
          degradations.note(log, {
            part: 'shared SEC request limit',
            cause: 'is unreachable',
            message,
            fields: { err: err instanceof Error ? err.message : String(err) },
          }),
      })
    : undefined;
  const secPolicy = {
    perSecond: config.sec.maxRps,
    // Up to SEC's 10 at once, then at most 10 in any 10 × 1000 / SEC_MAX_RPS ms (1111 ms at the default 9): one
    // report's requests go together instead of one every 111 ms, a long burst of runs averages SEC_MAX_RPS, and a
    // request arriving up to 111 ms late against the next window's still leaves SEC's second at 10. At most 10 are in
    // flight (a burst sets it; `concurrency` is not used).
    burst: SEC_LIMIT_PER_SECOND,
    // One queue and limit for data.sec.gov and www.sec.gov together: SEC's 10 a second is per client, not per host.
    group: 'sec',
    retryForbidden: true,
    ...(secLimiter ? { limiter: secLimiter } : {}),
    headers: config.sec.userAgent ? { 'user-agent': config.sec.userAgent } : {},
  };
  const userAgent = { 'user-agent': 'Mozilla/5.0 (compatible; tickerdesk)' };
  // Finnhub's free tier allows 60 calls a minute (and 30 a second): one start a second keeps within both.
  const finnhubHost = config.finnhub.apiKey ? { [new URL(config.finnhub.url).host]: finnhubPolicy(config) } : {};
  const upstream = new UpstreamClient({
    timeoutMs: config.upstream.timeoutMs,
    retries: config.upstream.retries,
    hosts: { ...finnhubHost, [sec]: secPolicy, [secWww]: secPolicy },
    defaultPolicy: { perSecond: 5, concurrency: 4, headers: userAgent },
    ...upstreamOptions,
  });
  const members = new Map<string, ChainMember>([['bundled', bundled]]);
  if (config.source !== 'bundled') {
    if (config.sec.userAgent) {
      members.set(
        'sec-edgar',
        new SecEdgarProvider(new SecClient(upstream, { dataUrl: config.sec.dataUrl, wwwUrl: config.sec.wwwUrl }), {
          maxFilings: config.form4.maxFilings,
          waitMs: config.form4.waitMs,
        }),
      );
    }
    members.set('yahoo', new YahooPriceProvider(upstream, config.yahoo.chartUrl));
    members.set('stooq', new StooqPriceProvider(upstream, config.stooq.url));
    if (config.finnhub.apiKey) members.set('finnhub', new FinnhubProvider(upstream, config.finnhub.url));
  }
  const chains = {} as Record<DataKindName, ChainMember[]>;
  for (const kind of DATA_KINDS) {
    const order = config.order[kind] ?? PROVIDERS_BY_KIND[kind];
    chains[kind] = order
      .filter((id) => !(config.source === 'live' && id === 'bundled'))
      .map((id) => members.get(id))
      .filter((m): m is ChainMember => m !== undefined && serves(m, kind));
  }
  return {
    provider: new ChainProvider(chains),
    upstream,
    notices,
    close: async () => {
      await secLimiter?.close();
    },
  };
}

/** SEC's fair-access limit: requests per second per client (https://www.sec.gov/os/accessing-edgar-data). */
export const SEC_LIMIT_PER_SECOND = 10;

/** Finnhub's free-tier limit, evenly spaced: 60 calls a minute as one a second (under its 30 a second). */
export const FINNHUB_PER_SECOND = 1;

/** The upstream policy of Finnhub's host: its limit, and the key in `X-Finnhub-Token` on every request. */
function finnhubPolicy(config: DataSourceConfig) {
  return {
    perSecond: FINNHUB_PER_SECOND,
    concurrency: 2,
    headers: {
      'user-agent': 'Mozilla/5.0 (compatible; tickerdesk)',
      'x-finnhub-token': config.finnhub.apiKey ?? '',
    },
  };
}
