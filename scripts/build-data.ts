/**
 * Builds the bundled data set in `data/` from the shared source files (`npm run data:build [SHARED_DIR]`).
 *
 * Input: the shared data directory (argv[2], or `SHARED_DATA_DIR`, default `../shared/data` next to the repo).
 * Output: `data/index.json`, `data/profiles.json.gz`, `data/tickers/<TICKER>.json.gz` (see
 * `src/mcp-server/providers/bundle-format.ts`). Only this script reads the shared directory; the product reads
 * `data/` alone. Deterministic: the same input gives byte-identical output.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import type {
  BundleIndex,
  CompactBar,
  DataKind,
  IndexEntry,
  TickerBundle,
} from '../src/mcp-server/providers/bundle-format.js';
import { readableCompanyName } from '../src/mcp-server/providers/company-name.js';
import { describeCompany } from '../src/mcp-server/providers/profile-summary.js';
import { parseCompanyFacts, secFilingIndexUrl } from '../src/mcp-server/providers/sec-companyfacts.js';
import { eightKEvents, submissionsProfileFields } from '../src/mcp-server/providers/sec-submissions.js';
import { parseMarkdownStatement, tenKToPeriods } from '../src/mcp-server/providers/tenk-markdown.js';
import { yfinanceToPeriods } from '../src/mcp-server/providers/yfinance-statements.js';
import type { CompanyProfile, InsiderTransaction, Source, StatementPeriod } from '../src/mcp-server/shapes.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(process.argv[2] ?? process.env.SHARED_DATA_DIR ?? join(repo, '..', 'shared', 'data'));
const out = join(repo, 'data');

/** Commits of the upstream repositories the shared files came from (see data/PROVENANCE.md). */
const HELIAR = 'heliar-k/market-base@ea74518';
const SAMPLE = 'development sample, no licence';
/** The heliar-k snapshot's data run to this date (its last daily bar). */
const HELIAR_AS_OF = '2026-08-21';
const SNAPSHOT_DATE = '2026-08-22';
/** Statements or prices not reported in USD: left out (our shapes are USD-only). */
const NON_USD_STATEMENTS: Record<string, string> = { SAMSUNG: 'KRW', SKHYNIX: 'KRW', TSM: 'TWD' };
const NON_USD_PRICES: Record<string, string> = { SAMSUNG: 'KRW', SKHYNIX: 'KRW' };
/** Share classes of one issuer that share statements, filings and insider data. */
const SAME_ISSUER: Record<string, string> = { GOOGL: 'GOOG', GOOG: 'GOOGL' };

type Row = Record<string, string>;
const csv = (path: string): Row[] => parse(readFileSync(path), { columns: true, skip_empty_lines: true, bom: true });
const p = (...parts: string[]): string => join(shared, ...parts);
const list = (dir: string): string[] => (existsSync(p(dir)) ? readdirSync(p(dir)).sort() : []);
const num = (s: string | undefined): number | undefined => {
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
};
const round = (n: number, dp = 4): number => Number(n.toFixed(dp));
const sortTickers = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

if (!existsSync(p('PROVENANCE.txt'))) {
  console.error(`Shared data not found at ${shared}. Pass its path as the first argument or set SHARED_DATA_DIR.`);
  process.exit(2);
}

