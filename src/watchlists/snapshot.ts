/**
 * One ticker's snapshot for a digest, from the answers a research run's tools give (the prewarm caches exactly
 * these): the last close and its day and week change from `get_price_history`, the consensus from
 * `get_analyst_ratings`, the 8-K filings from `get_company_news` (news items that are not filings are left out) and
 * the 10-K or 10-Q the quarterly statements rest on (`get_company_financials`' `provenance.filing`). Pure.
 */
import type {
  AnalystRatings,
  CompanyEvent,
  CompanyNews,
  FilingRef,
  PriceRow,
  Provenance,
} from '../mcp-server/shapes.js';
import type { FilingSeen, TickerSnapshot } from './types.js';

/** The tool answers a snapshot is made from; a part that could not be read is left out and named in `missing`. */
export interface SnapshotParts {
  /** `get_price_history` (daily rows `[date, open, high, low, close, volume]`, oldest first). */
  prices?: { bars: readonly PriceRow[] };
  analyst?: AnalystRatings;
  news?: CompanyNews;
  /** `get_company_financials` (quarterly): only its provenance is read. */
  statements?: { provenance?: Provenance };
  /** Parts that could not be read, in plain words. */
  missing?: readonly string[];
}

/** Bars back the week change is measured over (a trading week). */
export const WEEK_BARS = 5;

const ACCESSION = /\d{10}-\d{2}-\d{6}/;

const pct = (now: number, before: number | undefined) =>
  before === undefined || before === 0 ? undefined : (now / before - 1) * 100;

/** A filing's identity: its accession when the event names one (URL or reference), else form, date and title. */
export function eventKey(event: CompanyEvent): string {
  const accession = ACCESSION.exec(event.url ?? '')?.[0] ?? ACCESSION.exec(event.source.ref)?.[0];
  return accession ?? `${event.kind}|${event.date}|${event.title}`;
}

/** Whether an event is an SEC filing (8-K, 8-K/A, 10-Q …), not a news item. */
const isFiling = (event: CompanyEvent) => /^(8-K|10-[KQ]|6-K|20-F)/.test(event.kind);

function reportFiling(filing: FilingRef): FilingSeen | undefined {
  if (!/^10-[KQ]/.test(filing.form) || !filing.filed) return undefined;
  const period = filing.periodEnd ? ` for the period ended ${filing.periodEnd}` : '';
  return {
    key: filing.accession ?? `${filing.form}|${filing.filed}`,
    form: filing.form,
    date: filing.filed,
    title: `${filing.form === '10-K' || filing.form === '10-K/A' ? 'Annual' : 'Quarterly'} report${period}`,
    items: [],
  };
}

/** The filings in `parts`, newest first, each once (an 8-K from the events feed, the statements' 10-K/10-Q). */
export function filingsOf(parts: Pick<SnapshotParts, 'news' | 'statements'>): FilingSeen[] {
  const seen = new Map<string, FilingSeen>();
  for (const event of parts.news?.events ?? []) {
    if (!isFiling(event)) continue;
    const key = eventKey(event);
    if (seen.has(key)) continue;
    seen.set(key, {
      key,
      form: event.kind,
      date: event.date,
      title: event.title.replace(/^8-K(\/A)?:\s*/, ''),
      items: [...event.items],
      ...(event.url ? { url: event.url } : {}),
    });
  }
  const report = parts.statements?.provenance?.filing;
  const filed = report ? reportFiling(report) : undefined;
  if (filed && !seen.has(filed.key)) seen.set(filed.key, filed);
  return [...seen.values()].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
}

/** The snapshot of `ticker` from its tool answers. */
export function snapshotOf(ticker: string, parts: SnapshotParts): TickerSnapshot {
  const bars = parts.prices?.bars ?? [];
  const last = bars.at(-1);
  const snapshot: TickerSnapshot = { ticker, filings: filingsOf(parts), missing: [...(parts.missing ?? [])] };
  if (last) {
    const close = last[4];
    snapshot.close = { date: last[0], value: close };
    const day = pct(close, bars.at(-2)?.[4]);
    const week = pct(close, bars.at(-1 - WEEK_BARS)?.[4]);
    if (day !== undefined) snapshot.dayChangePct = day;
    if (week !== undefined) snapshot.weekChangePct = week;
  }
  const a = parts.analyst;
  if (a)
    snapshot.consensus = {
      asOf: a.asOf,
      rating: a.rating,
      analystCount: a.analystCount,
      ...(a.targetMean !== undefined ? { targetMean: a.targetMean } : {}),
    };
  return snapshot;
}
