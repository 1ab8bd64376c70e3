/**
 * A small in-memory {@link DataProvider} for tests: a real implementation of the provider contract over fixture
 * data (NVDA with every kind of data; KO without analyst coverage, insider data or quarterly statements).
 * Prices are a deterministic synthetic series of weekday bars ending on {@link FIXTURE_LAST_DATE}.
 */
import { insiderSummary } from '../../src/definitions/insider.js';
import { DataUnavailableError, UnknownTickerError } from '../../src/errors.js';
import type { DataProvider } from '../../src/mcp-server/providers/types.js';
import type {
  AnalystRatings,
  CompanyFinancials,
  CompanyNews,
  CompanyProfile,
  InsiderTransactions,
  PriceBar,
  PriceHistory,
  Source,
  StatementPeriod,
} from '../../src/mcp-server/shapes.js';

/** Date of the newest fixture bar. */
export const FIXTURE_LAST_DATE = '2026-08-21';

const NVDA_10K: Source = {
  provider: 'sec-companyfacts',
  ref: '10-K accn 0001045810-24-000029',
  period: 'FY2024',
  asOf: '2024-02-21',
};

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** ~3 years of weekday bars ending on FIXTURE_LAST_DATE: a gentle uptrend with a wave, deterministic. */
function syntheticBars(base: number, count = 780): PriceBar[] {
  const dates: string[] = [];
  let date = FIXTURE_LAST_DATE;
  while (dates.length < count) {
    const day = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (day !== 0 && day !== 6) dates.push(date);
    date = addDays(date, -1);
  }
  dates.reverse();
  return dates.map((d, i) => {
    const close = Math.round(base * (1 + i / 1000) * (1 + 0.08 * Math.sin(i / 15)) * 100) / 100;
    return { date: d, open: close, high: close * 1.01, low: close * 0.99, close, volume: 1_000_000 + i };
  });
}

interface FixtureTicker {
  profile: CompanyProfile;
  annual: StatementPeriod[];
  quarterly: StatementPeriod[];
  bars: PriceBar[];
  ratings?: AnalystRatings;
  events: CompanyNews['events'];
  insiders?: InsiderTransactions['transactions'];
}

const nvdaAnnual: StatementPeriod[] = [
  {
    fiscalYear: 2024,
    periodEnd: '2024-01-28',
    label: 'FY2024',
    items: {
      revenue: { value: 60_922_000_000, source: NVDA_10K },
      netIncome: { value: 29_760_000_000, source: NVDA_10K },
    },
  },
  {
    fiscalYear: 2023,
    periodEnd: '2023-01-29',
    label: 'FY2023',
    items: { revenue: { value: 26_974_000_000, source: { ...NVDA_10K, period: 'FY2023' } } },
  },
];

