/**
 * Risk analyst: price risk (volatility, drawdowns), balance-sheet risk (leverage), insider selling, concentration
 * and data gaps. A bearish signal means the risks are high. Pure and deterministic.
 *
 * Figures: `volatility_30d`, `volatility_90d` (%, annualised), `max_drawdown_1y`, `drawdown_from_high` (%);
 * `debt_to_equity` (x), `net_debt` (USD, negative = net cash) of the latest fiscal year; `insider_sell_value_12m`,
 * `insider_buy_value_12m` (USD), `insider_sell_count_12m`, `insider_buy_count_12m` (count),
 * `insider_top_seller_share` (% of open-market sale value by the largest seller, when more than one insider sold);
 * `data_gaps` (count of bundle parts missing).
 */
import type { InsiderTransactions } from '../../mcp-server/shapes.js';
import { formatFigure } from '../../writers/format.js';
import type { BundleKey, DataBundle, Figure, Findings } from '../types.js';
import {
  bundleAsOf,
  dataOf,
  degradedFields,
  derived,
  finite,
  missingReason,
  PART_NAMES,
  round,
  scoreToSignal,
  sourced,
} from './common.js';
import { debtFigure } from './statement-figures.js';

/** Annualised 90-day volatility above this (%) is flagged high. */
export const HIGH_VOLATILITY_PCT = 40;
/** Debt/equity above this (x) is flagged high leverage. */
export const HIGH_LEVERAGE_X = 1;
/** A single insider above this share (%) of sale value is flagged as concentrated selling. */
export const CONCENTRATED_SELLER_PCT = 50;

function priceRisk(bundle: DataBundle): { figures: Figure[]; score: number; flags: string[] } {
  const ta = dataOf(bundle.technicals);
  if (!ta) return { figures: [], score: 0, flags: [] };
  const d = ta.asOf;
  const s = ta.source;
  const figs: Figure[] = [];
  const flags: string[] = [];
  let score = 0;
  const v30 = finite(ta.volatility30dPct);
  const v90 = finite(ta.volatility90dPct);
  if (v30 !== undefined) figs.push(sourced('volatility_30d', 'Volatility (30-day, annualised)', v30, '%', s, d));
  if (v90 !== undefined) {
    const f = sourced('volatility_90d', 'Volatility (90-day, annualised)', v90, '%', s, d);
    figs.push(f);
    score += v90 > 60 ? -1 : v90 > HIGH_VOLATILITY_PCT ? -0.5 : v90 < 25 ? 0.5 : 0;
    if (v90 > HIGH_VOLATILITY_PCT) flags.push(`High volatility: ${formatFigure(f)} annualised over 90 days.`);
  }
  const mdd = sourced('max_drawdown_1y', 'Largest drawdown (1 year)', ta.maxDrawdown1yPct, '%', s, d);
  figs.push(mdd, sourced('drawdown_from_high', 'Drawdown from 52-week high', ta.drawdownFromHighPct, '%', s, d));
  score += mdd.value < -40 ? -1 : mdd.value < -25 ? -0.5 : mdd.value > -15 ? 0.5 : 0;
  if (mdd.value < -25)
    flags.push(
      `Deep drawdown: the price fell ${formatFigure({ ...mdd, value: -mdd.value })} peak to trough within the year.`,
    );
  return { figures: figs, score, flags };
}

function leverage(bundle: DataBundle): { figures: Figure[]; score: number; flags: string[] } {
  const latest = dataOf(bundle.financialsAnnual)?.periods.find((p) => p.fiscalQuarter === undefined);
  if (!latest) return { figures: [], score: 0, flags: [] };
  const { shareholdersEquity: eq, cashAndEquivalents: cash, shortTermInvestments: sti } = latest.items;
  const debt = debtFigure(latest);
  const figs: Figure[] = [];
  const flags: string[] = [];
  let score = 0;
  const L = latest.label;
  const debtName = debt?.label.toLowerCase() ?? 'debt';
  if (debt && eq && eq.value > 0) {
    const f = derived(
      'debt_to_equity',
      'Debt to equity',
      round(debt.value / eq.value),
      'x',
      L,
      `${debtName} ÷ shareholders' equity ${L}`,
      debt.source,
      [eq.source],
    );
    figs.push(f);
    score += f.value > 2 ? -1 : f.value > HIGH_LEVERAGE_X ? -0.5 : 0;
    if (f.value > HIGH_LEVERAGE_X) flags.push(`High leverage: debt is ${formatFigure(f)} equity in ${L}.`);
  } else if (eq && eq.value <= 0) {
    score -= 1;
    flags.push(`Shareholders' equity was negative or zero in ${L}.`);
  }
  if (debt && cash) {
    const liquid = cash.value + (sti?.value ?? 0);
    const f = derived(
      'net_debt',
      'Net debt (debt − cash)',
      debt.value - liquid,
      'USD',
      L,
      `${debtName} − cash${sti ? ' and short-term investments' : ''} ${L}`,
      debt.source,
      [cash.source, sti?.source],
    );
    figs.push(f);
    if (f.value < 0) score += 0.5;
  }
  const ni = latest.items.netIncome;
  if (ni && ni.value < 0) {
    const f = sourced('net_income', 'Net income', ni.value, 'USD', ni.source, L);
    figs.push(f);
    score -= 0.5;
    flags.push(`Loss-making: net income was ${formatFigure(f)} in ${L}.`);
  }
  return { figures: figs, score, flags };
}

