/**
 * Figures the fundamentals analyst reads from statements (SEC companyfacts / 10-K / yfinance-derived): per fiscal
 * year (revenue, growth, margins, net income, diluted EPS, free cash flow), revenue CAGR, the latest balance sheet
 * (cash, debt, net cash, equity) and the latest quarter's revenue growth. Amounts in USD, margins and growth in %,
 * each figure with its source and fiscal period. Pure functions.
 */
import type { SourcedValue, StatementPeriod } from '../../mcp-server/shapes.js';
import type { Figure } from '../types.js';
import { derived, round, sourced } from './common.js';

/** How many fiscal years of per-year figures the analyst keeps (the Fundamentals table's rows). */
export const TABLE_YEARS = 4;

/** Gross profit of a period: reported, or revenue − cost of revenue. */
function grossProfit(p: StatementPeriod): { value: number; ref: string; base: SourcedValue } | undefined {
  const { revenue, grossProfit: gp, costOfRevenue } = p.items;
  if (gp) return { value: gp.value, ref: `gross profit ${p.label}`, base: gp };
  if (revenue && costOfRevenue) {
    return { value: revenue.value - costOfRevenue.value, ref: `revenue − cost of revenue ${p.label}`, base: revenue };
  }
  return undefined;
}

/** Free cash flow of a period: reported, or operating cash flow − capital expenditure. */
export function freeCashFlow(p: StatementPeriod): Figure | undefined {
  const { freeCashFlow: fcf, operatingCashFlow: ocf, capitalExpenditure: capex } = p.items;
  if (fcf) return sourced('free_cash_flow', 'Free cash flow', fcf.value, 'USD', fcf.source, p.label);
  if (ocf && capex) {
    const v = ocf.value - Math.abs(capex.value);
    return derived(
      'free_cash_flow',
      'Free cash flow',
      v,
      'USD',
      p.label,
      `operating cash flow − capex ${p.label}`,
      ocf.source,
      [capex.source],
    );
  }
  return undefined;
}

/** Per-year figures of one fiscal year; `prior` (the year before) enables YoY growth. */
export function yearFigures(p: StatementPeriod, prior: StatementPeriod | undefined): Figure[] {
  const out: Figure[] = [];
  const { revenue, netIncome, operatingIncome, epsDiluted } = p.items;
  const L = p.label;
  if (revenue) out.push(sourced('revenue', 'Revenue', revenue.value, 'USD', revenue.source, L));
  const prev = prior?.items.revenue;
  if (revenue && prev && prev.value > 0 && prior) {
    const g = round((revenue.value / prev.value - 1) * 100);
    out.push(
      derived(
        'revenue_growth_yoy',
        'Revenue growth (YoY)',
        g,
        '%',
        L,
        `revenue ${L} ÷ revenue ${prior.label} − 1`,
        revenue.source,
        [prev.source],
      ),
    );
  }
  const rev = revenue && revenue.value > 0 ? revenue.value : undefined;
  const gp = grossProfit(p);
  if (rev && gp) {
    out.push(
      derived(
        'gross_margin',
        'Gross margin',
        round((gp.value / rev) * 100),
        '%',
        L,
        `${gp.ref} ÷ revenue ${L}`,
        gp.base.source,
        [revenue?.source, p.items.costOfRevenue?.source],
      ),
    );
  }
  if (rev && operatingIncome) {
    const m = round((operatingIncome.value / rev) * 100);
    out.push(
      derived(
        'operating_margin',
        'Operating margin',
        m,
        '%',
        L,
        `operating income ÷ revenue ${L}`,
        operatingIncome.source,
        [revenue?.source],
      ),
    );
  }
  if (netIncome) out.push(sourced('net_income', 'Net income', netIncome.value, 'USD', netIncome.source, L));
  if (rev && netIncome) {
    const m = round((netIncome.value / rev) * 100);
    out.push(
      derived('net_margin', 'Net margin', m, '%', L, `net income ÷ revenue ${L}`, netIncome.source, [revenue?.source]),
    );
  }
  if (epsDiluted)
    out.push(sourced('eps_diluted', 'EPS (diluted)', epsDiluted.value, 'USD/share', epsDiluted.source, L));
  const fcf = freeCashFlow(p);
  if (fcf) out.push(fcf);
  return out;
}