// ---------- sources ----------
const constituents = new Map(csv(p('reference/sp500_constituents.csv')).map((r) => [r.Symbol ?? '', r]));
const snapshot = new Map(
  csv(p(`reference/sp500_constituents_financials_${SNAPSHOT_DATE}.csv`)).map((r) => [r.Symbol ?? '', r]),
);
const ndxComponents = new Map(csv(p('analyst/heliar-k_ndx_components.csv')).map((r) => [r.ticker ?? '', r]));
const targets = csv(p('analyst/heliar-k_ndx_targets.csv'));
const yfTickers = list('fundamentals/heliar-k_yfinance');
const ibkr = list('prices/heliar-k_ibkr_daily').map((f) => f.replace(/\.csv$/, ''));
const stooq = list('prices/tessera_stooq_adjusted').map((f) => f.replace(/\.csv$/, ''));
const insiderTickers = list('insider/heliar-k_form4').map((f) => f.replace(/\.csv$/, ''));
const companyfactsTickers = list('sec/companyfacts').map((f) => f.replace(/\.json\.gz$/, ''));
const submissions = new Map<string, Record<string, unknown>>();
for (const f of list('sec/submissions')) {
  if (/^[A-Z.]+\.json$/.test(f))
    submissions.set(f.replace(/\.json$/, ''), JSON.parse(readFileSync(p('sec/submissions', f), 'utf8')));
}

const universe = sortTickers([
  ...constituents.keys(),
  ...snapshot.keys(),
  ...ndxComponents.keys(),
  ...targets.map((r) => r.ticker ?? ''),
  ...yfTickers,
  ...ibkr,
  ...stooq,
  ...insiderTickers,
  ...companyfactsTickers,
  ...submissions.keys(),
]).filter(Boolean);

// ---------- statements ----------
function companyFacts(ticker: string): { annual: StatementPeriod[]; quarterly: StatementPeriod[] } | undefined {
  const t = companyfactsTickers.includes(ticker) ? ticker : SAME_ISSUER[ticker];
  if (!t || !companyfactsTickers.includes(t)) return undefined;
  const json = JSON.parse(gunzipSync(readFileSync(p('sec/companyfacts', `${t}.json.gz`))).toString('utf8'));
  const parsed = parseCompanyFacts(json, { since: '2016-01-01' });
  return { annual: parsed.annual, quarterly: parsed.quarterly.filter((q) => q.periodEnd >= '2020-01-01') };
}

function tenK(ticker: string): StatementPeriod[] | undefined {
  const files = list('sec/10k_extracts').filter((f) => f.startsWith(`${ticker}_10-K_`) && f.endsWith('.md'));
  const meta = list('sec/10k_extracts').find((f) => f.startsWith(`${ticker}_10-K_`) && f.endsWith('_filing.json'));
  if (files.length === 0 || !meta) return undefined;
  const filing = JSON.parse(readFileSync(p('sec/10k_extracts', meta), 'utf8')) as Record<string, string | number>;
  const order = ['IncomeStatement', 'BalanceSheet', 'CashFlow'];
  files.sort((a, b) => order.findIndex((o) => a.includes(o)) - order.findIndex((o) => b.includes(o)));
  const accession = String(filing.accession_number);
  return tenKToPeriods(
    files.map((f) => parseMarkdownStatement(readFileSync(p('sec/10k_extracts', f), 'utf8'))),
    {
      provider: 'sec-10k',
      accession,
      filed: String(filing.filing_date),
      files: [`sec/10k_extracts/${ticker}_10-K_*.md`],
      url: secFilingIndexUrl(String(filing.cik), accession),
    },
  );
}

function yfinance(ticker: string, freq: 'annual' | 'quarterly'): StatementPeriod[] | undefined {
  const t = yfTickers.includes(ticker) ? ticker : SAME_ISSUER[ticker];
  if (!t || !yfTickers.includes(t) || NON_USD_STATEMENTS[t]) return undefined;
  const dir = `fundamentals/heliar-k_yfinance/${t}`;
  const read = (kind: string, f: 'annual' | 'quarterly') => {
    const file = `${kind}_${f}.csv`;
    return existsSync(p(dir, file)) ? { file, rows: csv(p(dir, file)) } : { file, rows: [] };
  };
  const annualDates = read('income', 'annual')
    .rows.map((r) => r.date ?? '')
    .filter(Boolean);
  const fyeMonth = Number((annualDates[annualDates.length - 1] ?? '2000-12-31').slice(5, 7));
  const tables = ['income', 'balance', 'cashflow'].map((k) => read(k, freq));
  const origin = {
    provider: 'yfinance-heliar-k',
    refPrefix: `${dir} (${HELIAR} data/financials, ${SAMPLE})`,
    asOf: HELIAR_AS_OF,
  };
  return yfinanceToPeriods(tables, freq, fyeMonth, origin);
}

