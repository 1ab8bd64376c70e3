/**
 * Insider figures, defined once: which Form 4 rows are the issuer's own trades, their share class and English
 * title, and the 12-month totals and concentration every report, tool and provider states. The bundle build
 * classifies each row ({@link classifyInsiderRow}); the providers summarise with {@link insiderSummary}; the risk
 * analyst only reads that summary, so totals and the concentration sentence come from one set of rows.
 *
 * - **Issuer's own securities**: a Form 4 that names its issuer (CIK or ticker, as the live SEC feed does) counts
 *   only when that is the researched company. The bundled Form 4 rows carry no issuer column, so there an
 *   open-market trade (code P or S) counts only when its price lies within {@link PRICE_TOLERANCE} of the day's range
 *   of one of the company's share classes: a price far outside it is a trade in another issuer's securities filed
 *   by the company or its fund as the reporting owner (KO's own 18.8M-share "sale" at $127.00 on 2025-11-07, when KO
 *   traded at $69.41–$70.87; Berkshire's sales of other holdings), an offering price, or a data error. Such rows are
 *   kept, marked with a `problem`, and reported as data problems, never added to a figure.
 * - **Share class**: each row names the class it is in (Berkshire Class A or B from the price; one class elsewhere;
 *   Alphabet's Class A and C trade within cents of each other and the source does not say which).
 * - **The 12 months**: filings in the 365 days up to the newest filing date; every total and the largest seller's
 *   share are computed over the same kept rows.
 */
import type { InsiderTotals, InsiderTransaction } from '../mcp-server/shapes.js';

/** A trade price further than this fraction outside the day's low–high range is a data problem (0.25 = 25 %). */
export const PRICE_TOLERANCE = 0.25;

/** The window of the insider totals, in days before the newest filing date. */
export const INSIDER_WINDOW_DAYS = 365;

/** Titles as filed in another language → English (the raw value is kept in `titleAsFiled`). */
export const INSIDER_TITLES: Readonly<Record<string, string>> = {
  董事: 'Director',
  独立董事: 'Independent Director',
  獨立董事: 'Independent Director',
  董事长: 'Chairman',
  董事長: 'Chairman',
  总裁: 'President',
  總裁: 'President',
  首席执行官: 'Chief Executive Officer',
  首席財務官: 'Chief Financial Officer',
  首席财务官: 'Chief Financial Officer',
  副总裁: 'Vice President',
  副總裁: 'Vice President',
  高管: 'Officer',
};

/** One share class of a listed company, with its price relative to the researched ticker's class. */
export interface ShareClass {
  /** Plain name, e.g. `Class B`, `Common stock`. */
  name: string;
  /** Price of one share of this class ÷ price of one share of the ticker's own class (1 for the ticker's). */
  priceRatio: number;
}

/** Companies with more than one listed class, by ticker: the ticker's own class first. */
export const SHARE_CLASSES: Readonly<Record<string, readonly ShareClass[]>> = {
  'BRK.B': [
    { name: 'Class B', priceRatio: 1 },
    { name: 'Class A', priceRatio: 1500 },
  ],
  GOOG: [{ name: 'Class C or Class A (the source does not say)', priceRatio: 1 }],
  GOOGL: [{ name: 'Class A or Class C (the source does not say)', priceRatio: 1 }],
};

/** The share classes of `ticker` (its own first); one `Common stock` class for single-class companies. */
export function shareClassesOf(ticker: string): readonly ShareClass[] {
  return SHARE_CLASSES[ticker] ?? [{ name: 'Common stock', priceRatio: 1 }];
}

/** An insider's title in English: `董事` → `{ title: 'Director', asFiled: '董事' }`; English titles pass through. */
export function englishTitle(raw: string): { title: string; asFiled?: string } {
  const t = raw.trim();
  const en = INSIDER_TITLES[t];
  return en ? { title: en, asFiled: t } : { title: t };
}

/** A day's trading range of the ticker's own class (USD/share). */
export interface DayRange {
  date: string;
  low: number;
  high: number;
}

/** Open-market codes whose price is a market price (checked against the day's range). */
const MARKET_CODES = new Set(['P', 'S']);

