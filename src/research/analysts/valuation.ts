/**
 * Valuation figures for the fundamentals analyst: the price used (with its date), market capitalisation, P/E and P/S.
 * Price: the last close of the indicators, else the last price bar, else the consensus snapshot's price, else the
 * profile snapshot's. P/E = price ÷ diluted EPS of the latest fiscal year (the snapshot's P/E when EPS is missing);
 * P/S = market cap ÷ latest fiscal-year revenue.
 */
import type { Source, StatementPeriod } from '../../mcp-server/shapes.js';
import type { DataBundle, Figure } from '../types.js';
import { dataOf, derived, finite, round, sourced } from './common.js';

/** The price used for valuation, with its date and source. */
export function valuationPrice(bundle: DataBundle): { value: number; date: string; source: Source } | undefined {
  const ta = dataOf(bundle.technicals);
  if (ta && finite(ta.lastClose)) return { value: ta.lastClose, date: ta.asOf, source: ta.source };
  const bar = dataOf(bundle.prices)?.bars.at(-1);
  const prices = dataOf(bundle.prices);
  if (bar && prices) return { value: bar.close, date: bar.date, source: prices.source };
  const an = dataOf(bundle.analyst);
  if (an && finite(an.price)) return { value: an.price, date: an.asOf, source: an.source };
  const snap = dataOf(bundle.profile)?.snapshot;
  if (snap?.price !== undefined) return { value: snap.price, date: snap.asOf, source: snap.source };
  return undefined;
}

/** Price, market cap, P/E and P/S; `gap` says in plain words what could not be valued. */
export function valuationFigures(bundle: DataBundle, latest: StatementPeriod): { figures: Figure[]; gap?: string } {
  const out: Figure[] = [];
  const price = valuationPrice(bundle);
  const snap = dataOf(bundle.profile)?.snapshot;
  if (price) out.push(sourced('price', 'Share price', price.value, 'USD/share', price.source, price.date));
  const eps = latest.items.epsDiluted;
  if (price && eps && eps.value > 0) {
    const pe = round(price.value / eps.value);
    out.push(
      derived(
        'pe_ratio',
        'P/E (price ÷ diluted EPS)',
        pe,
        'x',
        price.date,
        `price ${price.date} ÷ diluted EPS ${latest.label}`,
        eps.source,
      ),
    );
  } else if (!eps && snap?.pe !== undefined && snap.pe > 0) {
    out.push(sourced('pe_ratio', 'P/E (market snapshot)', snap.pe, 'x', snap.source, snap.asOf));
  }
  const shares = latest.items.dilutedShares;
  let cap: Figure | undefined;
  if (snap?.marketCap !== undefined) {
    cap = sourced('market_cap', 'Market capitalisation', snap.marketCap, 'USD', snap.source, snap.asOf);
  } else if (price && shares) {
    cap = derived(
      'market_cap',
      'Market capitalisation',
      price.value * shares.value,
      'USD',
      price.date,
      `price ${price.date} × diluted shares ${latest.label}`,
      shares.source,
    );
  }
  if (cap) out.push(cap);
  const rev = latest.items.revenue;
  if (cap?.period && rev && rev.value > 0) {
    const ps = round(cap.value / rev.value);
    out.push(
      derived(
        'ps_ratio',
        'P/S (market cap ÷ revenue)',
        ps,
        'x',
        cap.period,
        `market cap ${cap.period} ÷ revenue ${latest.label}`,
        rev.source,
      ),
    );
  }
  if (!price)
    return {
      figures: out,
      gap: `No share price is available for ${bundle.ticker}, so valuation multiples are not computed.`,
    };
  if (eps && eps.value <= 0)
    return { figures: out, gap: `P/E is not meaningful: diluted EPS was negative or zero in ${latest.label}.` };
  return { figures: out };
}

/**
 * Valuation from the profile's market snapshot alone (when no statements exist): price, market cap, P/E, P/S and
 * dividend yield, each dated with the snapshot's date.
 */
export function snapshotFigures(bundle: DataBundle): Figure[] {
  const snap = dataOf(bundle.profile)?.snapshot;
  if (!snap) return [];
  const d = snap.asOf;
  const out: Figure[] = [];
  const add = (name: string, label: string, v: number | undefined, unit: Figure['unit']) => {
    if (finite(v) !== undefined) out.push(sourced(name, label, v as number, unit, snap.source, d));
  };
  add('price', 'Share price (market snapshot)', snap.price, 'USD/share');
  add('market_cap', 'Market capitalisation', snap.marketCap, 'USD');
  if ((snap.pe ?? 0) > 0) add('pe_ratio', 'P/E (market snapshot)', snap.pe, 'x');
  if ((snap.priceToSales ?? 0) > 0) add('ps_ratio', 'P/S (market snapshot)', snap.priceToSales, 'x');
  add('dividend_yield', 'Dividend yield', snap.dividendYieldPct, '%');
  return out;
}