/** Merge period lists by label: earlier lists win per item, later lists fill gaps and add periods. */
function mergePeriods(...lists: (StatementPeriod[] | undefined)[]): StatementPeriod[] {
  const byLabel = new Map<string, StatementPeriod>();
  for (const l of lists) {
    for (const period of l ?? []) {
      const have = byLabel.get(period.label);
      if (!have) {
        byLabel.set(period.label, structuredClone(period));
        continue;
      }
      for (const [k, v] of Object.entries(period.items)) {
        const key = k as keyof StatementPeriod['items'];
        if (have.items[key] === undefined && v) have.items[key] = v;
      }
    }
  }
  return [...byLabel.values()].sort((a, b) => b.periodEnd.localeCompare(a.periodEnd));
}

function financials(ticker: string): TickerBundle['financials'] {
  const cf = companyFacts(ticker);
  const annual = mergePeriods(cf?.annual, tenK(ticker), yfinance(ticker, 'annual'));
  const quarterly = mergePeriods(cf?.quarterly, yfinance(ticker, 'quarterly'));
  if (annual.length === 0 && quarterly.length === 0) return undefined;
  const seen = new Map<string, Source>();
  for (const period of [...annual, ...quarterly]) {
    for (const v of Object.values(period.items)) {
      if (!v) continue;
      const key = `${v.source.provider}|${v.source.ref.replace(/^(derived|computed): .*/, '')}`;
      if (!seen.has(key) && !v.source.ref.startsWith('derived') && !v.source.ref.startsWith('computed'))
        seen.set(key, {
          provider: v.source.provider,
          ref: v.source.ref,
          ...(v.source.url ? { url: v.source.url } : {}),
        });
    }
  }
  return { annual, quarterly, sources: [...seen.values()].slice(0, 40) };
}

// ---------- prices ----------
function prices(ticker: string): TickerBundle['prices'] {
  const ib = ibkr.includes(ticker) ? ticker : ticker === 'GOOGL' ? 'GOOG' : undefined;
  if (ib && !NON_USD_PRICES[ib]) {
    const rows = csv(p('prices/heliar-k_ibkr_daily', `${ib}.csv`));
    const bars = trim(rows.map((r) => bar(r.date, r.open, r.high, r.low, r.close, r.volume)));
    const note = ib !== ticker ? `; ${ib} (Class C) prices used for ${ticker}` : '';
    return {
      adjusted: 'split',
      bars,
      source: {
        provider: 'ibkr-heliar-k',
        ref: `prices/heliar-k_ibkr_daily/${ib}.csv (${HELIAR} data/stocks/${ib}.csv; IBKR daily bars, ${SAMPLE}${note})`,
        asOf: bars[bars.length - 1]?.[0] ?? '',
      },
    };
  }
  if (stooq.includes(ticker)) {
    const rows = csv(p('prices/tessera_stooq_adjusted', `${ticker}.csv`));
    const bars = trim(rows.map((r) => bar(r.Date, r.Open, r.High, r.Low, r.Close, r.Volume)));
    return {
      adjusted: 'split+dividend',
      bars,
      source: {
        provider: 'stooq-tessera',
        ref: `prices/tessera_stooq_adjusted/${ticker}.csv (Ekagraj/tessera@607852b data/${ticker}.csv; Stooq daily bars, ${SAMPLE})`,
        asOf: bars[bars.length - 1]?.[0] ?? '',
      },
    };
  }
  return undefined;
}
function bar(...cells: (string | undefined)[]): CompactBar | undefined {
  const [date, ...rest] = cells;
  const nums = rest.map(num);
  if (!date || nums.some((n) => n === undefined)) return undefined;
  const [o, h, l, c, v] = nums as number[];
  return [date, round(o ?? 0), round(h ?? 0), round(l ?? 0), round(c ?? 0), Math.round(v ?? 0)];
}
/** Keep the last 3 years of bars (relative to the last bar). */
function trim(bars: (CompactBar | undefined)[]): CompactBar[] {
  const ok = bars.filter((b): b is CompactBar => b !== undefined).sort((a, b) => a[0].localeCompare(b[0]));
  const last = ok[ok.length - 1]?.[0];
  if (!last) return [];
  const cutoff = `${Number(last.slice(0, 4)) - 3}${last.slice(4)}`;
  return ok.filter((b) => b[0] > cutoff);
}

