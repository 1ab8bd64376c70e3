/**
 * The provider chain: each data kind (profile, statements, prices, consensus, news, insiders) is answered by the
 * first provider in its configured order that has it. A provider that does not know the ticker, lacks that kind of
 * data or fails passes to the next; the answer's `provenance` names the provider that answered, the as-of date of
 * its data, every provider tried before it (with the reason it passed) and the upstream requests made.
 *
 * The chain's own errors: `UnknownTickerError` when no provider knows the ticker (with the close matches they
 * gave), unless a live one failed while reachable (then a `ToolFailedError`: the ticker could not be checked); `DataUnavailableError` when the providers that know it all lack this data (a definitive answer, cached by
 * the gateway), also when other providers of the chain failed (a live host unreachable) and the ones that answered
 * lack it; `ToolFailedError` only when every provider tried failed (not definitive: not cached, tried again next
 * time).
 */
import { DataUnavailableError, ToolFailedError, UnknownTickerError } from '../../errors.js';
import type {
  AnalystRatings,
  CompanyFinancials,
  CompanyNews,
  CompanyProfile,
  InsiderTransactions,
  LatestFilings,
  PeerList,
  PriceHistory,
  Provenance,
  ProviderAttempt,
} from '../shapes.js';
import { UpstreamUnreachableError } from '../upstream/errors.js';
import { emptyUsage, inUpstreamScope, withUsage } from '../upstream/usage.js';
import { DATA_KINDS, type DataKindName } from './kinds.js';
import { providerList, providerName } from './names.js';
import { latestStatementFiling } from './statement-filing.js';
import type { DataKind, DataProvider, TickerCoverage } from './types.js';

/**
 * A provider in a chain: any subset of the {@link DataProvider} methods, whether it is a live source, and optionally
 * whether it knows a ticker at all (so that a kind no provider of its chain has for a known company is "unavailable",
 * not "unknown ticker").
 */
export type ChainMember = Partial<Omit<DataProvider, 'id'>> & {
  readonly id: string;
  readonly live: boolean;
  knows?(ticker: string): Promise<boolean>;
};

const KIND_WORDS: Record<DataKindName, string> = {
  profile: 'company profile',
  statements: 'financial statements',
  prices: 'price history',
  consensus: 'analyst consensus',
  news: 'company events',
  insiders: 'insider transactions',
};

/** The bundled data set's name of each kind (`has` lists use it). */
const BUNDLE_KIND: Record<DataKindName, DataKind> = {
  profile: 'profile',
  statements: 'financials',
  prices: 'prices',
  consensus: 'analyst',
  news: 'news',
  insiders: 'insider',
};

/** Which provider method serves which kind. */
const METHOD: Record<DataKindName, keyof Omit<DataProvider, 'id' | 'tickers' | 'coverage'>> = {
  profile: 'profile',
  statements: 'financials',
  prices: 'prices',
  consensus: 'analystRatings',
  news: 'news',
  insiders: 'insiderTransactions',
};

/** Whether `member` can answer `kind`. */
export function serves(member: ChainMember, kind: DataKindName): boolean {
  return typeof member[METHOD[kind]] === 'function';
}

type WithProvenance = { provenance?: Provenance };

/** The newest ISO date among `dates` (ignores blanks). */
function newest(dates: (string | undefined)[]): string | undefined {
  return dates
    .filter((d): d is string => typeof d === 'string' && d.length >= 10)
    .sort()
    .at(-1)
    ?.slice(0, 10);
}

/** The as-of date of an answer of `kind`: last close, latest filing, consensus date, newest event or filing. */
export function asOfOf(kind: DataKindName, data: unknown): string | undefined {
  switch (kind) {
    case 'profile': {
      const p = data as CompanyProfile;
      return p.snapshot?.asOf ?? newest(p.sources.map((s) => s.asOf));
    }
    case 'statements': {
      const f = data as CompanyFinancials;
      return latestStatementFiling(f)?.filed ?? newest(f.sources.map((s) => s.asOf)) ?? f.periods[0]?.periodEnd;
    }
    case 'prices': {
      const p = data as PriceHistory;
      return p.bars.at(-1)?.date ?? p.end;
    }
    case 'consensus':
      return (data as AnalystRatings).asOf;
    case 'news':
      return (data as CompanyNews).events[0]?.date;
    case 'insiders':
      return (data as InsiderTransactions).transactions[0]?.filingDate;
  }
}

/** The host `err` (or an error it was caused by) says could not be reached, if any. */
function unreachableHost(err: unknown): string | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    if (e instanceof UpstreamUnreachableError) return e.host;
  }
  return undefined;
}

