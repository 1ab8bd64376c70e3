/**
 * Turns yfinance-style statement tables (`Ticker.income_stmt`, `.balance_sheet`, `.cashflow` written as CSV with
 * one row per period and a `date` column) into statement periods. Rows are already parsed into records (column name
 * → cell text); this module only maps columns to line items and dates to fiscal periods. Money in the reporting
 * currency's whole units (the caller checks that is USD).
 */
import { type DebtPart, type DebtPartName, totalDebt } from '../../definitions/debt.js';
import type { FiscalYearNaming } from '../../definitions/fiscal.js';
import type { LineItem, Source, StatementPeriod } from '../shapes.js';

/** yfinance column per line item (first non-empty wins). */
const COLUMNS: Partial<Record<LineItem, string[]>> = {
  revenue: ['Total Revenue', 'Operating Revenue'],
  costOfRevenue: ['Cost Of Revenue', 'Reconciled Cost Of Revenue'],
  grossProfit: ['Gross Profit'],
  researchAndDevelopment: ['Research And Development'],
  // Reported (GAAP) operating income first; yfinance's "Operating Income" leaves out some reported charges (AbbVie
  // FY2025: $20.09B against $15.08B as reported). One column per table, so a trend never compares two bases.
  operatingIncome: ['Total Operating Income As Reported', 'Operating Income'],
  netIncome: ['Net Income', 'Net Income Common Stockholders'],
  epsBasic: ['Basic EPS'],
  epsDiluted: ['Diluted EPS'],
  dilutedShares: ['Diluted Average Shares'],
  sharesOutstanding: ['Ordinary Shares Number', 'Share Issued'],
  operatingCashFlow: ['Operating Cash Flow', 'Cash Flow From Continuing Operating Activities'],
  capitalExpenditure: ['Capital Expenditure'],
  cashAndEquivalents: ['Cash And Cash Equivalents'],
  shortTermInvestments: ['Other Short Term Investments'],
  longTermDebt: ['Long Term Debt'],
  totalAssets: ['Total Assets'],
  totalLiabilities: ['Total Liabilities Net Minority Interest'],
  shareholdersEquity: ['Stockholders Equity', 'Common Stock Equity'],
};

/** Items whose column is chosen once per table, so all periods share one basis (GAAP operating income). */
const ONE_BASIS: readonly LineItem[] = ['operatingIncome'];

/**
 * Debt lines per yfinance column (see `definitions/debt.ts`): `Current Debt` is yfinance's own sum of commercial
 * paper, other current borrowings and the current portion of long-term debt; its parts are read only when it is
 * empty. yfinance's `Total Debt` and lease columns are not used: they add lease obligations that include operating
 * leases.
 */
const DEBT_COLUMNS: [DebtPartName, string][] = [
  ['current debt', 'Current Debt'],
  ['commercial paper', 'Commercial Paper'],
  ['other short-term borrowings', 'Other Current Borrowings'],
  ['non-current long-term debt', 'Long Term Debt'],
];

/** One statement table: its file name (for `source.ref`) and its rows. */
export interface YfTable {
  file: string;
  rows: Record<string, string>[];
}

/** Where the tables came from. */
export interface YfOrigin {
  /** Provider id, e.g. `yfinance-heliar-k`. */
  provider: string;
  /** Path prefix for refs, e.g. `fundamentals/heliar-k_yfinance/NVDA`. */
  refPrefix: string;
  /** How the company names its fiscal years (`src/definitions/fiscal.ts`). @default 'end-year' */
  naming?: FiscalYearNaming;
  /** Date the data was captured (ISO), if known. */
  asOf?: string;
}

const monthOf = (iso: string): number => Number(iso.slice(5, 7));
const yearOf = (iso: string): number => Number(iso.slice(0, 4));

/**
 * Fiscal label of a period end given the fiscal-year-end month (1–12) and the company's naming
 * (`src/definitions/fiscal.ts`): NVDA (FYE January, end-year): quarter ending 2025-04-30 → Q1 FY2026; Home Depot
 * (FYE January, start-year): year ending 2026-01-31 → FY2025.
 */
