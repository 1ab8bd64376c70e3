/**
 * Company profiles for the bundled data set, written from codes and figures only (no prose copied from elsewhere):
 * name, CIK, GICS sector and sub-industry, SIC, exchange, headquarters, fiscal year end, S&P 500 membership, and the
 * market snapshot of {@link SNAPSHOT_DATE} (price and targets in USD, dividend yield in %), each with its source.
 */
import type { TickerBundle } from '../../src/mcp-server/providers/bundle-format.js';
import { readableCompanyName } from '../../src/mcp-server/providers/company-name.js';
import { describeCompany } from '../../src/mcp-server/providers/profile-summary.js';
import { submissionsProfileFields } from '../../src/mcp-server/providers/sec-submissions.js';
import type { CompanyProfile, Source } from '../../src/mcp-server/shapes.js';
import { HELIAR, num, round, SAMPLE, type SharedSources, SNAPSHOT_DATE, submissionsFor } from './sources.js';

/**
 * The profile of `ticker` from the S&P 500 tables, its SEC submissions and the Nasdaq-100 components;
 * `fin` supplies the fiscal year end when no filing states it. `undefined` when no source names the company.
 */
export function profile(
  src: SharedSources,
  ticker: string,
  fin: TickerBundle['financials'],
): CompanyProfile | undefined {
  const c = src.constituents.get(ticker);
  const s = src.snapshot.get(ticker);
  const sub = submissionsFor(src, ticker);
  const ndx = src.ndxComponents.get(ticker) ?? src.targets.find((r) => r.ticker === ticker);
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
  const category = !c && !s ? src.ndxComponents.get(ticker)?.category : undefined;
  const extra = category ? ` Nasdaq-100 component, category ${category}.` : '';
  return { ...base, summary: `${describeCompany(base)}${extra}`, sources };
}
