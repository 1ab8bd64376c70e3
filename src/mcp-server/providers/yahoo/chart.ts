/**
 * Parser for Yahoo Finance's chart JSON (`GET /v8/finance/chart/{symbol}?interval=1d&events=split…`):
 * `{"chart": {"result": [{"meta": {currency, exchangeTimezoneName…}, "timestamp": [...], "events": {"splits":
 * {...}}, "indicators": {"quote": [{open, high, low, close, volume}], "adjclose": [...]}}], "error": null}}`.
 * `close` is split-adjusted (not dividend-adjusted). Timestamps are session starts in UTC; bars are dated in the
 * exchange's time zone. Bars with a null or non-positive close (Yahoo leaves gaps as nulls) are left out.
 */
import type { PriceBar } from '../../shapes.js';
import type { Split } from '../daily-series.js';

/** A parsed chart: bars oldest first, the split events, the currency. */
export interface YahooChart {
  bars: PriceBar[];
  splits: Split[];
  currency: string;
  /** Bars left out because Yahoo gave nulls for them. */
  dropped: number;
}

/** Yahoo's error in a chart document (`{"chart": {"result": null, "error": {code, description}}}`), if any. */
export function chartError(json: unknown): string | undefined {
  const err = (json as { chart?: { error?: { code?: string; description?: string } | null } })?.chart?.error;
  return err ? `${err.code ?? 'error'}: ${err.description ?? ''}`.trim() : undefined;
}

/**
 * One formatter per time zone: building an `Intl.DateTimeFormat` costs far more than formatting with it (one per bar
 * took 5 of the data server's 17 CPU seconds in the live bench's burst of 100 runs).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function localDate(epochSeconds: number, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, format);
  }
  return format.format(new Date(epochSeconds * 1000));
}

/**
 * Parse a chart document.
 * @throws Error when it is not a chart document with a result.
 */
export function parseYahooChart(json: unknown): YahooChart {
  const result = (json as { chart?: { result?: unknown[] | null } })?.chart?.result?.[0] as
    | {
        meta?: { currency?: string; exchangeTimezoneName?: string };
        timestamp?: number[];
        events?: { splits?: Record<string, { date?: number; numerator?: number; denominator?: number }> };
        indicators?: { quote?: { open?: Nums; high?: Nums; low?: Nums; close?: Nums; volume?: Nums }[] };
      }
    | undefined;
  if (!result) throw new Error('not a Yahoo chart document with a result');
  const tz = result.meta?.exchangeTimezoneName ?? 'America/New_York';
  const q = result.indicators?.quote?.[0] ?? {};
  const bars: PriceBar[] = [];
  let dropped = 0;
  (result.timestamp ?? []).forEach((t, i) => {
    const close = q.close?.[i];
    if (typeof close !== 'number' || !(close > 0)) {
      dropped += 1;
      return;
    }
    const num = (v: number | null | undefined) => (typeof v === 'number' && v > 0 ? v : close);
    bars.push({
      date: localDate(t, tz),
      open: num(q.open?.[i]),
      high: num(q.high?.[i]),
      low: num(q.low?.[i]),
      close,
      volume: typeof q.volume?.[i] === 'number' ? (q.volume[i] as number) : 0,
    });
  });
  // Yahoo can repeat the last session as a live bar: keep one bar per date, the later one.
  const byDate = new Map(bars.map((b) => [b.date, b]));
  const splits: Split[] = Object.values(result.events?.splits ?? {})
    .filter((s) => typeof s.date === 'number' && (s.numerator ?? 0) > 0 && (s.denominator ?? 0) > 0)
    .map((s) => ({
      date: localDate(s.date as number, tz),
      ratio: (s.numerator as number) / (s.denominator as number),
    }));
  return {
    bars: [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date)),
    splits,
    currency: result.meta?.currency ?? 'USD',
    dropped,
  };
}

type Nums = (number | null)[];
