/**
 * The compact forms our tools return, sized for a model's context (issue 20): statements with each source once per
 * period instead of once per line item, and prices as rows at a chosen interval with a cap. The server compacts
 * (`compact…`); the research pipeline expands (`expand…`) back to the shapes its analysts read, losing nothing
 * they read: `expandFinancials(compactFinancials(x)).periods` equals `x.periods` (the top-level `sources` become the
 * periods' own), and daily prices under the cap come back exactly.
 */
import type {
  CompanyFinancials,
  CompanyFinancialsResult,
  FinancialsPeriod,
  LineItem,
  PeriodSource,
  PriceBar,
  PriceHistory,
  PriceHistoryResult,
  PriceInterval,
  PriceRow,
  Source,
  StatementPeriod,
} from './shapes.js';
import { PRICE_COLUMNS } from './shapes.js';

/** Most bars `get_price_history` returns (the newest); about two years of daily bars. */
export const MAX_PRICE_BARS = 500;

function compactPeriod(period: StatementPeriod): FinancialsPeriod {
  const values: Partial<Record<LineItem, number>> = {};
  const groups = new Map<string, PeriodSource>();
  for (const [item, sourced] of Object.entries(period.items) as [LineItem, { value: number; source: Source }][]) {
    values[item] = sourced.value;
    const { period: sourcePeriod, ...rest } = sourced.source;
    const source: Source = sourcePeriod === period.label ? rest : sourced.source;
    const key = JSON.stringify(source);
    const group = groups.get(key) ?? { ...source, items: [] };
    group.items.push(item);
    groups.set(key, group);
  }
  const sources = [...groups.values()].sort((a, b) => b.items.length - a.items.length);
  const { items: _items, ...head } = period;
  return { ...head, values, sources };
}

/** Statements in the compact form of `get_company_financials`: values as numbers, each source once per period. */
export function compactFinancials(financials: CompanyFinancials): CompanyFinancialsResult {
  const { ticker, currency, period, periods, provenance, fiscalYear } = financials;
  return {
    ticker,
    currency,
    period,
    periods: periods.map(compactPeriod),
    ...(fiscalYear ? { fiscalYear } : {}),
    ...(provenance ? { provenance } : {}),
  };
}

function expandPeriod(period: FinancialsPeriod): StatementPeriod {
  const items: StatementPeriod['items'] = {};
  for (const { items: backed, ...source } of period.sources) {
    const cited: Source = source.period === undefined ? { ...source, period: period.label } : source;
    for (const item of backed) {
      const value = period.values[item];
      if (value !== undefined) items[item] = { value, source: cited };
    }
  }
  const { values: _values, sources: _sources, ...head } = period;
  return { ...head, items };
}

/**
 * The statements `get_company_financials` returned, with each value carrying its source again; `sources` lists the
 * distinct sources the periods cite.
 */
export function expandFinancials(result: CompanyFinancialsResult): CompanyFinancials {
  const sources = new Map<string, Source>();
  for (const period of result.periods) {
    for (const { items: _items, period: _period, ...source } of period.sources) {
      sources.set(JSON.stringify(source), source);
    }
  }
  const { ticker, currency, period, provenance, fiscalYear } = result;
  return {
    ticker,
    currency,
    period,
    periods: result.periods.map(expandPeriod),
    ...(fiscalYear ? { fiscalYear } : {}),
    sources: [...sources.values()],
    ...(provenance ? { provenance } : {}),
  };
}

/** The key of the week (Monday's date) or month (`YYYY-MM`) a daily bar belongs to. */
function bucketOf(date: string, interval: Exclude<PriceInterval, 'daily'>): string {
  if (interval === 'monthly') return date.slice(0, 7);
  const day = new Date(`${date}T00:00:00Z`);
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Daily bars (oldest first) as weekly or monthly bars, each dated by its last trading day: the first day's open,
 * the highest high, the lowest low, the last day's close, the volume summed.
 */
export function aggregateBars(bars: readonly PriceBar[], interval: PriceInterval): PriceBar[] {
  if (interval === 'daily') return [...bars];
  const out: PriceBar[] = [];
  let key: string | undefined;
  for (const bar of bars) {
    const k = bucketOf(bar.date, interval);
    const last = out.at(-1);
    if (k !== key || !last) {
      out.push({ ...bar });
      key = k;
      continue;
    }
    last.date = bar.date;
    last.high = Math.max(last.high, bar.high);
    last.low = Math.min(last.low, bar.low);
    last.close = bar.close;
    last.volume += bar.volume;
  }
  return out;
}

const INTERVAL_WORDS: Record<PriceInterval, string> = { daily: 'daily', weekly: 'weekly', monthly: 'monthly' };

/**
 * Daily prices in the form `get_price_history` returns: aggregated to `interval`, as rows, the newest
 * {@link MAX_PRICE_BARS} kept, with a note when bars were left out.
 */
export function compactPrices(history: PriceHistory, interval: PriceInterval): PriceHistoryResult {
  const all = aggregateBars(history.bars, interval);
  const kept = all.slice(-MAX_PRICE_BARS);
  const result: PriceHistoryResult = {
    ticker: history.ticker,
    currency: history.currency,
    adjusted: history.adjusted,
    interval,
    start: history.start,
    end: history.end,
    columns: [...PRICE_COLUMNS],
    bars: kept.map((b): PriceRow => [b.date, b.open, b.high, b.low, b.close, b.volume]),
    barsMatched: all.length,
    ...(history.security ? { security: history.security } : {}),
    source: history.source,
    ...(history.provenance ? { provenance: history.provenance } : {}),
  };
  if (kept.length < all.length) {
    const wider = interval === 'daily' ? 'weekly or monthly' : interval === 'weekly' ? 'monthly' : undefined;
    result.note =
      `Capped at ${MAX_PRICE_BARS} bars: ${all.length} ${INTERVAL_WORDS[interval]} bars matched; the newest ` +
      `${kept.length} (from ${kept[0]?.date}) are returned, the ${all.length - kept.length} before them left out. ` +
      `For the earlier bars ask for end ${all[all.length - kept.length - 1]?.date}` +
      (wider ? `, or for interval ${wider}.` : '.');
  }
  return result;
}

/** The prices `get_price_history` returned, with bars as objects again. */
export function expandPrices(result: PriceHistoryResult): PriceHistory {
  return {
    ticker: result.ticker,
    currency: result.currency,
    adjusted: result.adjusted,
    start: result.start,
    end: result.end,
    bars: result.bars.map(([date, open, high, low, close, volume]) => ({ date, open, high, low, close, volume })),
    ...(result.security ? { security: result.security } : {}),
    source: result.source,
    ...(result.provenance ? { provenance: result.provenance } : {}),
  };
}
