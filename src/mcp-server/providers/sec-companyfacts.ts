/**
 * Parser for SEC XBRL "companyfacts" JSON (`https://data.sec.gov/api/xbrl/companyfacts/CIK##########.json`).
 * Pure: JSON in, statement periods out. Used by the bundled-data build script and reusable by a live SEC provider.
 *
 * Method: fiscal years are the ~52-week durations reported in 10-K filings, labelled with SEC's `fy` of the 10-K
 * that first reported them (the company's own naming, see `src/definitions/fiscal.ts`); quarters are ~13-week durations (or
 * year-to-date differences) placed after the previous fiscal year end. Per period and line item, the first us-gaap
 * concept (in priority order) with a value wins; among several filings of the same value the latest filed wins
 * (restatements). Q4 is rarely reported on its own: it is derived as fiscal year minus 9-month year-to-date, and
 * quarterly cash flows as year-to-date differences; derived values say so in `source.ref`.
 */
import { type DebtPart, type DebtPartName, totalDebt } from '../../definitions/debt.js';
import type { LineItem, Source, SourcedValue, StatementPeriod } from '../shapes.js';

/** One fact as the SEC API gives it (subset of fields). */
interface Fact {
  start?: string;
  end: string;
  val: number;
  accn: string;
  form: string;
  filed: string;
  /** Fiscal year and period of the filing that reported the fact (SEC's `fy`, `fp`). */
  fy?: number;
  fp?: string;
}

/** Options for {@link parseCompanyFacts}. */
export interface CompanyFactsOptions {
  /** Provider id written into every source (default `sec-companyfacts`). */
  provider?: string;
  /** Only keep fiscal years ending on or after this ISO date (default: all). */
  since?: string;
}

/** Result of {@link parseCompanyFacts}: newest period first. */
export interface ParsedCompanyFacts {
  cik: string;
  entityName: string;
  annual: StatementPeriod[];
  quarterly: StatementPeriod[];
}

type Kind = 'duration' | 'instant';

/** Balance-sheet debt lines per us-gaap concept, in priority order within a line (see `definitions/debt.ts`). */
const DEBT_TAGS: [DebtPartName, string[]][] = [
  ['commercial paper', ['CommercialPaper', 'ShortTermBorrowings']],
  ['current portion of long-term debt', ['LongTermDebtCurrent', 'DebtCurrent']],
  ['non-current long-term debt', ['LongTermDebtNoncurrent']],
];

/** us-gaap concepts per line item, in priority order, with the XBRL unit. */
const CONCEPTS: Record<
  Exclude<LineItem, 'freeCashFlow' | 'totalDebt'>,
  { kind: Kind; unit: string; tags: string[] }
> = {
  revenue: {
    kind: 'duration',
    unit: 'USD',
    tags: [
      'RevenueFromContractWithCustomerExcludingAssessedTax',
      'Revenues',
      'SalesRevenueNet',
      'RevenueFromContractWithCustomerIncludingAssessedTax',
    ],
  },
  costOfRevenue: {
    kind: 'duration',
    unit: 'USD',
    tags: ['CostOfRevenue', 'CostOfGoodsAndServicesSold', 'CostOfGoodsSold'],
  },
  grossProfit: { kind: 'duration', unit: 'USD', tags: ['GrossProfit'] },
  researchAndDevelopment: { kind: 'duration', unit: 'USD', tags: ['ResearchAndDevelopmentExpense'] },
  operatingIncome: { kind: 'duration', unit: 'USD', tags: ['OperatingIncomeLoss'] },
  netIncome: { kind: 'duration', unit: 'USD', tags: ['NetIncomeLoss'] },
  epsBasic: { kind: 'duration', unit: 'USD/shares', tags: ['EarningsPerShareBasic'] },
  epsDiluted: { kind: 'duration', unit: 'USD/shares', tags: ['EarningsPerShareDiluted'] },
  dilutedShares: { kind: 'duration', unit: 'shares', tags: ['WeightedAverageNumberOfDilutedSharesOutstanding'] },
  sharesOutstanding: { kind: 'instant', unit: 'shares', tags: ['CommonStockSharesOutstanding'] },
  operatingCashFlow: {
    kind: 'duration',
    unit: 'USD',
    tags: ['NetCashProvidedByUsedInOperatingActivities'],
  },
  capitalExpenditure: {
    kind: 'duration',
    unit: 'USD',
    tags: ['PaymentsToAcquirePropertyPlantAndEquipment', 'PaymentsToAcquireProductiveAssets'],
  },
  cashAndEquivalents: { kind: 'instant', unit: 'USD', tags: ['CashAndCashEquivalentsAtCarryingValue'] },
  shortTermInvestments: {
    kind: 'instant',
    unit: 'USD',
    tags: ['ShortTermInvestments', 'MarketableSecuritiesCurrent', 'AvailableForSaleSecuritiesDebtSecuritiesCurrent'],
  },
  longTermDebt: { kind: 'instant', unit: 'USD', tags: ['LongTermDebtNoncurrent'] },
  totalAssets: { kind: 'instant', unit: 'USD', tags: ['Assets'] },
  totalLiabilities: { kind: 'instant', unit: 'USD', tags: ['Liabilities'] },
  shareholdersEquity: { kind: 'instant', unit: 'USD', tags: ['StockholdersEquity'] },
};