export function fiscalPeriodOf(
  end: string,
  fyeMonth: number,
  naming: FiscalYearNaming = 'end-year',
): { fiscalYear: number; fiscalQuarter: number } {
  const m = monthOf(end);
  const monthsAfterFye = (m - fyeMonth + 12) % 12;
  const fiscalQuarter = monthsAfterFye === 0 ? 4 : Math.ceil(monthsAfterFye / 3);
  const endYear = m <= fyeMonth ? yearOf(end) : yearOf(end) + 1;
  return { fiscalYear: naming === 'start-year' && fyeMonth !== 12 ? endYear - 1 : endYear, fiscalQuarter };
}

/**
 * Build periods (newest first) from yfinance tables of one frequency. `fyeMonth` is the fiscal-year-end month
 * (from the annual tables' dates). Capex becomes a positive outflow; free cash flow = operating cash flow − capex.
 * Periods with neither revenue nor net income are dropped.
 */
export function yfinanceToPeriods(
  tables: YfTable[],
  frequency: 'annual' | 'quarterly',
  fyeMonth: number,
  origin: YfOrigin,
): StatementPeriod[] {
  const byEnd = new Map<string, StatementPeriod>();
  for (const table of tables) {
    // Items read from one column for the whole table (the first column that has a value in any row).
    const basis = new Map<LineItem, string>();
    for (const item of ONE_BASIS) {
      const col = COLUMNS[item]?.find((c) => table.rows.some((r) => Number.isFinite(Number(r[c] || 'x'))));
      if (col) basis.set(item, col);
    }
    for (const row of table.rows) {
      const end = row.date ?? '';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(end)) continue;
      const fp = fiscalPeriodOf(end, fyeMonth, origin.naming);
      const label = frequency === 'annual' ? `FY${fp.fiscalYear}` : `Q${fp.fiscalQuarter} FY${fp.fiscalYear}`;
      let period = byEnd.get(end);
      if (!period) {
        period = { fiscalYear: fp.fiscalYear, periodEnd: end, label, items: {} };
        if (frequency === 'quarterly') period.fiscalQuarter = fp.fiscalQuarter;
        byEnd.set(end, period);
      }
      const source: Source = { provider: origin.provider, ref: `${origin.refPrefix}/${table.file}`, period: label };
      if (origin.asOf) source.asOf = origin.asOf;
      const debt: DebtPart[] = [];
      for (const [name, col] of DEBT_COLUMNS) {
        const n = Number(row[col]);
        if (row[col]?.trim() && Number.isFinite(n)) debt.push({ name, value: Math.round(n), source });
      }
      const short = debt.find((d) => d.name === 'current debt');
      const total = totalDebt(
        short ? debt.filter((d) => d.name === 'current debt' || d.name.includes('long-term')) : debt,
      );
      if (total && !period.items.totalDebt) period.items.totalDebt = total;
      for (const [item, cols] of Object.entries(COLUMNS) as [LineItem, string[]][]) {
        if (period.items[item]) continue;
        const only = basis.get(item);
        for (const col of only ? [only] : cols) {
          const cell = row[col];
          if (cell === undefined || cell.trim() === '') continue;
          const n = Number(cell);
          if (!Number.isFinite(n)) continue;
          const perShare = item === 'epsBasic' || item === 'epsDiluted';
          const value = item === 'capitalExpenditure' ? Math.abs(Math.round(n)) : perShare ? n : Math.round(n);
          period.items[item] = { value, source: only ? { ...source, ref: `${source.ref} (${col})` } : source };
          break;
        }
      }
    }
  }
  const out = [...byEnd.values()].filter((p) => p.items.revenue || p.items.netIncome);
  for (const p of out) {
    const ocf = p.items.operatingCashFlow;
    const capex = p.items.capitalExpenditure;
    if (ocf && capex) {
      p.items.freeCashFlow = {
        value: ocf.value - capex.value,
        source: { ...ocf.source, ref: `${ocf.source.ref}; computed: operating cash flow − capex` },
      };
    }
  }
  return out.sort((a, b) => b.periodEnd.localeCompare(a.periodEnd));
}