/** Compound annual revenue growth from the oldest kept year (up to 4 years back) to the latest, in %. */
export function revenueCagr(years: StatementPeriod[]): Figure | undefined {
  const latest = years[0];
  const last = latest?.items.revenue;
  if (!latest || !last) return undefined;
  const older = years.filter(
    (p) => p.items.revenue && (p.items.revenue.value ?? 0) > 0 && latest.fiscalYear - p.fiscalYear <= 4,
  );
  const first = older.at(-1);
  const span = first ? latest.fiscalYear - first.fiscalYear : 0;
  if (!first?.items.revenue || span < 2 || last.value <= 0) return undefined;
  const cagr = round(((last.value / first.items.revenue.value) ** (1 / span) - 1) * 100);
  const period = `${first.label}–${latest.label}`;
  return derived(
    'revenue_cagr',
    `Revenue CAGR (${span} years)`,
    cagr,
    '%',
    period,
    `(revenue ${latest.label} ÷ revenue ${first.label})^(1/${span}) − 1`,
    last.source,
    [first.items.revenue.source],
  );
}

/**
 * The debt of a balance sheet as one figure: total debt as `definitions/debt.ts` defines it (the parsers compute
 * the `totalDebt` line item), else the non-current long-term debt alone, labelled so. Used by fundamentals and risk.
 */
export function debtFigure(p: StatementPeriod): Figure | undefined {
  const { totalDebt, longTermDebt } = p.items;
  const item = totalDebt ?? longTermDebt;
  if (!item) return undefined;
  const label = totalDebt ? 'Total debt' : 'Long-term debt';
  return sourced('total_debt', label, item.value, 'USD', item.source, p.label);
}

/** Cash (+ short-term investments), debt, net cash, equity of the latest balance sheet. */
export function balanceFigures(p: StatementPeriod): Figure[] {
  const out: Figure[] = [];
  const { cashAndEquivalents: cash, shortTermInvestments: sti, shareholdersEquity } = p.items;
  const L = p.label;
  let cashTotal: Figure | undefined;
  if (cash && sti) {
    cashTotal = derived(
      'cash_and_investments',
      'Cash and short-term investments',
      cash.value + sti.value,
      'USD',
      L,
      `cash and equivalents + short-term investments ${L}`,
      cash.source,
      [sti.source],
    );
  } else if (cash) {
    cashTotal = sourced('cash_and_investments', 'Cash and equivalents', cash.value, 'USD', cash.source, L);
  }
  if (cashTotal) out.push(cashTotal);
  const debt = debtFigure(p);
  if (debt) out.push(debt);
  if (cashTotal && debt) {
    out.push(
      derived(
        'net_cash',
        'Net cash (cash − debt)',
        cashTotal.value - debt.value,
        'USD',
        L,
        `${cashTotal.label.toLowerCase()} − ${debt.label.toLowerCase()} ${L}`,
        cashTotal.source,
        [debt.source],
      ),
    );
  }
  if (shareholdersEquity) {
    out.push(
      sourced(
        'shareholders_equity',
        "Shareholders' equity",
        shareholdersEquity.value,
        'USD',
        shareholdersEquity.source,
        L,
      ),
    );
  }
  return out;
}

/** Latest quarter's revenue and its growth over the same quarter a year earlier. */
export function quarterFigures(quarters: StatementPeriod[]): Figure[] {
  const q = quarters.find((p) => p.items.revenue);
  const rev = q?.items.revenue;
  if (!q || !rev) return [];
  const out = [sourced('revenue_quarter', 'Revenue (latest quarter)', rev.value, 'USD', rev.source, q.label)];
  const yearAgo = quarters.find((p) => p.fiscalYear === q.fiscalYear - 1 && p.fiscalQuarter === q.fiscalQuarter);
  const prev = yearAgo?.items.revenue;
  if (yearAgo && prev && prev.value > 0) {
    const g = round((rev.value / prev.value - 1) * 100);
    out.push(
      derived(
        'revenue_quarter_growth_yoy',
        'Quarterly revenue growth (YoY)',
        g,
        '%',
        q.label,
        `revenue ${q.label} ÷ revenue ${yearAgo.label} − 1`,
        rev.source,
        [prev.source],
      ),
    );
  }
  return out;
}
