/**
 * Market data for the bundled data set, per ticker: daily prices (IBKR bars, else Stooq adjusted bars; the last 3
 * years), the Nasdaq-100 analyst consensus, SEC 8-K events (the offline news feed) and SEC Form 4 insider
 * transactions. Each carries its source (file, upstream commit, licence note) and the date it runs to.
 */

import { classifyInsiderRow, type DayRange, englishTitle } from '../../src/definitions/insider.js';
import type { CompactBar, TickerBundle } from '../../src/mcp-server/providers/bundle-format.js';
import { eightKEvents } from '../../src/mcp-server/providers/sec-submissions.js';
import type { InsiderTransaction } from '../../src/mcp-server/shapes.js';
import {
  HELIAR,
  NON_USD_PRICES,
  num,
  round,
  SAME_ISSUER,
  SAMPLE,
  type SharedSources,
  submissionsFor,
} from './sources.js';

function bar(...cells: (string | undefined)[]): CompactBar | undefined {
  const [date, ...rest] = cells;
  const nums = rest.map(num);
  if (!date || nums.some((n) => n === undefined)) return undefined;
  const [o, h, l, c, v] = nums as number[];
  return [date, round(o ?? 0), round(h ?? 0), round(l ?? 0), round(c ?? 0), Math.round(v ?? 0)];
}

/** Keep the last 3 years of bars (relative to the last bar). */
function trim(bars: (CompactBar | undefined)[]): CompactBar[] {
  const ok = bars.filter((b): b is CompactBar => b !== undefined).sort((a, b) => a[0].localeCompare(b[0]));
  const last = ok[ok.length - 1]?.[0];
  if (!last) return [];
  const cutoff = `${Number(last.slice(0, 4)) - 3}${last.slice(4)}`;
  return ok.filter((b) => b[0] > cutoff);
}

/** Daily bars of `ticker` in USD (GOOGL uses the Class C file), oldest first; `undefined` when none. */
export function prices(src: SharedSources, ticker: string): TickerBundle['prices'] {
  const ib = src.ibkr.includes(ticker) ? ticker : ticker === 'GOOGL' ? 'GOOG' : undefined;
  if (ib && !NON_USD_PRICES[ib]) {
    const rows = src.csv('prices/heliar-k_ibkr_daily', `${ib}.csv`);
    const bars = trim(rows.map((r) => bar(r.date, r.open, r.high, r.low, r.close, r.volume)));
    const note = ib !== ticker ? `; ${ib} (Class C) prices used for ${ticker}` : '';
    return {
      adjusted: 'split',
      ...(ib !== ticker ? { security: `${ib} (Class C)` } : {}),
      bars,
      source: {
        provider: 'ibkr-heliar-k',
        ref: `prices/heliar-k_ibkr_daily/${ib}.csv (${HELIAR} data/stocks/${ib}.csv; IBKR daily bars, ${SAMPLE}${note})`,
        asOf: bars[bars.length - 1]?.[0] ?? '',
      },
    };
  }
  if (src.stooq.includes(ticker)) {
    const rows = src.csv('prices/tessera_stooq_adjusted', `${ticker}.csv`);
    const bars = trim(rows.map((r) => bar(r.Date, r.Open, r.High, r.Low, r.Close, r.Volume)));
    return {
      adjusted: 'split+dividend',
      bars,
      source: {
        provider: 'stooq-tessera',
        ref: `prices/tessera_stooq_adjusted/${ticker}.csv (Ekagraj/tessera@607852b data/${ticker}.csv; Stooq daily bars, ${SAMPLE})`,
        asOf: bars[bars.length - 1]?.[0] ?? '',
      },
    };
  }
  return undefined;
}

