/**
 * Builds the provider chains from the data settings: which live providers exist (SEC EDGAR needs
 * `SEC_USER_AGENT`; Yahoo and Stooq are keyless), the default order per data kind (live providers, then the bundled
 * data set), `DATA_SOURCE` (`auto`, `live` without the bundle, `bundled` alone) and explicit `DATA_PROVIDERS_<KIND>`
 * orders, and the one upstream client they share (per-host limits: SEC at `SEC_MAX_RPS`).
 */
import { type DataSourceConfig, SEC_OFF_NOTICE } from '../../data-config.js';
import { UpstreamClient, type UpstreamClientOptions } from '../upstream/client.js';
import type { BundledProvider } from './bundled.js';
import { type ChainMember, ChainProvider, serves } from './chain.js';
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
}

/**
 * Build the chains over `bundled` and the live providers `config` allows.
 * @param upstreamOptions extra options of the shared upstream client (tests: a `fetch`, metrics listener).
 */
export function buildProviders(
  config: DataSourceConfig,
  bundled: BundledProvider,
  upstreamOptions: Partial<UpstreamClientOptions> = {},
): BuiltProviders {
  const notices: string[] = [];
  const sec = new URL(config.sec.dataUrl).host;
  const secWww = new URL(config.sec.wwwUrl).host;
  const secPolicy = {
    perSecond: config.sec.maxRps,
    concurrency: 4,
    retryForbidden: true,
    headers: config.sec.userAgent ? { 'user-agent': config.sec.userAgent } : {},
  };
  const upstream = new UpstreamClient({
    timeoutMs: config.upstream.timeoutMs,
    retries: config.upstream.retries,
    // One limit across SEC's hosts when they are one host (a proxy, a stand-in); else one each.
    hosts: { [sec]: secPolicy, [secWww]: secPolicy },
    defaultPolicy: { perSecond: 5, concurrency: 4, headers: { 'user-agent': 'Mozilla/5.0 (compatible; tickerdesk)' } },
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
    } else notices.push(SEC_OFF_NOTICE);
    members.set('yahoo', new YahooPriceProvider(upstream, config.yahoo.chartUrl));
    members.set('stooq', new StooqPriceProvider(upstream, config.stooq.url));
  }
  const chains = {} as Record<DataKindName, ChainMember[]>;
  for (const kind of DATA_KINDS) {
    const order = config.order[kind] ?? PROVIDERS_BY_KIND[kind];
    chains[kind] = order
      .filter((id) => !(config.source === 'live' && id === 'bundled'))
      .map((id) => members.get(id))
      .filter((m): m is ChainMember => m !== undefined && serves(m, kind));
  }
  return { provider: new ChainProvider(chains), upstream, notices };
}