/** Items that are flows over the period (summable across quarters); EPS and share counts are not. */
const SUMMABLE = new Set<LineItem>([
  'revenue',
  'costOfRevenue',
  'grossProfit',
  'researchAndDevelopment',
  'operatingIncome',
  'netIncome',
  'operatingCashFlow',
  'capitalExpenditure',
]);

const DAY = 86_400_000;
const days = (a: string, b: string): number => (Date.parse(b) - Date.parse(a)) / DAY;
const near = (a: string, b: string, tol = 4): boolean => Math.abs(days(a, b)) <= tol;

/** Company fiscal year of a period ending on `end`: 52/53-week years ending in early January belong to the year before. */
export function fiscalYearOf(end: string): number {
  return new Date(Date.parse(end) - 7 * DAY).getUTCFullYear();
}

/** URL of the SEC filing index page for an accession number. */
export function secFilingIndexUrl(cik: string | number, accn: string): string {
  const cikNum = String(Number(cik));
  return `https://www.sec.gov/Archives/edgar/data/${cikNum}/${accn.replace(/-/g, '')}/${accn}-index.htm`;
}

function factsFor(usGaap: Record<string, unknown>, tag: string, unit: string): Fact[] {
  const concept = usGaap[tag] as { units?: Record<string, Fact[]> } | undefined;
  const list = concept?.units?.[unit];
  if (!Array.isArray(list)) return [];
  return list.filter((f) => typeof f.val === 'number' && /^10-[KQ]/.test(f.form ?? ''));
}

/** Latest filed fact matching a predicate. */
function latest(facts: Fact[], pred: (f: Fact) => boolean): Fact | undefined {
  let best: Fact | undefined;
  for (const f of facts) if (pred(f) && (!best || f.filed > best.filed)) best = f;
  return best;
}

interface Period {
  fiscalYear: number;
  fiscalQuarter?: number;
  start: string;
  end: string;
  fyStart: string;
}

/**
 * Parse companyfacts JSON into annual and quarterly statement periods (newest first). Money in USD, EPS in
 * USD/share, shares as a count; `capitalExpenditure` is a positive outflow; `freeCashFlow` = operating cash flow −
 * capital expenditure where both exist; `totalDebt` = commercial paper + other short-term borrowings + current and
 * non-current long-term debt ({@link totalDebt}; `LongTermDebt` stands in for the last two when neither is tagged);
 * `longTermDebt` = the non-current part.
 * @throws Error when the JSON is not a companyfacts document (no `facts.us-gaap`).
 */
