/**
 * A real, in-memory {@link ToolGateway} for pipeline tests: answers our server's tools with small, well-formed
 * fixture shapes (from `src/mcp-server/shapes.ts`, statements and prices in their compact wire forms), counts calls, tracks how many are in flight, and can be told to
 * hold calls until released, to fail a tool, or to say data is unavailable. Unknown tickers fail with
 * `UnknownTickerError`, as the real gateway does for an `isError` result. It honours `CallOptions.signal`.
 */
import { DataUnavailableError, UnknownTickerError } from '../../src/errors.js';
import { compactFinancials, compactPrices } from '../../src/mcp-server/compact.js';
import type {
  AnalystRatings,
  CompanyFinancials,
  CompanyNews,
  CompanyProfile,
  InsiderTransactions,
  PriceHistory,
  Source,
  TechnicalAnalysis,
} from '../../src/mcp-server/shapes.js';
import type {
  CacheStatus,
  CallOptions,
  GatewayStats,
  StaleMarker,
  ToolCallMetric,
  ToolGateway,
  ToolRequest,
  ToolResult,
} from '../../src/tools/types.js';

/** How the fake answers. */
export interface FakeGatewayOptions {
  /** Tickers it knows. @default ['NVDA', 'AAPL'] */
  tickers?: string[];
  /** Tools that fail with the given error (any error; `DataUnavailableError` makes the part unavailable). */
  failures?: Record<string, Error>;
  /** Hold every call until {@link FakeGateway.release} (or {@link FakeGateway.releaseTool}). */
  hold?: boolean;
  /** Cache status reported on success. @default 'miss' */
  cache?: CacheStatus;
  /** Tickers its ticker directory lists (`knownTickers`); without it the fake has no directory. */
  directory?: readonly string[];
  /** Tools whose answers are served stale (stale-while-revalidate), with their marker. */
  stale?: Record<string, StaleMarker>;
}

const src = (ref: string, period?: string): Source => ({ provider: 'fake', ref, ...(period ? { period } : {}) });

function profile(ticker: string): CompanyProfile {
  return {
    ticker,
    name: `${ticker} Corp`,
    exchange: 'NASDAQ',
    summary: `${ticker} Corp is listed.`,
    sources: [src('p')],
  };
}

function financials(ticker: string, period: 'annual' | 'quarterly', limit: number): CompanyFinancials {
  const periods = Array.from({ length: Math.min(limit, 3) }, (_, i) => {
    const fiscalYear = 2024 - i;
    const label = period === 'annual' ? `FY${fiscalYear}` : `Q4 FY${fiscalYear}`;
    const revenue = 60_922_000_000 / (i + 1);
    return {
      fiscalYear,
      ...(period === 'quarterly' ? { fiscalQuarter: 4 } : {}),
      periodEnd: `${fiscalYear}-01-28`,
      label,
      items: {
        revenue: { value: revenue, source: src('10-K', label) },
        netIncome: { value: revenue / 2, source: src('10-K', label) },
      },
    };
  });
  return { ticker, currency: 'USD', period, periods, sources: [src('10-K')] };
}

function prices(ticker: string): PriceHistory {
  const bars = [100, 102, 101].map((close, i) => ({
    date: `2026-08-1${i}`,
    open: close,
    high: close + 1,
    low: close - 1,
    close,
    volume: 1000,
  }));
  return {
    ticker,
    currency: 'USD',
    adjusted: 'split',
    start: '2026-08-10',
    end: '2026-08-12',
    bars,
    source: src('csv'),
  };
}

function technicals(ticker: string): TechnicalAnalysis {
  return {
    ticker,
    asOf: '2026-08-12',
    lastClose: 101,
    sma20: 100,
    sma50: 98,
    sma200: 90,
    rsi14: 55,
    macd: { macd: 1, signal: 0.5, histogram: 0.5 },
    high52w: 110,
    low52w: 60,
    drawdownFromHighPct: -8.2,
    maxDrawdown1yPct: -20,
    volatility30dPct: 40,
    volatility90dPct: 45,
    return1mPct: 3,
    return3mPct: 10,
    return1yPct: 60,
    barsUsed: 3,
    source: src('csv'),
  };
}

function analyst(ticker: string): AnalystRatings {
  return {
    ticker,
    asOf: '2026-08-12',
    analystCount: 40,
    rating: 'buy',
    price: 101,
    targetMean: 120,
    targetHigh: 150,
    targetLow: 90,
    upsidePct: 18.8,
    history: [],
    source: src('consensus'),
  };
}

function news(ticker: string): CompanyNews {
  const events = [
    { date: '2026-08-01', kind: '8-K', title: '8-K: Results (2.02)', items: ['2.02'], source: src('8-K') },
  ];
  return { ticker, events, source: src('8-K') };
}