const FIXTURES: Record<string, FixtureTicker> = {
  NVDA: {
    profile: {
      ticker: 'NVDA',
      name: 'NVIDIA Corporation',
      cik: '0001045810',
      exchange: 'Nasdaq',
      sic: { code: '3674', description: 'Semiconductors & Related Devices' },
      gics: { sector: 'Information Technology', subIndustry: 'Semiconductors' },
      fiscalYearEnd: '01-28',
      summary: 'NVIDIA Corporation (NVDA) is a Nasdaq-listed semiconductors company (SIC 3674).',
      sources: [{ provider: 'sec-submissions', ref: 'CIK0001045810.json' }],
    },
    annual: nvdaAnnual,
    quarterly: [
      {
        fiscalYear: 2025,
        fiscalQuarter: 1,
        periodEnd: '2024-04-28',
        label: 'Q1 FY2025',
        items: { revenue: { value: 26_044_000_000, source: { ...NVDA_10K, ref: '10-Q', period: 'Q1 FY2025' } } },
      },
    ],
    bars: syntheticBars(100),
    ratings: {
      ticker: 'NVDA',
      asOf: '2026-08-21',
      analystCount: 60,
      rating: 'strong_buy',
      price: 180,
      targetMean: 216,
      targetHigh: 280,
      targetLow: 140,
      upsidePct: 20,
      history: [{ date: '2026-05-01', targetMean: 200, analystCount: 58 }],
      source: { provider: 'fixture', ref: 'test/fixtures/consensus.csv', asOf: '2026-08-21' },
    },
    events: [
      {
        date: '2026-08-20',
        kind: '8-K',
        title: '8-K: Results of Operations and Financial Condition (2.02)',
        items: ['2.02', '9.01'],
        source: { provider: 'sec-submissions', ref: '8-K accn 0001045810-26-000001' },
      },
      {
        date: '2026-06-01',
        kind: '8-K',
        title: '8-K: Submission of Matters to a Vote of Security Holders (5.07)',
        items: ['5.07'],
        source: { provider: 'sec-submissions', ref: '8-K accn 0001045810-26-000002' },
      },
    ],
    insiders: [
      {
        filingDate: '2026-08-01',
        transactionDate: '2026-07-30',
        insider: 'Example Insider',
        title: 'Director',
        code: 'S',
        shares: 1000,
        price: 175,
        value: 175_000,
        sharesAfter: 50_000,
        accession: '0001045810-26-000003',
      },
    ],
  },
  KO: {
    profile: {
      ticker: 'KO',
      name: 'Coca-Cola Company',
      exchange: 'NYSE',
      summary: 'The Coca-Cola Company (KO) is a NYSE-listed beverages company.',
      sources: [{ provider: 'sp500-datasets', ref: 'constituents.csv' }],
    },
    annual: [
      {
        fiscalYear: 2025,
        periodEnd: '2025-12-31',
        label: 'FY2025',
        items: { revenue: { value: 47_000_000_000, source: { provider: 'fixture', ref: 'ko.csv', period: 'FY2025' } } },
      },
    ],
    quarterly: [],
    bars: syntheticBars(60),
    events: [],
  },
};

/** The fixture provider; `id` defaults to `fixture`. */
export function createFixtureProvider(id = 'fixture'): DataProvider {
  const get = (ticker: string): FixtureTicker => {
    const data = FIXTURES[ticker];
    if (data === undefined) throw new UnknownTickerError(ticker);
    return data;
  };
  const pricesSource = (ticker: string): Source => ({ provider: 'fixture', ref: `test/fixtures/prices/${ticker}.csv` });
  return {
    id,
    tickers: () => Object.keys(FIXTURES),
    async profile(ticker) {
      return get(ticker).profile;
    },
    async financials(ticker, period, limit): Promise<CompanyFinancials> {
      const data = get(ticker);
      const periods = (period === 'annual' ? data.annual : data.quarterly).slice(0, limit);
      return { ticker, currency: 'USD', period, periods, sources: periods.length ? [NVDA_10K] : [] };
    },
    async prices(ticker, range = {}): Promise<PriceHistory> {
      const { bars } = get(ticker);
      const end = range.end ?? (bars.at(-1) as PriceBar).date;
      const start = range.start ?? addDays(end, -365);
      const inRange = bars.filter((b) => b.date >= start && b.date <= end);
      return { ticker, currency: 'USD', adjusted: 'split', start, end, bars: inRange, source: pricesSource(ticker) };
    },
    async analystRatings(ticker) {
      const { ratings } = get(ticker);
      if (ratings === undefined)
        throw new DataUnavailableError(`No analyst consensus for ${ticker} in the ${id} data set.`);
      return ratings;
    },
    async news(ticker, limit): Promise<CompanyNews> {
      const events = get(ticker).events.slice(0, limit);
      return { ticker, events, source: { provider: 'sec-submissions', ref: `fixture 8-K list for ${ticker}` } };
    },
    async insiderTransactions(ticker, limit): Promise<InsiderTransactions> {
      const { insiders } = get(ticker);
      if (insiders === undefined)
        throw new DataUnavailableError(`No insider transactions for ${ticker} in the ${id} data set.`);
      return {
        ticker,
        transactions: insiders.slice(0, limit),
        last12m: insiderSummary(insiders),
        source: { provider: 'sec-form4', ref: `fixture Form 4 list for ${ticker}` },
      };
    },
  };
}