// ---------- analyst consensus ----------
function analyst(ticker: string): TickerBundle['analyst'] {
  const rows = targets.filter((r) => r.ticker === ticker).sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''));
  const last = rows[rows.length - 1];
  if (!last) return undefined;
  const price = num(last.price) ?? 0;
  const mean = num(last.target_mean) ?? 0;
  return {
    asOf: last.date ?? '',
    analystCount: num(last.analysts) ?? 0,
    rating: last.rating ?? '',
    price,
    targetMean: round(mean, 2),
    targetHigh: round(num(last.target_high) ?? 0, 2),
    targetLow: round(num(last.target_low) ?? 0, 2),
    upsidePct: price > 0 ? round((mean / price - 1) * 100, 2) : 0,
    history: rows.map((r) => ({
      date: r.date ?? '',
      targetMean: round(num(r.target_mean) ?? 0, 2),
      analystCount: num(r.analysts) ?? 0,
    })),
    source: {
      provider: 'nasdaq100-consensus-heliar-k',
      ref: `analyst/heliar-k_ndx_targets.csv (${HELIAR} data/analyst; yfinance consensus snapshots, ${SAMPLE})`,
      period: last.date ?? '',
      asOf: last.date ?? '',
    },
  };
}

// ---------- SEC 8-K events ----------
function submissionsFor(ticker: string): Record<string, unknown> | undefined {
  return submissions.get(ticker) ?? (SAME_ISSUER[ticker] ? submissions.get(SAME_ISSUER[ticker] ?? '') : undefined);
}
function news(ticker: string): TickerBundle['news'] {
  const sub = submissionsFor(ticker);
  if (!sub) return undefined;
  const ref = `sec/submissions/${ticker}.json (SEC submissions API via dgunning/edgartools@ca5a700, public domain)`;
  const events = eightKEvents(sub);
  if (events.length === 0) return undefined;
  return { source: { provider: 'sec-submissions', ref, asOf: events[0]?.date ?? '' }, events };
}

// ---------- insider transactions ----------
function insider(ticker: string): TickerBundle['insider'] {
  const t = insiderTickers.includes(ticker) ? ticker : SAME_ISSUER[ticker];
  if (!t || !insiderTickers.includes(t)) return undefined;
  const transactions: InsiderTransaction[] = csv(p('insider/heliar-k_form4', `${t}.csv`)).map((r) => ({
    filingDate: r.filing_date ?? '',
    transactionDate: r.transaction_date ?? '',
    insider: r.insider_name ?? '',
    title: r.title ?? '',
    code: r.code ?? '',
    shares: num(r.shares) ?? 0,
    price: num(r.price) ?? null,
    value: num(r.value) === undefined ? null : round(num(r.value) ?? 0, 2),
    sharesAfter: num(r.shares_after) ?? null,
    accession: r.accession ?? '',
  }));
  transactions.sort(
    (a, b) => b.filingDate.localeCompare(a.filingDate) || b.transactionDate.localeCompare(a.transactionDate),
  );
  const note = t !== ticker ? `; filed under ${t}, same issuer` : '';
  return {
    transactions,
    source: {
      provider: 'sec-form4',
      ref: `insider/heliar-k_form4/${t}.csv (SEC Form 4 parsed by ${HELIAR} data/insider${note})`,
      asOf: transactions[0]?.filingDate ?? '',
    },
  };
}

