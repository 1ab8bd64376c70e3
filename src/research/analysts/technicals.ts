/**
 * Technicals analyst: trend and momentum from the `analyze_stock` indicators (computed from daily closes).
 * Pure and deterministic.
 *
 * Figures (period = the last bar's date): `last_close`, `sma20`, `sma50`, `sma200`, `high_52w`, `low_52w`
 * (USD/share); `price_vs_sma20|50|200` (%, close above (+) or below (−) the average); `sma50_vs_sma200` (%);
 * `rsi14` (index 0–100); `macd_histogram` (index); `return_1m|3m|1y` (%); `drawdown_from_high` (%).
 * Rules: trend (price vs SMA 200 and SMA 50, golden/death cross), momentum (MACD histogram, 3-month return),
 * RSI above 70 is overbought, below 30 oversold.
 */
import type { TechnicalAnalysis } from '../../mcp-server/shapes.js';
import { formatFigure } from '../../writers/format.js';
import type { DataBundle, Figure, Findings } from '../types.js';
import { dataOf, degradedFields, derived, finite, missingReason, round, scoreToSignal, sourced } from './common.js';

/** RSI above this is overbought. */
export const RSI_OVERBOUGHT = 70;
/** RSI below this is oversold. */
export const RSI_OVERSOLD = 30;

/** Crossover state of the 50-day vs the 200-day average. */
export type CrossState = 'golden' | 'death' | 'unknown';

/** Golden cross when SMA 50 is above SMA 200, death cross when below. */
export function crossState(ta: Pick<TechnicalAnalysis, 'sma50' | 'sma200'>): CrossState {
  if (ta.sma50 === null || ta.sma200 === null) return 'unknown';
  return ta.sma50 >= ta.sma200 ? 'golden' : 'death';
}

function figures(ta: TechnicalAnalysis): Figure[] {
  const d = ta.asOf;
  const src = ta.source;
  const out: Figure[] = [sourced('last_close', 'Last close', ta.lastClose, 'USD/share', src, d)];
  for (const [n, v] of [
    [20, ta.sma20],
    [50, ta.sma50],
    [200, ta.sma200],
  ] as const) {
    const sma = finite(v);
    if (sma === undefined || sma <= 0) continue;
    out.push(sourced(`sma${n}`, `SMA ${n}`, sma, 'USD/share', src, d));
    const pct = round((ta.lastClose / sma - 1) * 100);
    out.push(derived(`price_vs_sma${n}`, `Price vs SMA ${n}`, pct, '%', d, `last close ÷ SMA ${n} − 1`, src));
  }
  if (ta.sma50 !== null && ta.sma200 !== null && ta.sma200 > 0) {
    const pct = round((ta.sma50 / ta.sma200 - 1) * 100);
    out.push(derived('sma50_vs_sma200', 'SMA 50 vs SMA 200', pct, '%', d, 'SMA 50 ÷ SMA 200 − 1', src));
  }
  if (finite(ta.rsi14) !== undefined) out.push(sourced('rsi14', 'RSI 14', ta.rsi14 as number, 'index', src, d));
  if (ta.macd) out.push(sourced('macd_histogram', 'MACD histogram', ta.macd.histogram, 'index', src, d));
  for (const [key, label, v] of [
    ['return_1m', '1M return', ta.return1mPct],
    ['return_3m', '3M return', ta.return3mPct],
    ['return_1y', '1Y return', ta.return1yPct],
  ] as const) {
    if (finite(v) !== undefined) out.push(sourced(key, label, v as number, '%', src, d));
  }
  out.push(sourced('high_52w', '52-week high', ta.high52w, 'USD/share', src, d));
  out.push(sourced('low_52w', '52-week low', ta.low52w, 'USD/share', src, d));
  out.push(sourced('drawdown_from_high', 'Drawdown from 52-week high', ta.drawdownFromHighPct, '%', src, d));
  return out;
}

function score(ta: TechnicalAnalysis): number {
  let s = 0;
  if (ta.sma200 !== null) s += ta.lastClose >= ta.sma200 ? 1 : -1;
  if (ta.sma50 !== null) s += ta.lastClose >= ta.sma50 ? 0.5 : -0.5;
  const cross = crossState(ta);
  if (cross !== 'unknown') s += cross === 'golden' ? 0.5 : -0.5;
  if (ta.macd) s += ta.macd.histogram >= 0 ? 0.5 : -0.5;
  if (ta.rsi14 !== null) s += ta.rsi14 > RSI_OVERBOUGHT ? -0.5 : ta.rsi14 < RSI_OVERSOLD ? 0.5 : 0;
  if (ta.return3mPct !== null) s += ta.return3mPct > 10 ? 0.5 : ta.return3mPct < -10 ? -0.5 : 0;
  return s;
}

function points(ta: TechnicalAnalysis, figs: Figure[]): string[] {
  const f = (name: string) => figs.find((x) => x.name === name);
  const out: string[] = [];
  const close = f('last_close');
  const vs200 = f('price_vs_sma200');
  if (close && vs200) {
    out.push(
      `The last close of ${formatFigure(close)} on ${ta.asOf} is ${formatFigure({ ...vs200, value: Math.abs(vs200.value) })} ${vs200.value >= 0 ? 'above' : 'below'} its 200-day average.`,
    );
  }
  const cross = crossState(ta);
  if (cross === 'golden') out.push('The 50-day average is above the 200-day average (golden-cross state).');
  if (cross === 'death') out.push('The 50-day average is below the 200-day average (death-cross state).');
  const rsi = f('rsi14');
  if (rsi) {
    const zone = rsi.value > RSI_OVERBOUGHT ? 'overbought' : rsi.value < RSI_OVERSOLD ? 'oversold' : 'neutral';
    out.push(`RSI 14 reads ${formatFigure(rsi)}, ${zone} territory.`);
  }
  if (ta.macd)
    out.push(
      `The MACD histogram is ${ta.macd.histogram >= 0 ? 'positive: momentum is rising' : 'negative: momentum is fading'}.`,
    );
  const dd = f('drawdown_from_high');
  if (dd) out.push(`The price is ${formatFigure({ ...dd, value: Math.abs(dd.value) })} below its 52-week high.`);
  return out;
}

/** The technicals analyst. Never throws; missing indicators give degraded findings with a plain reason. */
export function analyzeTechnicals(bundle: DataBundle): Findings {
  const ta = dataOf(bundle.technicals);
  if (!ta || !finite(ta.lastClose)) {
    const reason =
      missingReason(bundle, 'technicals') ?? `The technical indicators for ${bundle.ticker} carry no price.`;
    return {
      analyst: 'technicals',
      signal: 'neutral',
      confidence: 0.1,
      points: [reason],
      figures: [],
      ...degradedFields(bundle, reason, ['technicals']),
    };
  }
  const figs = figures(ta);
  if (ta.security) {
    // Another class's bars (GOOG for GOOGL): every figure says whose they are.
    for (const f of figs) f.label = `${f.label} (${ta.security})`;
  }
  const present = [ta.sma20, ta.sma50, ta.sma200, ta.rsi14, ta.macd, ta.return3mPct].filter((v) => v !== null).length;
  const { signal, confidence } = scoreToSignal(score(ta), present / 6, 1.5);
  const findings: Findings = { analyst: 'technicals', signal, confidence, points: points(ta, figs), figures: figs };
  if (ta.sma200 === null) findings.points.push('Too few daily bars were available for a 200-day average.');
  if (ta.security)
    findings.points.unshift(
      `The indicators are computed from ${ta.security} daily prices: the data set has none of ${bundle.ticker}'s own class.`,
    );
  return findings;
}