function insiderRisk(ins: InsiderTransactions): { figures: Figure[]; score: number; flags: string[] } {
  // Every insider figure comes from the provider's one 12-month summary (src/definitions/insider.ts), computed over
  // all of the company's rows without a data problem — never from the rows a tool call happened to return.
  const t = ins.last12m;
  const newest = (t.to ?? ins.transactions[0]?.filingDate ?? '').slice(0, 10);
  const period = newest ? `12 months to ${newest}` : '12 months';
  const s = ins.source;
  const classes = t.shareClasses && t.shareClasses.length > 1 ? ` (${t.shareClasses.join(', ')})` : '';
  const figs: Figure[] = [
    sourced('insider_sell_value_12m', `Insider open-market sales${classes}`, t.sellValue, 'USD', s, period),
    sourced('insider_buy_value_12m', `Insider open-market purchases${classes}`, t.buyValue, 'USD', s, period),
    sourced('insider_sell_count_12m', 'Insider sale transactions', t.sellCount, 'count', s, period),
    sourced('insider_buy_count_12m', 'Insider purchase transactions', t.buyCount, 'count', s, period),
  ];
  const flags: string[] = [];
  let score = 0;
  if (t.sellCount >= 5 && t.sellValue > 10 * t.buyValue) score -= 0.5;
  if (t.topSeller && (t.sellerCount ?? 0) > 1) {
    const f = derived(
      'insider_top_seller_share',
      'Largest seller share of insider sales',
      round(t.topSeller.sharePct),
      '%',
      period,
      'largest single insider sale value ÷ all insider sale value (Form 4 code S, same 12 months and rows as the totals)',
      s,
    );
    figs.push(f);
    if (f.value > CONCENTRATED_SELLER_PCT) {
      flags.push(`Concentrated insider selling: one insider accounts for ${formatFigure(f)} of sale value.`);
    }
  }
  if (t.excluded && t.excluded.count > 0) {
    figs.push(
      sourced(
        'insider_excluded_count_12m',
        'Form 4 rows left out as data problems',
        t.excluded.count,
        'count',
        s,
        period,
      ),
      sourced('insider_excluded_value_12m', 'Value of Form 4 rows left out', t.excluded.value, 'USD', s, period),
    );
  }
  return { figures: figs, score, flags };
}

/** The parts the risk analyst reads: a failure of one of them degrades its findings. */
const RISK_PARTS: readonly BundleKey[] = ['technicals', 'financialsAnnual', 'insider'];

/** The risk analyst. Never throws; reports what it could not assess as data gaps. */
export function analyzeRisk(bundle: DataBundle): Findings {
  const keys = Object.keys(PART_NAMES) as BundleKey[];
  const missing = keys.filter((k) => bundle[k].status !== 'ok');
  const price = priceRisk(bundle);
  const lev = leverage(bundle);
  const ins = dataOf(bundle.insider);
  const insider = ins ? insiderRisk(ins) : { figures: [], score: 0, flags: [] };
  const figures = [...price.figures, ...lev.figures, ...insider.figures];
  const gapFigure = sourced(
    'data_gaps',
    'Data parts missing',
    missing.length,
    'count',
    { provider: 'tickerdesk', ref: 'data bundle status' },
    bundleAsOf(bundle),
  );
  const reasons =
    missing.length > 0
      ? [
          `Data gaps: ${missing.map((k) => `${PART_NAMES[k]}${bundle[k].status === 'failed' ? ' (fetch failed)' : ''}`).join(', ')}.`,
        ]
      : [];
  if (figures.length === 0) {
    const reason = `No price, balance-sheet or insider data is available to assess ${bundle.ticker}'s risks.`;
    return {
      analyst: 'risk',
      signal: 'neutral',
      confidence: 0.1,
      points: [reason, ...reasons],
      figures: [gapFigure],
      ...degradedFields(bundle, reason, RISK_PARTS),
    };
  }
  const coverage = [price.figures, lev.figures, insider.figures].filter((f) => f.length > 0).length / 3;
  const { signal, confidence } = scoreToSignal(price.score + lev.score + insider.score, coverage, 1);
  const findings: Findings = {
    analyst: 'risk',
    signal,
    confidence,
    points: [...price.flags, ...lev.flags, ...insider.flags, ...reasons],
    figures: [...figures, gapFigure],
  };
  const failed = missing.filter((k) => bundle[k].status === 'failed' && RISK_PARTS.includes(k));
  return failed.length > 0
    ? { ...findings, degraded: failed.map((k) => missingReason(bundle, k)).join(' ') }
    : findings;
}