/** Why a provider passed, in one line (and the host, when it could not be reached). */
function attemptOf(provider: string, err: unknown): ProviderAttempt {
  if (err instanceof UnknownTickerError) return { provider, outcome: 'unknown', reason: err.message };
  if (err instanceof DataUnavailableError) return { provider, outcome: 'unavailable', reason: err.message };
  const reason = err instanceof Error ? err.message : String(err);
  const host = unreachableHost(err);
  return { provider, outcome: 'failed', reason, ...(host ? { unreachable: host } : {}) };
}

/**
 * A {@link DataProvider} over ordered provider chains, one per data kind. Build it with the chains already in
 * order (see `./registry.ts`); a kind with an empty chain answers "unavailable".
 */
export class ChainProvider implements DataProvider {
  readonly id = 'chain';
  readonly #chains: Record<DataKindName, readonly ChainMember[]>;

  constructor(chains: Record<DataKindName, readonly ChainMember[]>) {
    this.#chains = chains;
  }

  /** The providers of `kind`, in order. */
  chain(kind: DataKindName): readonly ChainMember[] {
    return this.#chains[kind];
  }

  /**
   * What the chains' members that can list their coverage (the bundled data set) have, each kind counted only where
   * such a member is in that kind's chain; `undefined` when none can. Live members are not asked (they would have to
   * fetch), so with live sources this is what the server has at the least.
   */
  coverage(): readonly TickerCoverage[] | undefined {
    const entries = new Map<string, TickerCoverage>();
    let listed = false;
    for (const kind of DATA_KINDS) {
      for (const member of this.#chains[kind]) {
        const list = member.coverage?.();
        if (!list) continue;
        listed = true;
        for (const c of list) {
          const entry = entries.get(c.ticker) ?? { ...c, has: [] };
          entries.set(c.ticker, entry);
          const bundleKind = BUNDLE_KIND[kind];
          if (c.has.includes(bundleKind) && !entry.has.includes(bundleKind)) entry.has.push(bundleKind);
        }
      }
    }
    return listed ? [...entries.values()] : undefined;
  }