// ---------- profiles ----------
function profile(ticker: string, fin: TickerBundle['financials']): CompanyProfile | undefined {
  const c = constituents.get(ticker);
  const s = snapshot.get(ticker);
  const sub = submissionsFor(ticker);
  const ndx = ndxComponents.get(ticker) ?? targets.find((r) => r.ticker === ticker);
  const listed = c?.Security ?? s?.Name ?? (sub?.name as string | undefined) ?? ndx?.company;
  if (!listed) return undefined;
  const name = readableCompanyName(listed);
  const sources: Source[] = [];
  const base: Omit<CompanyProfile, 'summary' | 'sources'> = { ticker, name };
  if (c) {
    sources.push({
      provider: 'sp500-datasets',
      ref: 'reference/sp500_constituents.csv (datasets/s-and-p-500-companies@56509dd, ODC-PDDL-1.0)',
      asOf: '2026-08-08',
    });
    if (c.CIK) base.cik = c.CIK.padStart(10, '0');
    if (c['GICS Sector']) base.gics = { sector: c['GICS Sector'], subIndustry: c['GICS Sub-Industry'] ?? '' };
    if (c['Headquarters Location']) base.headquarters = c['Headquarters Location'];
    if (c.Founded) base.founded = c.Founded;
    if (c['Date added']) base.sp500Added = c['Date added'];
  }
  if (sub) {
    sources.push({
      provider: 'sec-submissions',
      ref: `sec/submissions/${ticker}.json (SEC submissions API)`,
      url: `https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK=${sub.cik}`,
    });
    const { cik, exchange, sic, fiscalYearEnd } = submissionsProfileFields(sub);
    if (cik) base.cik = cik;
    if (exchange) base.exchange = exchange;
    if (sic) base.sic = sic;
    if (fiscalYearEnd) base.fiscalYearEnd = fiscalYearEnd;
  }
  if (!base.fiscalYearEnd && fin?.annual[0]) base.fiscalYearEnd = fin.annual[0].periodEnd.slice(5);
  if (s) {
    const source: Source = {
      provider: 'sp500-datasets',
      ref: `reference/sp500_constituents_financials_${SNAPSHOT_DATE}.csv (datasets/s-and-p-500-companies-financials@44d0ca3; values from Yahoo Finance)`,
      asOf: SNAPSHOT_DATE,
    };
    const snap: NonNullable<CompanyProfile['snapshot']> = { asOf: SNAPSHOT_DATE, source };
    const set = <K extends keyof typeof snap>(k: K, v: number | undefined): void => {
      if (v !== undefined) (snap as Record<string, unknown>)[k] = v;
    };
    set('price', num(s.Price));
    set('marketCap', num(s['Market Cap']));
    set('pe', num(s['Price/Earnings']));
    set('eps', num(s['Earnings/Share']));
    const dy = num(s['Dividend Yield']);
    set('dividendYieldPct', dy === undefined ? undefined : round(dy * 100, 3));
    set('week52High', num(s['52 Week High']));
    set('week52Low', num(s['52 Week Low']));
    set('ebitda', num(s.EBITDA));
    set('priceToSales', num(s['Price/Sales']));
    set('priceToBook', num(s['Price/Book']));
    base.snapshot = snap;
    sources.push(source);
  }
  if (!c && !s && ndx) {
    sources.push({
      provider: 'nasdaq100-consensus-heliar-k',
      ref: `analyst/heliar-k_ndx_components.csv (${HELIAR}, ${SAMPLE})`,
    });
  }
  const category = !c && !s ? ndxComponents.get(ticker)?.category : undefined;
  const extra = category ? ` Nasdaq-100 component, category ${category}.` : '';
  return { ...base, summary: `${describeCompany(base)}${extra}`, sources };
}