/** `$127.00`, `$775,883.30`. */
function usd(n: number): string {
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/**
 * The share class of a Form 4 row and, when its price cannot be a trade in the company's securities, the problem.
 * @param row the row as filed (price in USD/share).
 * @param ticker the researched ticker (its classes from {@link shareClassesOf}).
 * @param range the ticker's range on the transaction date (or the nearest trading day before it); without one the
 *   price is not checked.
 * @param issuer when the row names its issuer (live Form 4: `issuerCik` / `issuerTicker`), the company's CIK and
 *   tickers: a row of another issuer is a problem whatever its price.
 */
export function classifyInsiderRow(
  row: Pick<InsiderTransaction, 'code' | 'price' | 'transactionDate'> & { issuerCik?: string; issuerTicker?: string },
  ticker: string,
  range: DayRange | undefined,
  issuer?: { cik?: string; tickers: readonly string[] },
): { shareClass: string; problem?: string } {
  const classes = shareClassesOf(ticker);
  const own = classes[0] as ShareClass;
  if (issuer && row.issuerCik && issuer.cik && Number(row.issuerCik) !== Number(issuer.cik))
    return { shareClass: own.name, problem: `filed for issuer CIK ${row.issuerCik}, not ${ticker}'s` };
  if (issuer && row.issuerTicker && !issuer.tickers.includes(row.issuerTicker.toUpperCase()))
    return { shareClass: own.name, problem: `filed for ${row.issuerTicker}, another issuer` };
  if (!MARKET_CODES.has(row.code)) return { shareClass: own.name };
  if (row.price === null || row.price <= 0)
    return { shareClass: own.name, problem: 'no trade price in the filing data' };
  if (!range) return { shareClass: own.name };
  const price = row.price;
  const fits = classes.find(
    (c) =>
      price >= range.low * c.priceRatio * (1 - PRICE_TOLERANCE) &&
      price <= range.high * c.priceRatio * (1 + PRICE_TOLERANCE),
  );
  if (fits) return { shareClass: fits.name };
  return {
    shareClass: own.name,
    problem: `price ${usd(price)} is far outside ${ticker}'s range of ${usd(range.low)}–${usd(range.high)} on ${range.date}`,
  };
}

/** 12-month insider totals over the kept rows (see the module comment): {@link InsiderTotals} with every field set. */
export type InsiderSummary = Required<Omit<InsiderTotals, 'topSeller'>> & Pick<InsiderTotals, 'topSeller'>;

/** ISO date `days` before `iso`. */
function minusDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** A row's value in USD: as filed, else price × shares, else 0. */
function rowValue(t: InsiderTransaction): number {
  return Math.abs(t.value ?? (t.price !== null ? t.price * t.shares : 0));
}

/**
 * The insider totals of the {@link INSIDER_WINDOW_DAYS} days up to the newest filing date, from the rows not marked
 * with a `problem`: open-market purchases (code P) and sales (code S), the number of sellers, the largest seller's
 * share, the share classes, and what was left out. Values rounded to whole USD, the share to 0.0001 %.
 * @param rows every row of the company (any order).
 */
export function insiderSummary(rows: readonly InsiderTransaction[]): InsiderSummary {
  const to =
    rows
      .map((t) => t.filingDate.slice(0, 10))
      .sort()
      .at(-1) ?? '';
  const from = to ? minusDays(to, INSIDER_WINDOW_DAYS) : '';
  const window = rows.filter((t) => t.filingDate.slice(0, 10) > from && MARKET_CODES.has(t.code));
  const kept = window.filter((t) => !t.problem);
  const left = window.filter((t) => t.problem);
  const sum = (xs: InsiderTransaction[]) => Math.round(xs.reduce((s, t) => s + rowValue(t), 0));
  const sells = kept.filter((t) => t.code === 'S');
  const buys = kept.filter((t) => t.code === 'P');
  const bySeller = new Map<string, number>();
  for (const t of sells) bySeller.set(t.insider, (bySeller.get(t.insider) ?? 0) + rowValue(t));
  const sellValue = sum(sells);
  const top = [...bySeller.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  const excluded: InsiderSummary['excluded'] = { count: left.length, value: sum(left) };
  const firstLeft = left[0];
  if (firstLeft?.problem) excluded.example = `${firstLeft.insider} ${firstLeft.transactionDate}: ${firstLeft.problem}`;
  const summary: InsiderSummary = {
    buyValue: sum(buys),
    sellValue,
    buyCount: buys.length,
    sellCount: sells.length,
    from,
    to,
    sellerCount: bySeller.size,
    shareClasses: [...new Set(kept.map((t) => t.shareClass).filter((c): c is string => !!c))],
    excluded,
  };
  if (top && sellValue > 0)
    summary.topSeller = {
      insider: top[0],
      value: Math.round(top[1]),
      sharePct: Math.round((top[1] / sellValue) * 1_000_000) / 10_000,
    };
  return summary;
}