  tickers(): readonly string[] {
    const all = new Set<string>();
    const seen = new Set<ChainMember>();
    for (const chain of Object.values(this.#chains)) {
      for (const member of chain) {
        if (seen.has(member) || !member.tickers) continue;
        seen.add(member);
        for (const t of member.tickers()) all.add(t);
      }
    }
    return [...all];
  }

  profile(ticker: string): Promise<CompanyProfile> {
    return this.#answer('profile', ticker, (p) => p.profile?.(ticker));
  }

  /**
   * Peers from the first member of the profile chain that can list them (the bundled data set); live profiles carry
   * no GICS classification.
   * @throws DataUnavailableError when no member can; as the member's `peers` otherwise.
   */
  /**
   * The newest filings from the first member of the statements chain that can ask its source for them (live SEC),
   * with provenance (the upstream request counted). The cheap check of answers that rest on filings.
   * @throws DataUnavailableError when no member can; as the member's `latestFilings` otherwise.
   */
  async latestFilings(ticker: string): Promise<LatestFilings> {
    const member = this.#chains.statements.find((m) => m.latestFilings);
    if (!member?.latestFilings) throw new DataUnavailableError('No configured data source lists filings as they come.');
    const ask = member.latestFilings.bind(member);
    const usage = emptyUsage();
    const data = await inUpstreamScope(usage, () => ask(ticker));
    const provenance: Provenance = { provider: member.id, live: member.live, tried: [] };
    const asOf =
      data.event?.filed && (!data.report?.filed || data.event.filed > data.report.filed)
        ? data.event.filed
        : data.report?.filed;
    if (asOf) provenance.asOf = asOf;
    if (usage.requests > 0) provenance.upstream = usage;
    return { ...data, provenance };
  }

  peers(ticker: string, limit: number): Promise<PeerList> {
    const member = this.#chains.profile.find((m) => m.peers);
    if (!member?.peers) return Promise.reject(new DataUnavailableError('No configured data source lists peers.'));
    return member.peers(ticker, limit);
  }

  financials(ticker: string, period: 'annual' | 'quarterly', limit: number): Promise<CompanyFinancials> {
    return this.#answer('statements', ticker, (p) => p.financials?.(ticker, period, limit));
  }

  prices(ticker: string, range?: { start?: string; end?: string }): Promise<PriceHistory> {
    return this.#answer('prices', ticker, (p) => p.prices?.(ticker, range));
  }

  analystRatings(ticker: string): Promise<AnalystRatings> {
    return this.#answer('consensus', ticker, (p) => p.analystRatings?.(ticker));
  }

  news(ticker: string, limit: number): Promise<CompanyNews> {
    return this.#answer('news', ticker, (p) => p.news?.(ticker, limit));
  }

  insiderTransactions(ticker: string, limit: number): Promise<InsiderTransactions> {
    return this.#answer('insiders', ticker, (p) => p.insiderTransactions?.(ticker, limit));
  }

  async #answer<T extends WithProvenance>(
    kind: DataKindName,
    ticker: string,
    ask: (member: ChainMember) => Promise<T> | undefined,
  ): Promise<T> {
    const tried: ProviderAttempt[] = [];
    const usage = emptyUsage();
    const suggestions: string[] = [];
    for (const member of this.#chains[kind]) {
      if (!serves(member, kind)) continue;
      try {
        // Called inside the scope, so that requests the provider starts synchronously are counted too.
        const data = await inUpstreamScope(usage, async () => (await ask(member)) as T);
        const provenance: Provenance = { provider: member.id, live: member.live, tried };
        const asOf = asOfOf(kind, data);
        if (asOf) provenance.asOf = asOf;
        const filing = kind === 'statements' ? latestStatementFiling(data as unknown as CompanyFinancials) : undefined;
        if (filing) provenance.filing = filing;
        // A member may say how its answer is checked cheaply (live SEC: the accession it rests on).
        if (data.provenance?.validator) provenance.validator = data.provenance.validator;
        if (usage.requests > 0) provenance.upstream = usage;
        return { ...data, provenance };
      } catch (err) {
        tried.push(attemptOf(member.id, err));
        if (err instanceof UnknownTickerError) suggestions.push(...err.suggestions);
      }
    }
    // The error carries the requests made for it, so that a "no data" answer or a failure is accounted too.
    throw withUsage(await this.#noAnswer(kind, ticker, tried, suggestions), usage);
  }

  /** The error for a kind no member answered (see the module comment). */
  async #noAnswer(kind: DataKindName, ticker: string, tried: ProviderAttempt[], suggestions: string[]): Promise<Error> {
    const answered = tried.filter((t) => t.outcome !== 'failed');
    if (answered.length > 0 && answered.every((t) => t.outcome === 'unknown') && (await this.#knownElsewhere(ticker))) {
      // Said without parentheses: a parenthesised note ending a "no data" sentence is read as the data's known reason.
      const names = providerList(answered.map((t) => t.provider));
      // The sources that failed are named too (SEC answering 429 is why the statements are missing, not a gap), in
      // words without parentheses, which would be read as the data's own reason.
      const failed = tried
        .filter((t) => t.outcome === 'failed')
        .map((t) => ` ${providerName(t.provider)} failed: ${t.reason.replace(/\s*\(([^()]*)\)/g, ', $1')}`)
        .join('');
      return new DataUnavailableError(
        `No ${KIND_WORDS[kind]} for ${ticker} in any configured source; asked ${names}.${failed}`,
        {
          provisional: answered.length < tried.length,
        },
      );
    }
    return this.#failure(kind, ticker, tried, suggestions);
  }

  /** Whether a provider of any chain knows `ticker` (a failure to tell counts as no). */
  async #knownElsewhere(ticker: string): Promise<boolean> {
    const members = new Set(Object.values(this.#chains).flat());
    for (const member of members) {
      if (!member.knows) continue;
      try {
        if (await member.knows(ticker)) return true;
      } catch {
        // Unknown here: the answer stays "unknown ticker".
      }
    }
    return false;
  }

  #failure(kind: DataKindName, ticker: string, tried: ProviderAttempt[], suggestions: string[]): Error {
    if (tried.length === 0) return new DataUnavailableError(`No configured data source provides ${kind} data.`);
    const answered = tried.filter((t) => t.outcome !== 'failed');
    if (answered.length === 0) {
      const lines = tried.map((t) => `${t.provider}: ${t.reason}`).join(' ');
      return new ToolFailedError(`chain/${kind}`, `No source answered for ${ticker}. ${lines}`);
    }
    // The sources that did answer decide, even when others could not be reached (offline, every live host down):
    // the bundle saying it lacks the data (or the ticker) is a plain gap, not a failed tool.
    if (answered.every((t) => t.outcome === 'unknown')) {
      // A live source that failed while reachable (an HTTP error, a timeout, a broken answer) might have known the
      // ticker (SEC lists thousands the bundle lacks): it could not be checked, which is not an unknown ticker (not
      // cached; asked again next time). Unreachable (offline), the sources that answered decide.
      const inconclusive = tried.filter((t) => t.outcome === 'failed' && !t.unreachable);
      if (inconclusive.length > 0) {
        const failed = inconclusive.map((t) => `${providerName(t.provider)}: ${t.reason}`).join(' ');
        const lacking = providerList(answered.map((t) => t.provider));
        return new ToolFailedError(
          `chain/${kind}`,
          `Could not check whether ${ticker} is a listed ticker: ${lacking} does not have it, and a source that might ` +
            `failed. ${failed}`,
        );
      }
      return new UnknownTickerError(ticker, [...new Set(suggestions)].slice(0, 3));
    }
    const unavailable = answered.filter((t) => t.outcome === 'unavailable');
    return new DataUnavailableError(unavailable.map((t) => t.reason).join(' '), {
      provisional: answered.length < tried.length,
    });
  }
}
