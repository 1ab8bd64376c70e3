/**
 * Valuation figures for the fundamentals analyst: the price used (with its date), market capitalisation, P/E and P/S.
 * Price: the last close of the indicators, else the last price bar, else the consensus snapshot's price, else the
 * profile snapshot's. Market cap and P/E as `src/definitions/valuation.ts` defines them (the snapshot's values only
 * when the statements lack shares or EPS); P/S = market cap ÷ latest fiscal-year revenue.
 */
import { latestSharesOutstanding, marketCap, ttmDilutedEps } from '../../definitions/valuation.js';
import type { Source, StatementPeriod } from '../../mcp-server/shapes.js';
import type { DataBundle, Figure } from '../types.js';
import { dataOf, derived, finite, round, sourced } from './common.js';

/**
 * The price used for valuation, with its date and source: always the ticker's own share class (GOOGL's own close,
 * not the GOOG bars that stand in for its history).
 */
export function valuationPrice(bundle: DataBundle): { value: number; date: string; source: Source } | undefined {
  const ta = dataOf(bundle.technicals);
  if (ta && !ta.security && finite(ta.lastClose)) return { value: ta.lastClose, date: ta.asOf, source: ta.source };
  const prices = dataOf(bundle.prices);
  const bar = prices?.bars.at(-1);
  if (bar && prices && !prices.security) return { value: bar.close, date: bar.date, source: prices.source };
  const an = dataOf(bundle.analyst);
  if (an && finite(an.price)) return { value: an.price, date: an.asOf, source: an.source };
  const snap = dataOf(bundle.profile)?.snapshot;
  if (snap?.price !== undefined) return { value: snap.price, date: snap.asOf, source: snap.source };
  return undefined;
}

/**
 * Price, market cap, P/E (TTM or last fiscal year, see `src/definitions/valuation.ts`), the EPS it divides by, and
 * P/S; `gap` says in plain words what could not be valued.
 */
export function valuationFigures(bundle: DataBundle, latest: StatementPeriod): { figures: Figure[]; gap?: string } {
  const out: Figure[] = [];
  const price = valuationPrice(bundle);
  const snap = dataOf(bundle.profile)?.snapshot;
  const annual = dataOf(bundle.financialsAnnual)?.periods ?? [];
  const quarters = dataOf(bundle.financialsQuarterly)?.periods ?? [];
  if (price) out.push(sourced('price', 'Share price', price.value, 'USD/share', price.source, price.date));
  const ttm = ttmDilutedEps(quarters, annual, latest);
  const fyEps = latest.items.epsDiluted;
  const eps = ttm
    ? derived(
        'eps_ttm',
        'Diluted EPS (trailing twelve months)',
        ttm.value,
        'USD/share',
        ttm.basis,
        `diluted EPS ${ttm.quarters.map((q) => `${q.label}${q.derived ? ' (fiscal year − Q1–Q3)' : ''}`).join(' + ')}`,
        ttm.source,
      )
    : undefined;
  if (eps) out.push(eps);
  const epsValue = eps?.value ?? fyEps?.value;
  const epsBasis = eps ? `diluted EPS ${eps.period}` : `diluted EPS ${latest.label}`;
  if (price && epsValue !== undefined && epsValue > 0) {
    const pe = round(price.value / epsValue);
    out.push(
      derived(
        'pe_ratio',
        `P/E (price ÷ ${epsBasis})`,
        pe,
        'x',
        price.date,
        `price ${price.date} ÷ ${epsBasis}`,
        (eps ?? fyEps)?.source,
        [price.source],
      ),
    );
  } else if (epsValue === undefined && snap?.pe !== undefined && snap.pe > 0) {
    out.push(sourced('pe_ratio', 'P/E (market snapshot)', snap.pe, 'x', snap.source, snap.asOf));
  }
  const shares = latestSharesOutstanding([...quarters, ...annual]);
  let cap: Figure | undefined;
  if (price && shares) {
    const mc = marketCap(bundle.ticker, price, shares);
    cap = derived('market_cap', 'Market capitalisation', mc.value, 'USD', price.date, mc.inputs, shares.source, [
      price.source,
    ]);
  } else if (snap?.marketCap !== undefined) {
    cap = sourced(
      'market_cap',
      'Market capitalisation (market snapshot)',
      snap.marketCap,
      'USD',
      snap.source,
      snap.asOf,
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
        [cap.source],
      ),
    );
  }
  if (!price)
    return {
      figures: out,
      gap: `No share price is available for ${bundle.ticker}, so valuation multiples are not computed.`,
    };
  if (epsValue !== undefined && epsValue <= 0)
    return {
      figures: out,
      gap: `P/E is not meaningful: ${epsBasis} was negative or zero.`,
    };
  return { figures: out };
}

/**
 * Valuation without statements: the share price (the last close, by {@link valuationPrice}) and the profile's
 * market snapshot (market cap, P/E, P/S, dividend yield, dated with the snapshot's date).
 */
export function snapshotFigures(bundle: DataBundle): Figure[] {
  const snap = dataOf(bundle.profile)?.snapshot;
  const price = valuationPrice(bundle);
  if (!snap) return price ? [sourced('price', 'Share price', price.value, 'USD/share', price.source, price.date)] : [];
  const d = snap.asOf;
  const out: Figure[] = [];
  const add = (name: string, label: string, v: number | undefined, unit: Figure['unit']) => {
    if (finite(v) !== undefined) out.push(sourced(name, label, v as number, unit, snap.source, d));
  };
  // The share price by the one definition (the ticker's own last close: bars, else consensus), as every section
  // states it; the snapshot's own price only when there is none.
  if (price && price.source !== snap.source)
    out.push(sourced('price', 'Share price', price.value, 'USD/share', price.source, price.date));
  else add('price', 'Share price (market snapshot)', snap.price, 'USD/share');
  add('market_cap', 'Market capitalisation', snap.marketCap, 'USD');
  if ((snap.pe ?? 0) > 0) add('pe_ratio', 'P/E (market snapshot)', snap.pe, 'x');
  if ((snap.priceToSales ?? 0) > 0) add('ps_ratio', 'P/S (market snapshot)', snap.priceToSales, 'x');
  add('dividend_yield', 'Dividend yield', snap.dividendYieldPct, '%');
  return out;
}