export function parseCompanyFacts(json: unknown, opts: CompanyFactsOptions = {}): ParsedCompanyFacts {
  const doc = json as { cik?: number | string; entityName?: string; facts?: Record<string, Record<string, unknown>> };
  const usGaap = doc?.facts?.['us-gaap'];
  if (!usGaap) throw new Error('Not an SEC companyfacts document: no us-gaap facts.');
  const cik = String(doc.cik ?? '').padStart(10, '0');
  const provider = opts.provider ?? 'sec-companyfacts';

  // Fiscal years: ~1-year durations of the revenue / net income anchors, reported in a 10-K.
  const anchors = [...CONCEPTS.revenue.tags, 'NetIncomeLoss'].flatMap((t) => factsFor(usGaap, t, 'USD'));
  const years = new Map<string, Period>();
  for (const f of anchors) {
    if (!f.start || !f.form.startsWith('10-K')) continue;
    const d = days(f.start, f.end);
    if (d < 350 || d > 380) continue;
    if (opts.since && f.end < opts.since) continue;
    if (!years.has(f.end))
      years.set(f.end, { fiscalYear: fiscalYearOf(f.end), start: f.start, end: f.end, fyStart: f.start });
  }
  // The company's own label of each fiscal year: SEC's `fy` of the 10-K that first reported it (its
  // DocumentFiscalYearFocus); later 10-Ks repeat the year as a comparative under their own `fy`.
  const secFy = (end: string): number => {
    let first: Fact | undefined;
    for (const f of anchors)
      if (f.end === end && f.fp === 'FY' && f.form.startsWith('10-K') && typeof f.fy === 'number')
        if (!first || f.filed < first.filed) first = f;
    return first?.fy ?? fiscalYearOf(end);
  };
  for (const y of years.values()) y.fiscalYear = secFy(y.end);
  const fyList = [...years.values()].sort((a, b) => a.end.localeCompare(b.end));

  // Quarters: discrete ~13-week anchors, plus Q4 of every fiscal year; numbered from the previous fiscal year end.
  const allYearEnds = [
    ...new Set(
      anchors.filter((f) => f.start && days(f.start, f.end) >= 350 && days(f.start, f.end) <= 380).map((f) => f.end),
    ),
  ].sort();
  const quarters = new Map<string, Period>();
  const placeQuarter = (start: string, end: string): void => {
    const prevEnd = allYearEnds.filter((e) => e < end && days(e, end) > 20).pop();
    if (!prevEnd) return;
    const q = Math.round(days(prevEnd, end) / 91.3);
    if (q < 1 || q > 4) return;
    if (opts.since && end < opts.since) return;
    const fyStart = new Date(Date.parse(prevEnd) + DAY).toISOString().slice(0, 10);
    const fiscalYear = secFy(prevEnd) + 1;
    if (!quarters.has(end)) quarters.set(end, { fiscalYear, fiscalQuarter: q, start, end, fyStart });
  };
  for (const f of anchors) {
    if (!f.start) continue;
    const d = days(f.start, f.end);
    if (d >= 80 && d <= 100) placeQuarter(f.start, f.end);
  }
  for (const y of fyList) {
    const q3 = [...quarters.values()].find((q) => q.fiscalYear === y.fiscalYear && q.fiscalQuarter === 3);
    if (q3) placeQuarter(new Date(Date.parse(q3.end) + DAY).toISOString().slice(0, 10), y.end);
  }
  const qList = [...quarters.values()].sort((a, b) => a.end.localeCompare(b.end));

  const label = (p: Period): string =>
    p.fiscalQuarter ? `Q${p.fiscalQuarter} FY${p.fiscalYear}` : `FY${p.fiscalYear}`;
  const src = (f: Fact, p: Period, ref?: string): Source => ({
    provider,
    ref: ref ?? `${f.form} accn ${f.accn}`,
    period: label(p),
    asOf: f.filed,
    url: secFilingIndexUrl(cik, f.accn),
  });

  // Per line item: facts of each candidate concept (priority order). A YTD difference may combine two concepts
  // when a company switched tags mid-year.
  const durationValue = (byTag: Fact[][], p: Period, item: LineItem): SourcedValue | undefined => {
    const first = (pred: (f: Fact) => boolean): Fact | undefined => {
      for (const facts of byTag) {
        const f = latest(facts, pred);
        if (f) return f;
      }
      return undefined;
    };
    const exact = first((f) => !!f.start && near(f.start, p.start) && near(f.end, p.end, 2));
    if (exact) return { value: exact.val, source: src(exact, p) };
    if (!p.fiscalQuarter || !SUMMABLE.has(item)) return undefined;
    // Year-to-date difference: YTD(to this quarter end) − YTD(to the previous quarter end).
    const ytd = first((f) => !!f.start && near(f.start, p.fyStart) && near(f.end, p.end, 2));
    const prevYtd = first((f) => !!f.start && near(f.start, p.fyStart) && near(f.end, p.start, 5));
    if (!ytd || !prevYtd) return undefined;
    const ytdWhat = p.fiscalQuarter === 4 ? 'FY' : `${p.fiscalQuarter * 3}-month YTD`;
    const prevWhat = `${(p.fiscalQuarter - 1) * 3}-month YTD`;
    const ref = `derived: ${ytdWhat} (${ytd.form} accn ${ytd.accn}) minus ${prevWhat} (${prevYtd.form} accn ${prevYtd.accn})`;
    return { value: ytd.val - prevYtd.val, source: src(ytd, p, ref) };
  };
  const instantValue = (facts: Fact[], p: Period): SourcedValue | undefined => {
    const f = latest(facts, (x) => !x.start && near(x.end, p.end, 2));
    return f ? { value: f.val, source: src(f, p) } : undefined;
  };

  const build = (p: Period): StatementPeriod => {
    const items: StatementPeriod['items'] = {};
    for (const [item, spec] of Object.entries(CONCEPTS) as [LineItem, (typeof CONCEPTS)['revenue']][]) {
      const byTag = spec.tags.map((tag) => factsFor(usGaap, tag, spec.unit));
      let v: SourcedValue | undefined;
      if (spec.kind === 'duration') v = durationValue(byTag, p, item);
      else for (const facts of byTag) v ??= instantValue(facts, p);
      if (v) items[item] = v;
    }
    const debtParts: DebtPart[] = [];
    for (const [name, tags] of DEBT_TAGS) {
      let v: SourcedValue | undefined;
      for (const tag of tags) v ??= instantValue(factsFor(usGaap, tag, 'USD'), p);
      if (v) debtParts.push({ name, ...v });
    }
    if (!debtParts.some((d) => d.name.includes('long-term debt'))) {
      const ltd = instantValue(factsFor(usGaap, 'LongTermDebt', 'USD'), p);
      if (ltd) debtParts.push({ name: 'long-term debt (current and non-current)', ...ltd });
    }
    const debt = totalDebt(debtParts);
    if (debt) items.totalDebt = debt;
    if (items.capitalExpenditure) items.capitalExpenditure.value = Math.abs(items.capitalExpenditure.value);
    const rev = items.revenue;
    const cost = items.costOfRevenue;
    if (!items.grossProfit && rev && cost) {
      items.grossProfit = {
        value: rev.value - cost.value,
        source: { ...rev.source, ref: `computed: revenue (${rev.source.ref}) − cost of revenue (${cost.source.ref})` },
      };
    }
    const ocf = items.operatingCashFlow;
    const capex = items.capitalExpenditure;
    if (ocf && capex) {
      items.freeCashFlow = {
        value: ocf.value - capex.value,
        source: {
          ...ocf.source,
          ref: `computed: operating cash flow (${ocf.source.ref}) − capex (${capex.source.ref})`,
        },
      };
    }
    const out: StatementPeriod = { fiscalYear: p.fiscalYear, periodEnd: p.end, label: label(p), items };
    if (p.fiscalQuarter) out.fiscalQuarter = p.fiscalQuarter;
    return out;
  };

  const keep = (s: StatementPeriod): boolean => s.items.revenue !== undefined || s.items.netIncome !== undefined;
  return {
    cik,
    entityName: doc.entityName ?? '',
    annual: fyList.map(build).filter(keep).reverse(),
    quarterly: qList.map(build).filter(keep).reverse(),
  };
}
