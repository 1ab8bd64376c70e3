/**
 * The bundled-data provider: serves company data from the committed `data/` set (built by `npm run data:build`,
 * format in `./bundle-format.ts`). Loads `index.json` on first use and each ticker's file lazily, caching parsed
 * files in memory. Never reads anything outside `dataDir`.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { insiderSummary } from '../../definitions/insider.js';
import { DataUnavailableError, UnknownTickerError } from '../../errors.js';
import { nearestPeers } from '../peers.js';
import type {
  AnalystRatings,
  CompanyFinancials,
  CompanyNews,
  CompanyProfile,
  InsiderTransactions,
  PeerList,
  PriceHistory,
} from '../shapes.js';
import type { BundleIndex, DataKind, IndexEntry, TickerBundle } from './bundle-format.js';
import { closeMatches } from './ticker-match.js';
import type { DataProvider, TickerCoverage } from './types.js';

const gunzipAsync = promisify(gunzip);

const KIND_WORDS: Record<DataKind, string> = {
  profile: 'company profile',
  financials: 'financial statements',
  prices: 'price history',
  analyst: 'analyst consensus',
  news: 'company events (SEC 8-K filings)',
  insider: 'insider transactions (SEC Form 4)',
};

/** Subtract whole days from an ISO date. */
function minusDays(iso: string, n: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Create the provider over a bundled data directory (usually `<repo>/data`).
 * Methods throw `UnknownTickerError` (with up to 3 close matches) for tickers not in the bundle and
 * `DataUnavailableError` when the ticker is known but the bundle lacks that kind of data.
 * @throws Error (on first use) when `dataDir` has no readable `index.json`.
 */
export function createBundledProvider(dataDir: string): BundledProvider {
  return new BundledProvider(dataDir);
}

/** {@link DataProvider} over the bundled data set. See {@link createBundledProvider}. */
export class BundledProvider implements DataProvider {
  readonly id = 'bundled';
  /** The bundled snapshot is no live source. */
  readonly live = false;
  private index: BundleIndex | undefined;
  private profilesPromise: Promise<Record<string, CompanyProfile>> | undefined;
  private readonly bundles = new Map<string, Promise<TickerBundle>>();

  constructor(private readonly dataDir: string) {}

  /**
   * The bundle's index (`index.json`, about 100 KB), read synchronously on first use and kept.
   * @throws Error when `dataDir` has no readable `index.json`.
   */
  load(): BundleIndex {
    if (!this.index) {
      const path = join(this.dataDir, 'index.json');
      try {
        this.index = JSON.parse(readFileSync(path, 'utf8')) as BundleIndex;
      } catch (err) {
        throw new Error(`The bundled data set is missing or unreadable at ${path}; run \`npm run data:build\`.`, {
          cause: err,
        });
      }
    }
    return this.index;
  }

  tickers(): readonly string[] {
    return Object.keys(this.load().tickers);
  }

  /** Whether the bundle's index lists `ticker`. */
  async knows(ticker: string): Promise<boolean> {
    return ticker in this.load().tickers;
  }

  coverage(): readonly TickerCoverage[] {
    return Object.entries(this.load().tickers).map(([ticker, entry]) => ({
      ticker,
      name: entry.name,
      ...(entry.sector === undefined ? {} : { sector: entry.sector }),
      has: [...entry.has],
    }));
  }

  async profile(ticker: string): Promise<CompanyProfile> {
    await this.require(ticker, 'profile');
    this.profilesPromise ??= this.readGz<Record<string, CompanyProfile>>('profiles.json.gz');
    const profile = (await this.profilesPromise)[ticker];
    if (!profile) throw this.unavailable(ticker, 'profile');
    return profile;
  }

  async peers(ticker: string, limit: number): Promise<PeerList> {
    await this.require(ticker, 'profile');
    this.profilesPromise ??= this.readGz<Record<string, CompanyProfile>>('profiles.json.gz');
    const index = this.load();
    const list = nearestPeers(ticker, await this.profilesPromise, (t) => index.tickers[t]?.has ?? [], limit);
    if (!list)
      throw new DataUnavailableError(`No GICS classification in the bundled data set for ${ticker}, so no peers.`);
    return list;
  }

  async financials(ticker: string, period: 'annual' | 'quarterly', limit: number): Promise<CompanyFinancials> {
    const fin = (await this.bundle(ticker, 'financials')).financials;
    const periods = fin?.[period] ?? [];
    if (!fin || periods.length === 0) throw this.unavailable(ticker, 'financials', period);
    return {
      ticker,
      currency: 'USD',
      period,
      periods: periods.slice(0, Math.max(1, Math.floor(limit))),
      ...(fin.fiscalYear ? { fiscalYear: fin.fiscalYear } : {}),
      sources: fin.sources,
    };
  }

  async prices(ticker: string, range: { start?: string; end?: string } = {}): Promise<PriceHistory> {
    const px = (await this.bundle(ticker, 'prices')).prices;
    const last = px?.bars[px.bars.length - 1]?.[0];
    if (!px || !last) throw this.unavailable(ticker, 'prices');
    const end = range.end ?? last;
    const start = range.start ?? minusDays(end, 365);
    const bars = px.bars
      .filter(([d]) => d >= start && d <= end)
      .map(([date, open, high, low, close, volume]) => ({ date, open, high, low, close, volume }));
    if (bars.length === 0) {
      const first = px.bars[0]?.[0] ?? last;
      throw new DataUnavailableError(
        `No prices for ${ticker} between ${start} and ${end} in the bundled data set; it has ${first} to ${last}.`,
      );
    }
    const security = px.security === undefined ? {} : { security: px.security };
    return { ticker, currency: 'USD', adjusted: px.adjusted, start, end, bars, ...security, source: px.source };
  }

  async analystRatings(ticker: string): Promise<AnalystRatings> {
    const analyst = (await this.bundle(ticker, 'analyst')).analyst;
    if (!analyst) throw this.unavailable(ticker, 'analyst');
    return { ticker, ...analyst };
  }

  async news(ticker: string, limit: number): Promise<CompanyNews> {
    const news = (await this.bundle(ticker, 'news')).news;
    if (!news || news.events.length === 0) throw this.unavailable(ticker, 'news');
    return { ticker, events: news.events.slice(0, Math.max(1, Math.floor(limit))), source: news.source };
  }

  async insiderTransactions(ticker: string, limit: number): Promise<InsiderTransactions> {
    const ins = (await this.bundle(ticker, 'insider')).insider;
    if (!ins || ins.transactions.length === 0) throw this.unavailable(ticker, 'insider');
    const all = ins.transactions;
    const last12m = insiderSummary(all);
    return {
      ticker,
      transactions: all.slice(0, Math.max(1, Math.floor(limit))),
      last12m,
      source: ins.source,
    };
  }

  /** Index entry for a ticker, or UnknownTickerError with close matches; DataUnavailableError if it lacks `kind`. */
  private async require(ticker: string, kind: DataKind): Promise<IndexEntry> {
    const index = this.load();
    const entry = index.tickers[ticker];
    if (!entry) throw new UnknownTickerError(ticker, closeMatches(ticker, Object.keys(index.tickers)));
    if (!entry.has.includes(kind)) throw this.unavailable(ticker, kind);
    return entry;
  }

  private async bundle(ticker: string, kind: DataKind): Promise<TickerBundle> {
    await this.require(ticker, kind);
    let p = this.bundles.get(ticker);
    if (!p) {
      p = this.readGz<TickerBundle>(join('tickers', `${ticker}.json.gz`));
      this.bundles.set(ticker, p);
      p.catch(() => this.bundles.delete(ticker));
    }
    return p;
  }

  private unavailable(ticker: string, kind: DataKind, detail?: string): DataUnavailableError {
    const what = detail ? `${detail} ${KIND_WORDS[kind]}` : KIND_WORDS[kind];
    const note = this.index?.tickers[ticker]?.notes?.[kind];
    return new DataUnavailableError(`No ${what} in the bundled data set for ${ticker}${note ? ` (${note})` : ''}.`);
  }

  private async readGz<T>(relPath: string): Promise<T> {
    const buf = await readFile(join(this.dataDir, relPath));
    return JSON.parse((await gunzipAsync(buf)).toString('utf8')) as T;
  }
}