// ---------- checks against figures stated in the shared PROVENANCE.txt ----------
const checks: [string, string, 'revenue' | 'netIncome', number][] = [
  ['NVDA', 'FY2024', 'revenue', 60_922e6],
  ['AAPL', 'FY2023', 'revenue', 383_285e6],
  ['GOOGL', 'FY2024', 'revenue', 350_018e6],
  ['MSFT', 'FY2025', 'revenue', 281_724e6],
  ['TSLA', 'FY2024', 'revenue', 97_690e6],
  ['TSLA', 'FY2024', 'netIncome', 7_091e6],
  ['AMZN', 'FY2024', 'revenue', 637_959e6],
  ['META', 'FY2024', 'revenue', 164_501e6],
];
const failed: string[] = [];
for (const [ticker, label, item, expected] of checks) {
  const got = financials(ticker)?.annual.find((x) => x.label === label)?.items[item]?.value;
  if (got !== expected) failed.push(`${ticker} ${label} ${item}: got ${got}, expected ${expected}`);
}
const nvdaBar = prices('NVDA')?.bars.find((b) => b[0] === '2024-06-10');
if (nvdaBar?.[4] !== 121.79) failed.push(`NVDA 2024-06-10 close: got ${nvdaBar?.[4]}, expected 121.79`);
if (failed.length > 0) {
  console.error(`Bundled data failed its checks:\n  ${failed.join('\n  ')}`);
  process.exit(1);
}

// ---------- write ----------
rmSync(join(out, 'tickers'), { recursive: true, force: true });
mkdirSync(join(out, 'tickers'), { recursive: true });
const index: BundleIndex = { version: 1, dataAsOf: SNAPSHOT_DATE, tickers: {} };
const profiles: Record<string, CompanyProfile> = {};
for (const ticker of universe) {
  const notes: IndexEntry['notes'] = {};
  const bundle: TickerBundle = { ticker };
  const fin = financials(ticker);
  if (fin) bundle.financials = fin;
  else if (NON_USD_STATEMENTS[ticker])
    notes.financials = `statements are reported in ${NON_USD_STATEMENTS[ticker]}, not USD`;
  const px = prices(ticker);
  if (px) bundle.prices = px;
  else if (NON_USD_PRICES[ticker]) notes.prices = `prices are quoted in ${NON_USD_PRICES[ticker]}, not USD`;
  const an = analyst(ticker);
  if (an) bundle.analyst = an;
  const nw = news(ticker);
  if (nw) bundle.news = nw;
  const ins = insider(ticker);
  if (ins) bundle.insider = ins;
  const prof = profile(ticker, fin);
  if (prof) profiles[ticker] = prof;
  const has: DataKind[] = [];
  if (prof) has.push('profile');
  for (const k of ['financials', 'prices', 'analyst', 'news', 'insider'] as const) if (bundle[k]) has.push(k);
  if (has.length === 0 && Object.keys(notes).length === 0) continue;
  const entry: IndexEntry = { name: prof?.name ?? ticker, has };
  if (prof?.cik) entry.cik = prof.cik;
  const sector = prof?.gics?.sector ?? ndxComponents.get(ticker)?.category;
  if (sector) entry.sector = sector;
  if (Object.keys(notes).length > 0) entry.notes = notes;
  index.tickers[ticker] = entry;
  if (has.some((k) => k !== 'profile')) {
    writeFileSync(join(out, 'tickers', `${ticker}.json.gz`), gzipSync(JSON.stringify(bundle), { level: 9 }));
  }
}
writeFileSync(join(out, 'profiles.json.gz'), gzipSync(JSON.stringify(profiles), { level: 9 }));
writeFileSync(join(out, 'index.json'), `${JSON.stringify(index, null, 1)}\n`);
const withFiles = Object.values(index.tickers).filter((e) => e.has.some((k) => k !== 'profile')).length;
console.error(
  `Bundled ${Object.keys(index.tickers).length} tickers (${withFiles} with more than a profile) into ${out}`,
);
