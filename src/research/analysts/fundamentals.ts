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
 * `pe_ratio`, `ps_ratio` and `dividend_yield` (%). The statement figures are built in `./statement-figures.ts`,
 * the valuation ones in `./valuation.ts`.
 */
import { formatFigure, formatPct } from '../../writers/format.js';
import type { DataBundle, Figure, Findings } from '../types.js';
import { dataOf, degradedFields, derived, failedReasons, missingReason, round, scoreToSignal } from './common.js';
import {
  balanceFigures,
  freeCashFlow,
  quarterFigures,
  revenueCagr,
  TABLE_YEARS,
  yearFigures,
} from './statement-figures.js';
import { snapshotFigures, valuationFigures } from './valuation.js';

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
  if (pe)
    out.push(
      `The shares trade at ${formatFigure(pe)} (${pe.label.replace(/^P\/E \((.*)\)$/, '$1')}, price of ${pe.period}).`,
    );
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
      snapshot.length > 0
        ? [reason, `Only the last close and the market snapshot of ${snapshot.at(-1)?.period} are available.`]
        : [reason];
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
        [rev.source],
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
