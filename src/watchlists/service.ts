/**
 * What `/research-stock watch | unwatch | watchlist` do, apart from Slack: read the tickers named, check them with
 * the data sources (an unknown ticker is refused with its close matches, as a report would be), and change the
 * channel's list in the {@link WatchlistStore}. The Slack listener only acks, calls this and renders the outcome.
 */
import { InvalidInputError, type TickerdeskError, UnknownTickerError } from '../errors.js';
import type { TechnicalAnalysis } from '../mcp-server/shapes.js';
import { TICKERDESK_SERVER } from '../research/plan.js';
import { normalizeTicker } from '../tickers.js';
import type { ToolGateway } from '../tools/types.js';
import type { WatchlistStore } from './store.js';
import type { DigestState, Watchlist } from './types.js';

/** Who asks, where. */
export interface WatchlistWhere {
  channel: string;
  user: string;
  teamId?: string;
}

/** A ticker that was not added: the words typed, why, and a close match when one is known. */
export interface RefusedTicker {
  input: string;
  message: string;
  suggestion?: string;
}

/** What `watch` did. */
export interface WatchOutcome {
  /** The list after the change (`undefined`: the channel has none). */
  list: Watchlist | undefined;
  added: string[];
  /** Already on the list. */
  already: string[];
  refused: RefusedTicker[];
  /** Known tickers left out because the list is full. */
  overLimit: string[];
}

/** What `unwatch` did. */
export interface UnwatchOutcome {
  list: Watchlist | undefined;
  removed: string[];
  /** Named but not on the list. */
  absent: string[];
  refused: RefusedTicker[];
}

/** Checks a ticker with the data sources: see `ResearchService.checkTicker`. Never rejects. */
export type TickerCheck = (
  ticker: string,
  requester: { user: string; channel: string },
) => Promise<TickerdeskError | undefined>;

/** Dependencies of {@link Watchlists}. */
export interface WatchlistsDeps {
  store: WatchlistStore;
  /** Refuses unknown tickers (with close matches). Unset: every well-formed ticker is accepted. */
  checkTicker?: TickerCheck;
  /** Most tickers one channel watches (`WATCHLIST_MAX_TICKERS`). @default 20 */
  maxTickers?: number;
  /** @default () => new Date() */
  now?: () => Date;
  /** The tool gateway: `show` reads each ticker's last close from its cache (never calling a server). */
  gateway?: Pick<ToolGateway, 'peek'>;
}

/** A ticker's last close as the tool cache holds it (`analyze_stock`), USD. */
export interface CachedClose {
  date: string;
  value: number;
}

