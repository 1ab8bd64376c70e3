/**
 * Fundamentals analyst: growth, margins and their trend, free cash flow, cash versus debt, and valuation, from the
 * bundle's annual and quarterly statements (SEC companyfacts / 10-K / yfinance-derived), the last close and the
 * profile's market snapshot. Pure and deterministic.
 *
 * Figures (names; annual ones repeat per fiscal year, newest first, at most {@link TABLE_YEARS} years):
 * - per FY: `revenue`, `revenue_growth_yoy` (%), `gross_margin`, `operating_margin`, `net_margin` (%), `net_income`,
 *   `eps_diluted` (USD/share), `free_cash_flow` (USD)
 * - latest: `revenue_cagr` (%, period `FY2022–FY2026`), `fcf_margin` (%), `cash_and_investments`, `total_debt`,
 *   `net_cash` (USD; negative = net debt), `shareholders_equity`, `revenue_quarter` and `revenue_quarter_growth_yoy`,
 *   `price` (USD/share, period = price date), `market_cap`, `pe_ratio` and `ps_ratio` (x, period = price date).
 * Without annual statements: degraded, confidence 0.1, and only the profile snapshot's `price`, `market_cap`,
 * `pe_ratio`, `ps_ratio` and `dividend_yield` (%).
 */
import type { SourcedValue, StatementPeriod } from '../../mcp-server/shapes.js';
import { formatFigure, formatPct } from '../../writers/format.js';
import type { DataBundle, Figure, Findings } from '../types.js';
import {
  dataOf,
  degradedFields,
  derived,
  failedReasons,
  missingReason,
  round,
  scoreToSignal,
  sourced,
} from './common.js';
import { snapshotFigures, valuationFigures } from './valuation.js';

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
    );
  }
  return undefined;
}

/** Per-year figures of one fiscal year; `prior` (the year before) enables YoY growth. */
function yearFigures(p: StatementPeriod, prior: StatementPeriod | undefined): Figure[] {
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
      ),
    );
  }
  if (netIncome) out.push(sourced('net_income', 'Net income', netIncome.value, 'USD', netIncome.source, L));
  if (rev && netIncome) {
    const m = round((netIncome.value / rev) * 100);
    out.push(derived('net_margin', 'Net margin', m, '%', L, `net income ÷ revenue ${L}`, netIncome.source));
  }
  if (epsDiluted)
    out.push(sourced('eps_diluted', 'EPS (diluted)', epsDiluted.value, 'USD/share', epsDiluted.source, L));
  const fcf = freeCashFlow(p);
  if (fcf) out.push(fcf);
  return out;
}

/** Compound annual revenue growth from the oldest kept year (up to 4 years back) to the latest, in %. */
function revenueCagr(years: StatementPeriod[]): Figure | undefined {
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
  );
}

/** Cash (+ short-term investments), debt, net cash, equity of the latest balance sheet. */
function balanceFigures(p: StatementPeriod): Figure[] {
  const out: Figure[] = [];
  const { cashAndEquivalents: cash, shortTermInvestments: sti, totalDebt, longTermDebt, shareholdersEquity } = p.items;
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
    );
  } else if (cash) {
    cashTotal = sourced('cash_and_investments', 'Cash and equivalents', cash.value, 'USD', cash.source, L);
  }
  if (cashTotal) out.push(cashTotal);
  const debtItem = totalDebt ?? longTermDebt;
  const debt = debtItem
    ? sourced('total_debt', totalDebt ? 'Total debt' : 'Long-term debt', debtItem.value, 'USD', debtItem.source, L)
    : undefined;
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
function quarterFigures(quarters: StatementPeriod[]): Figure[] {
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
      ),
    );
  }
  return out;
}

/**
 * Rule score of the fundamentals (bullish at ≥ 2, bearish at ≤ −2): revenue growth (> 15 % +1, > 5 % +0.5, < 0 −0.5,
 * < −5 % −1), net margin (> 15 % +0.5, < 0 −1), operating margin (> 30 % +0.5, < 0 −0.5) and its trend (+1 pt +0.5,
 * −2 pts −0.5), free cash flow (±0.5), net cash (+0.5), P/E (> 60 −1, > 35 −0.5, < 15 +0.5).
 */
function score(figs: Figure[], latest: string, prior: string | undefined): number {
  const get = (name: string, period?: string) =>
    figs.find((f) => f.name === name && (!period || f.period === period))?.value;
  let s = 0;
  const growth = get('revenue_growth_yoy', latest);
  if (growth !== undefined) s += growth > 15 ? 1 : growth > 5 ? 0.5 : growth >= 0 ? 0 : growth < -5 ? -1 : -0.5;
  const nm = get('net_margin', latest);
  if (nm !== undefined) s += nm > 15 ? 0.5 : nm < 0 ? -1 : 0;
  const om = get('operating_margin', latest);
  if (om !== undefined) s += om > 30 ? 0.5 : om < 0 ? -0.5 : 0;
  const omPrior = prior ? get('operating_margin', prior) : undefined;
  if (om !== undefined && omPrior !== undefined) s += om - omPrior > 1 ? 0.5 : om - omPrior < -2 ? -0.5 : 0;
  const fcf = get('free_cash_flow', latest);
  if (fcf !== undefined) s += fcf > 0 ? 0.5 : -0.5;
  const net = get('net_cash');
  if (net !== undefined) s += net > 0 ? 0.5 : 0;
  const pe = get('pe_ratio');
  if (pe !== undefined) s += pe > 60 ? -1 : pe > 35 ? -0.5 : pe < 15 ? 0.5 : 0;
  return s;
}

