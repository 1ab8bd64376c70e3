/**
 * What the live price providers share once a series is parsed: splits the source left unapplied, gaps and nulls,
 * the window a caller asked for, and the {@link PriceHistory} answer. Prices in USD, volume in shares, dates ISO
 * (exchange local date).
 */
import { DataUnavailableError } from '../../errors.js';
import type { PriceBar, PriceHistory, Source } from '../shapes.js';

/** A stock split: on `date` each share became `ratio` shares (4-for-1 → 4). */
export interface Split {
  date: string;
  ratio: number;
}

/** How many calendar days of history the live providers fetch: the technicals' look-back and a margin. */
export const LIVE_HISTORY_DAYS = 760;

/**
 * Apply splits the source has not applied: when the close before a split is about `ratio` times the close on the
 * split day (within 30 %), the earlier bars are still in pre-split terms and are divided by `ratio` (volumes
 * multiplied). Bars must be oldest first. Returns new bars; already adjusted series come back unchanged.
 */
export function applyUnadjustedSplits(bars: readonly PriceBar[], splits: readonly Split[]): PriceBar[] {
  let out = bars.map((b) => ({ ...b }));
  for (const split of [...splits].sort((a, b) => a.date.localeCompare(b.date))) {
    if (!(split.ratio > 0) || split.ratio === 1) continue;
    const i = out.findIndex((b) => b.date >= split.date);
    const before = out[i - 1];
    const on = out[i];
    if (i <= 0 || !before || !on || on.close <= 0) continue;
    const jump = before.close / on.close;
    if (Math.abs(jump / split.ratio - 1) > 0.3) continue; // already adjusted
    const r = split.ratio;
    out = out.map((b, k) =>
      k < i
        ? {
            date: b.date,
            open: b.open / r,
            high: b.high / r,
            low: b.low / r,
            close: b.close / r,
            volume: Math.round(b.volume * r),
          }
        : b,
    );
  }
  return out.map((b) => ({
    ...b,
    open: round4(b.open),
    high: round4(b.high),
    low: round4(b.low),
    close: round4(b.close),
  }));
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** Subtract whole days from an ISO date. */
export function minusDays(iso: string, n: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The {@link PriceHistory} for `range` from a full series (oldest first): defaults as the bundled provider's (end =
 * last bar, start = a year before the end).
 * @throws DataUnavailableError when the series has no bar in the range.
 */
export function historyFor(
  ticker: string,
  bars: readonly PriceBar[],
  source: Source,
  range: { start?: string; end?: string } = {},
): PriceHistory {
  const last = bars.at(-1)?.date;
  if (!last) throw new DataUnavailableError(`${source.provider} has no daily prices for ${ticker}.`);
  const end = range.end ?? last;
  const start = range.start ?? minusDays(end, 365);
  const slice = bars.filter((b) => b.date >= start && b.date <= end);
  if (slice.length === 0) {
    throw new DataUnavailableError(`${source.provider} has no prices for ${ticker} between ${start} and ${end}.`);
  }
  return { ticker, currency: 'USD', adjusted: 'split', start, end, bars: slice, source: { ...source, asOf: last } };
}