/** Normalise each word; the malformed are refused with the reason `normalizeTicker` gives. */
function readTickers(words: readonly string[]): { tickers: string[]; refused: RefusedTicker[] } {
  const tickers: string[] = [];
  const refused: RefusedTicker[] = [];
  for (const input of words) {
    try {
      const t = normalizeTicker(input);
      if (!tickers.includes(t)) tickers.push(t);
    } catch (err) {
      refused.push({ input, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return { tickers, refused };
}

/** Channel watchlists: add, remove, show. */
export class Watchlists {
  readonly maxTickers: number;
  readonly #now: () => Date;

  constructor(private readonly deps: WatchlistsDeps) {
    this.maxTickers = deps.maxTickers ?? 20;
    this.#now = deps.now ?? (() => new Date());
  }

  /**
   * Add the tickers in `words` to the channel's list (unknown ones refused with close matches, at most
   * {@link maxTickers} kept). @throws InvalidInputError when `words` is empty; StoreUnavailableError.
   */
  async watch(where: WatchlistWhere, words: readonly string[]): Promise<WatchOutcome> {
    if (words.length === 0) throw new InvalidInputError('Name the tickers to watch, e.g. `watch NVDA AMD`.');
    const read = readTickers(words);
    const current = await this.deps.store.get(where.channel);
    const fresh = read.tickers.filter((t) => !current?.tickers.includes(t));
    const checks = await Promise.all(fresh.map(async (t) => ({ t, refused: await this.#check(t, where) })));
    const refused = [...read.refused];
    const known: string[] = [];
    for (const { t, refused: error } of checks) {
      if (!error) known.push(t);
      else refused.push(refusal(t, error));
    }
    // The store may apply the edit more than once (another instance wrote the list meanwhile): each call starts afresh.
    let outcome = { added: [] as string[], overLimit: [] as string[], already: [] as string[] };
    const list =
      known.length === 0
        ? current
        : await this.deps.store.update(where.channel, (now) => {
            outcome = { added: [], overLimit: [], already: [] };
            const tickers = [...(now?.tickers ?? [])];
            for (const t of known) {
              if (tickers.includes(t)) outcome.already.push(t);
              else if (tickers.length >= this.maxTickers) outcome.overLimit.push(t);
              else {
                tickers.push(t);
                outcome.added.push(t);
              }
            }
            return this.#written(where, now, tickers);
          });
    const already = read.tickers.filter((t) => current?.tickers.includes(t) || outcome.already.includes(t));
    return {
      list: list && list.tickers.length > 0 ? list : undefined,
      added: outcome.added,
      already,
      refused,
      overLimit: outcome.overLimit,
    };
  }

  /** Remove the tickers in `words` from the channel's list. @throws InvalidInputError when empty; StoreUnavailableError. */
  async unwatch(where: WatchlistWhere, words: readonly string[]): Promise<UnwatchOutcome> {
    if (words.length === 0) throw new InvalidInputError('Name the tickers to stop watching, e.g. `unwatch NVDA`.');
    const read = readTickers(words);
    const current = await this.deps.store.get(where.channel);
    const named = read.tickers.filter((t) => current?.tickers.includes(t));
    // The store may apply the edit more than once (another instance wrote the list meanwhile): each call starts afresh.
    let removed: string[] = [];
    const list =
      named.length === 0
        ? current
        : await this.deps.store.update(where.channel, (now) => {
            removed = named.filter((t) => now?.tickers.includes(t));
            const tickers = (now?.tickers ?? []).filter((t) => !named.includes(t));
            return this.#written(where, now, tickers);
          });
    const absent = read.tickers.filter((t) => !removed.includes(t));
    return { list: list && list.tickers.length > 0 ? list : undefined, removed, absent, refused: read.refused };
  }

  /**
   * The channel's list, its last digest (whose snapshot has each ticker's close then) and each ticker's last close
   * the tool cache holds now (read without calling a server). @throws StoreUnavailableError
   */
  async show(
    channel: string,
  ): Promise<{ list: Watchlist | undefined; lastDigest: DigestState | undefined; closes: Map<string, CachedClose> }> {
    const [list, lastDigest] = await Promise.all([this.deps.store.get(channel), this.deps.store.lastDigest(channel)]);
    const closes = new Map<string, CachedClose>();
    const peek = this.deps.gateway?.peek?.bind(this.deps.gateway);
    if (list && peek) {
      await Promise.all(
        list.tickers.map(async (ticker) => {
          const cached = await peek<Partial<TechnicalAnalysis>>({
            server: TICKERDESK_SERVER,
            tool: 'analyze_stock',
            args: { ticker },
          });
          const t = cached?.data;
          if (t && typeof t.lastClose === 'number' && typeof t.asOf === 'string')
            closes.set(ticker, { date: t.asOf, value: t.lastClose });
        }),
      );
    }
    return { list, lastDigest, closes };
  }

  #written(where: WatchlistWhere, now: Watchlist | undefined, tickers: string[]): Watchlist {
    const teamId = where.teamId ?? now?.teamId;
    return {
      channel: where.channel,
      ...(teamId ? { teamId } : {}),
      tickers,
      updatedAt: this.#now().toISOString(),
      updatedBy: where.user,
    };
  }

  async #check(ticker: string, where: WatchlistWhere): Promise<TickerdeskError | undefined> {
    return this.deps.checkTicker?.(ticker, { user: where.user, channel: where.channel }).catch(() => undefined);
  }
}

function refusal(input: string, error: TickerdeskError): RefusedTicker {
  const suggestion = error instanceof UnknownTickerError ? error.suggestions[0] : undefined;
  return { input, message: error.message, ...(suggestion ? { suggestion } : {}) };
}