function insider(ticker: string): InsiderTransactions {
  return {
    ticker,
    transactions: [],
    last12m: { buyValue: 0, sellValue: 1_000_000, buyCount: 0, sellCount: 2 },
    source: src('form4'),
  };
}

function answer(request: ToolRequest): unknown {
  const ticker = String(request.args.ticker);
  switch (request.tool) {
    case 'get_company_profile':
      return profile(ticker);
    case 'get_company_financials':
      return compactFinancials(
        financials(ticker, request.args.period === 'quarterly' ? 'quarterly' : 'annual', Number(request.args.limit)),
      );
    case 'get_price_history':
      return compactPrices(prices(ticker), 'daily');
    case 'analyze_stock':
      return technicals(ticker);
    case 'get_analyst_ratings':
      return analyst(ticker);
    case 'get_company_news':
      return news(ticker);
    case 'get_insider_transactions':
      return insider(ticker);
    default:
      throw new DataUnavailableError(`The fake gateway has no tool ${request.tool}.`);
  }
}

interface Held {
  request: ToolRequest;
  go: () => void;
}

/** The fake gateway. */
export class FakeGateway implements ToolGateway {
  /** Every request received, in order. */
  readonly calls: ToolRequest[] = [];
  /** Options of every call, in order. */
  readonly callOptions: (CallOptions | undefined)[] = [];
  /** Calls that have not settled yet. */
  inFlight = 0;
  /** Most calls in flight at one time. */
  maxInFlight = 0;
  readonly #options: FakeGatewayOptions;
  readonly #held: Held[] = [];
  readonly #listeners = new Set<(metric: ToolCallMetric) => void>();
  readonly #waiters: { count: number; resolve: () => void }[] = [];
  readonly #stats: GatewayStats = {
    calls: 0,
    hits: 0,
    misses: 0,
    coalesced: 0,
    errors: 0,
    cacheErrors: 0,
    serverCalls: 0,
  };
  closed = false;

  /** Present only when `options.directory` is given, like a gateway whose server publishes a ticker directory. */
  readonly knownTickers?: (server: string) => Promise<ReadonlySet<string> | undefined>;

  constructor(options: FakeGatewayOptions = {}) {
    this.#options = options;
    const { directory } = options;
    if (directory) this.knownTickers = async () => new Set(directory);
  }

  async call<T = unknown>(request: ToolRequest, options?: CallOptions): Promise<ToolResult<T>> {
    this.calls.push(request);
    this.callOptions.push(options);
    this.#stats.calls++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.#notify();
    const cache = this.#options.cache ?? 'miss';
    try {
      if (this.#options.hold) await this.#wait(request, options?.signal);
      const ticker = String(request.args.ticker);
      if (!(this.#options.tickers ?? ['NVDA', 'AAPL']).includes(ticker)) throw new UnknownTickerError(ticker, ['NVDA']);
      const failure = this.#options.failures?.[request.tool];
      if (failure) throw failure;
      const data = answer(request) as T;
      this.#stats[cache === 'hit' ? 'hits' : cache === 'coalesced' ? 'coalesced' : 'misses']++;
      this.#metric(request, cache);
      const stale = this.#options.stale?.[request.tool];
      const fetchedAt = new Date().toISOString();
      return {
        data,
        source: `${request.server}/${request.tool}`,
        fetchedAt,
        cache,
        ms: 1,
        ...(stale ? { stale } : {}),
      };
    } catch (err) {
      this.#stats.errors++;
      this.#metric(request, cache, err);
      throw err;
    } finally {
      this.inFlight--;
    }
  }

  onMetric(listener: (metric: ToolCallMetric) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  stats(): GatewayStats {
    return { ...this.#stats };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Resolves once `count` calls have been received. */
  waitForCalls(count: number): Promise<void> {
    if (this.calls.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Let every held call go on. */
  release(): void {
    for (const held of this.#held.splice(0)) held.go();
  }

  /** Let held calls of one tool go on. */
  releaseTool(tool: string): void {
    for (const held of [...this.#held]) {
      if (held.request.tool !== tool) continue;
      this.#held.splice(this.#held.indexOf(held), 1);
      held.go();
    }
  }

  #wait(request: ToolRequest, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal?.reason ?? new Error('aborted'));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#held.push({
        request,
        go: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      });
    });
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) {
      if (this.calls.length < waiter.count) continue;
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  #metric(request: ToolRequest, cache: CacheStatus, err?: unknown): void {
    const metric: ToolCallMetric = {
      server: request.server,
      tool: request.tool,
      key: `${request.server}:${request.tool}:${JSON.stringify(request.args)}`,
      cache,
      ms: 1,
      attempts: cache === 'miss' ? 1 : 0,
      at: new Date().toISOString(),
      ...(err instanceof Error
        ? { error: { code: (err as { code?: string }).code ?? 'error', message: err.message } }
        : {}),
    };
    for (const listener of this.#listeners) listener(metric);
  }
}