/** Plain-word points, each number formatted from a figure. */
function points(figs: Figure[], latest: string, prior: string | undefined): string[] {
  const f = (name: string, period?: string) => figs.find((x) => x.name === name && (!period || x.period === period));
  const out: string[] = [];
  const rev = f('revenue', latest);
  const g = f('revenue_growth_yoy', latest);
  if (rev)
    out.push(
      `Revenue was ${formatFigure(rev)} in ${latest}${g ? `, ${formatPct(g.value, { signed: true })} year over year` : ''}.`,
    );
  const cagr = f('revenue_cagr');
  if (cagr) out.push(`Revenue compounded at ${formatFigure(cagr)} a year over ${cagr.period}.`);
  const om = f('operating_margin', latest);
  const omPrior = prior ? f('operating_margin', prior) : undefined;
  if (om && omPrior)
    out.push(`Operating margin moved from ${formatFigure(omPrior)} in ${prior} to ${formatFigure(om)} in ${latest}.`);
  else if (om) out.push(`Operating margin was ${formatFigure(om)} in ${latest}.`);
  const fcf = f('free_cash_flow', latest);
  if (fcf) out.push(`Free cash flow was ${formatFigure(fcf)} in ${latest}.`);
  const net = f('net_cash');
  if (net)
    out.push(
      `${net.value >= 0 ? 'Net cash' : 'Net debt'} stood at ${formatFigure({ ...net, value: Math.abs(net.value) })} at the end of ${net.period}.`,
    );
  const pe = f('pe_ratio');
  if (pe) out.push(`The shares trade at ${formatFigure(pe)} earnings (price of ${pe.period}).`);
  return out;
}

/** The fundamentals analyst. Never throws; missing statements give degraded findings with a plain reason. */
export function analyzeFundamentals(bundle: DataBundle): Findings {
  const annual = dataOf(bundle.financialsAnnual);
  // Annual periods with revenue, one per fiscal year (the first listed wins when a year repeats, e.g. restated).
  const years = (annual?.periods ?? []).filter(
    (p, i, all) =>
      p.fiscalQuarter === undefined && p.items.revenue && all.findIndex((q) => q.fiscalYear === p.fiscalYear) === i,
  );
  const latest = years[0];
  if (!latest) {
    const reason =
      missingReason(bundle, 'financialsAnnual') ?? `The annual statements for ${bundle.ticker} carry no revenue.`;
    const snapshot = snapshotFigures(bundle);
    const points =
      snapshot.length > 0 ? [reason, `Only the market snapshot of ${snapshot[0]?.period} is available.`] : [reason];
    const fields = degradedFields(bundle, reason, ['financialsAnnual']);
    return { analyst: 'fundamentals', signal: 'neutral', confidence: 0.1, points, figures: snapshot, ...fields };
  }
  const kept = years.filter((p) => latest.fiscalYear - p.fiscalYear < TABLE_YEARS);
  const figs: Figure[] = [];
  kept.forEach((p) => {
    figs.push(
      ...yearFigures(
        p,
        years.find((y) => y.fiscalYear === p.fiscalYear - 1),
      ),
    );
  });
  const cagr = revenueCagr(years);
  if (cagr) figs.push(cagr);
  const fcf = freeCashFlow(latest);
  const rev = latest.items.revenue;
  if (fcf && rev && rev.value > 0) {
    figs.push(
      derived(
        'fcf_margin',
        'Free cash flow margin',
        round((fcf.value / rev.value) * 100),
        '%',
        latest.label,
        `free cash flow ÷ revenue ${latest.label}`,
        fcf.source,
      ),
    );
  }
  figs.push(...balanceFigures(latest));
  const quarters = dataOf(bundle.financialsQuarterly)?.periods ?? [];
  figs.push(...quarterFigures(quarters));
  const valuation = valuationFigures(bundle, latest);
  figs.push(...valuation.figures);

  const gaps = [missingReason(bundle, 'financialsQuarterly'), valuation.gap].filter((r): r is string => !!r);
  const prior = years.find((y) => y.fiscalYear === latest.fiscalYear - 1)?.label;
  const expected = 12;
  const present = new Set(figs.map((x) => x.name)).size;
  const { signal, confidence } = scoreToSignal(score(figs, latest.label, prior), present / expected, 2);
  const findings: Findings = {
    analyst: 'fundamentals',
    signal,
    confidence,
    points: [...points(figs, latest.label, prior), ...gaps],
    figures: figs,
  };
  const failed = failedReasons(bundle, ['financialsQuarterly', 'profile', 'technicals']);
  return failed.length > 0 ? { ...findings, degraded: failed.join(' ') } : findings;
}