/** The latest analyst consensus of `ticker` (targets in USD, upside in %) with its history; `undefined` when none. */
export function analyst(src: SharedSources, ticker: string): TickerBundle['analyst'] {
  const rows = src.targets
    .filter((r) => r.ticker === ticker)
    .sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''));
  const last = rows[rows.length - 1];
  if (!last) return undefined;
  const price = num(last.price) ?? 0;
  const mean = num(last.target_mean) ?? 0;
  return {
    asOf: last.date ?? '',
    analystCount: num(last.analysts) ?? 0,
    rating: last.rating ?? '',
    price,
    targetMean: round(mean, 2),
    targetHigh: round(num(last.target_high) ?? 0, 2),
    targetLow: round(num(last.target_low) ?? 0, 2),
    upsidePct: price > 0 ? round((mean / price - 1) * 100, 2) : 0,
    history: rows.map((r) => ({
      date: r.date ?? '',
      targetMean: round(num(r.target_mean) ?? 0, 2),
      analystCount: num(r.analysts) ?? 0,
    })),
    source: {
      provider: 'nasdaq100-consensus-heliar-k',
      ref: `analyst/heliar-k_ndx_targets.csv (${HELIAR} data/analyst; yfinance consensus snapshots, ${SAMPLE})`,
      period: last.date ?? '',
      asOf: last.date ?? '',
    },
  };
}

/** SEC 8-K events of `ticker` from its submissions, newest first; `undefined` when none. */
export function news(src: SharedSources, ticker: string): TickerBundle['news'] {
  const sub = submissionsFor(src, ticker);
  if (!sub) return undefined;
  const ref = `sec/submissions/${ticker}.json (SEC submissions API via dgunning/edgartools@ca5a700, public domain)`;
  const events = eightKEvents(sub);
  if (events.length === 0) return undefined;
  // The feed reaches the newest filing of any form in the submissions (not only the newest 8-K).
  const filed = ((sub.filings as { recent?: { filingDate?: string[] } } | undefined)?.recent?.filingDate ?? []).sort();
  const asOf = [events[0]?.date ?? '', filed.at(-1) ?? ''].sort().at(-1) ?? '';
  return { source: { provider: 'sec-submissions', ref, asOf }, events };
}

/**
 * SEC Form 4 transactions of `ticker` (or its other share class), newest filing first; `undefined` when none. Each
 * row gets its English title (the title as filed kept in `titleAsFiled`), its share class, and a `problem` when its
 * price cannot be a trade in the company's securities (`classifyInsiderRow`, checked against `bars`, the ticker's
 * own daily bars).
 */
export function insider(src: SharedSources, ticker: string, bars: readonly CompactBar[] = []): TickerBundle['insider'] {
  const t = src.insiderTickers.includes(ticker) ? ticker : SAME_ISSUER[ticker];
  if (!t || !src.insiderTickers.includes(t)) return undefined;
  const dates = bars.map((b) => b[0]);
  const rangeOn = (date: string): DayRange | undefined => {
    // The bar of the trade date, or of the nearest trading day before it within 3 days (weekend trade dates).
    let i = dates.length - 1;
    while (i >= 0 && (dates[i] ?? '') > date) i--;
    const b = bars[i];
    if (!b || daysApart(b[0], date) > 3) return undefined;
    return { date: b[0], low: b[3], high: b[2] };
  };
  const transactions: InsiderTransaction[] = src.csv('insider/heliar-k_form4', `${t}.csv`).map((r) => {
    const { title, asFiled } = englishTitle(r.title ?? '');
    const row: InsiderTransaction = {
      filingDate: r.filing_date ?? '',
      transactionDate: r.transaction_date ?? '',
      insider: r.insider_name ?? '',
      title,
      code: r.code ?? '',
      shares: num(r.shares) ?? 0,
      price: num(r.price) ?? null,
      value: num(r.value) === undefined ? null : round(num(r.value) ?? 0, 2),
      sharesAfter: num(r.shares_after) ?? null,
      accession: r.accession ?? '',
    };
    const { shareClass, problem } = classifyInsiderRow(row, ticker, rangeOn(row.transactionDate));
    row.shareClass = shareClass;
    if (asFiled) row.titleAsFiled = asFiled;
    if (problem) row.problem = problem;
    return row;
  });
  transactions.sort(
    (a, b) => b.filingDate.localeCompare(a.filingDate) || b.transactionDate.localeCompare(a.transactionDate),
  );
  const note = t !== ticker ? `; filed under ${t}, same issuer` : '';
  return {
    transactions,
    source: {
      provider: 'sec-form4',
      ref: `insider/heliar-k_form4/${t}.csv (SEC Form 4 parsed by ${HELIAR} data/insider${note}; titles in English, as filed in titleAsFiled)`,
      asOf: transactions[0]?.filingDate ?? '',
    },
  };
}

/** Whole days between two ISO dates. */
function daysApart(a: string, b: string): number {
  return Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000;
}
