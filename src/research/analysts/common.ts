/**
 * Helpers shared by the analysts: reading bundle parts, building figures, scoring signals, and the bundle's
 * reference date. Pure functions; no I/O.
 */
import type { Source } from '../../mcp-server/shapes.js';
import type { BundlePart, DataBundle, Figure, FigureUnit, Findings, Signal } from '../types.js';

/** Plain names of the bundle's parts, as a person would say them. */
export const PART_NAMES: Record<Exclude<keyof DataBundle, 'ticker'>, string> = {
  profile: 'company profile',
  financialsAnnual: 'annual financial statements',
  financialsQuarterly: 'quarterly financial statements',
  prices: 'price history',
  technicals: 'technical indicators',
  analyst: 'analyst consensus',
  news: 'company events (SEC 8-K filings)',
  insider: 'insider transactions (SEC Form 4)',
};

/** Parts whose plain name is plural ("are available"). */
const PLURAL: ReadonlySet<string> = new Set([
  'financialsAnnual',
  'financialsQuarterly',
  'technicals',
  'news',
  'insider',
]);

/**
 * A failure reason safe to print: a timeout reads "the data tool timed out"; any other reason carrying numbers
 * (which no figure backs) reads "the data tool returned an error".
 */
export function plainFailure(reason: string): string {
  const r = reason.trim().replace(/\.$/, '');
  if (/did not answer within|timed? ?out/i.test(r)) return 'the data tool timed out';
  if (/\d/.test(r) || r.length === 0) return 'the data tool returned an error';
  // "The indicators could not…" reads inside parentheses as "the indicators could not…"; "SEC …" keeps its case.
  return /^[A-Z][a-z]/.test(r) ? `${r.charAt(0).toLowerCase()}${r.slice(1)}` : r;
}

/**
 * Whether any part of `bundle` was answered by a live provider (its `provenance.live`), so that a sentence about
 * the data does not call it all "bundled".
 */
export function hasLiveData(bundle: DataBundle): boolean {
  return Object.values(bundle).some(
    (part) =>
      typeof part === 'object' &&
      part.status === 'ok' &&
      (part.data as { provenance?: { live?: boolean } } | null)?.provenance?.live === true,
  );
}

/** The data of an `ok` part, or `undefined`. */
export function dataOf<T>(part: BundlePart<T> | undefined): T | undefined {
  return part?.status === 'ok' ? part.data : undefined;
}

/**
 * The reason the data server gave for a gap, when it knows one: the note it puts in parentheses at the end of its
 * "no data" sentence ("No financial statements in the bundled data set for SAMSUNG (statements are reported in KRW,
 * not USD)." → "statements are reported in KRW, not USD"), also when a sentence follows it (the server names the
 * tools that do have data: "… This server has no data for SAMSUNG."); `undefined` when it gave none.
 */
export function knownReason(reason: string): string | undefined {
  return reason.match(/\(([^()]+)\)(?:\.(?=\s)|\.?$)/)?.[1]?.trim() || undefined;
}

/**
 * Where the data server looked for a part it has no data for, as its "no data" sentence says: `in the configured
 * data sources` when a live provider was asked too ("… in any configured source; asked SEC EDGAR and bundled
 * snapshot.", "SEC EDGAR has no …"), else `in the bundled data set` (offline, live sources off).
 */
function gapPlace(reason: string): string {
  return /configured source|SEC EDGAR|Yahoo Finance|Stooq|Finnhub/.test(reason)
    ? 'in the configured data sources'
    : 'in the bundled data set';
}

/**
 * Why a part is missing, in plain words, or `undefined` when it is `ok`.
 * Unavailable: "No analyst consensus is available for KO in the bundled data set.", or with the data server's known
 * reason: "No financial statements are available for SAMSUNG in the bundled data set: statements are reported in
 * KRW, not USD."
 * Failed: "The analyst consensus for KO could not be fetched (the data tool timed out)." (see {@link plainFailure})"
 */
export function missingReason(bundle: DataBundle, key: Exclude<keyof DataBundle, 'ticker'>): string | undefined {
  const part = bundle[key];
  if (part.status === 'ok') return undefined;
  const name = PART_NAMES[key];
  const verb = PLURAL.has(key) ? 'are' : 'is';
  if (part.status === 'unavailable') {
    const known = knownReason(part.reason);
    return `No ${name} ${verb} available for ${bundle.ticker} ${gapPlace(part.reason)}${known ? `: ${known}` : ''}.`;
  }
  return `The ${name} for ${bundle.ticker} could not be fetched (${plainFailure(part.reason)}).`;
}

/**
 * Plain reasons for the parts among `keys` whose fetch failed (a fault, not a gap in the data set). Analysts mark
 * their findings degraded with these; parts the data set simply lacks are said in the points instead.
 */
export function failedReasons(bundle: DataBundle, keys: readonly Exclude<keyof DataBundle, 'ticker'>[]): string[] {
  return keys.filter((k) => bundle[k].status === 'failed').map((k) => missingReason(bundle, k) ?? '');
}

/**
 * The `degraded` fields of findings that lack data, for `reason`: a fault when any of `keys` (the parts the analyst
 * reads) failed to fetch, else a data gap (`dataGap`, the same text): the data set lacks the data and nothing went
 * wrong, so the section says so but the run records no problem.
 */
export function degradedFields(
  bundle: DataBundle,
  reason: string,
  keys: readonly Exclude<keyof DataBundle, 'ticker'>[],
): Pick<Findings, 'degraded' | 'dataGap'> {
  return keys.some((k) => bundle[k].status === 'failed') ? { degraded: reason } : { degraded: reason, dataGap: reason };
}

/** A figure read from the data set (not derived). */
export function sourced(
  name: string,
  label: string,
  value: number,
  unit: FigureUnit,
  source: Source,
  period?: string,
): Figure {
  const p = period ?? source.period;
  return { name, label, value, unit, ...(p === undefined ? {} : { period: p }), source };
}

/**
 * A figure computed from other figures. `inputs` names them (and their periods) in `source.ref`, e.g.
 * `revenue FY2024 ÷ revenue FY2023 − 1`; provider is `tickerdesk-derived` unless `base` gives one. `also` are the
 * sources of the other inputs: each one whose file or filing differs from `base`'s is cited too, so a figure cites
 * every source of its value (NVDA's cash from a 10-Q plus short-term investments from yfinance).
 */
export function derived(
  name: string,
  label: string,
  value: number,
  unit: FigureUnit,
  period: string,
  inputs: string,
  base?: Source,
  also: readonly (Source | undefined)[] = [],
): Figure {
  const strip = (s: Source) => s.ref.replace(/^derived: .*\(from (.*)\)$/, '$1');
  const baseRef = base ? strip(base) : undefined;
  const others = [
    ...new Map(
      also
        .filter((s): s is Source => !!s && strip(s) !== baseRef)
        .map((s) => [strip(s), `${s.provider}: ${strip(s)}`] as const),
    ).values(),
  ];
  const from = [baseRef, ...others].filter(Boolean).join('; and ');
  const source: Source = {
    provider: base?.provider ?? 'tickerdesk-derived',
    ref: `derived: ${inputs}${from ? ` (from ${from})` : ''}`,
    period,
    ...(base?.asOf === undefined ? {} : { asOf: base.asOf }),
    ...(base?.url === undefined ? {} : { url: base.url }),
  };
  return { name, label, value, unit, period, source, derived: true };
}

/** A finite number, or `undefined` for null/NaN/Infinity. */
export function finite(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Round to `decimals` places (keeps figures stable across platforms and readable in JSON). */
export function round(value: number, decimals = 4): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** Clamp to [lo, hi]. */
export function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}

/**
 * A rule score turned into a signal and a confidence. `score` ≥ `threshold` → bullish, ≤ −`threshold` → bearish.
 * Confidence grows with the score's size and with `coverage` (share of the expected inputs present, 0–1).
 */
export function scoreToSignal(score: number, coverage: number, threshold = 1): { signal: Signal; confidence: number } {
  const signal: Signal = score >= threshold ? 'bullish' : score <= -threshold ? 'bearish' : 'neutral';
  const strength = clamp(Math.abs(score) / (threshold * 3), 0, 1);
  const base = signal === 'neutral' ? 0.45 + 0.1 * (1 - strength) : 0.5 + 0.35 * strength;
  return { signal, confidence: round(clamp(base * (0.5 + 0.5 * clamp(coverage, 0, 1)), 0.1, 0.95), 2) };
}

/** Whole days from ISO date `from` to ISO date `to` (UTC). */
export function daysBetween(from: string, to: string): number {
  return Math.round(
    (Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / 864e5,
  );
}

/** ISO date `days` before `iso`. */
export function daysBefore(iso: string, days: number): string {
  return new Date(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) - days * 864e5).toISOString().slice(0, 10);
}

/**
 * The bundle's "today": the newest date any market part carries (last price bar, indicators, consensus, newest
 * event, newest insider filing). Deterministic (never the wall clock), so offline data reads the same on any day.
 */
export function bundleAsOf(bundle: DataBundle): string | undefined {
  const dates = [
    dataOf(bundle.technicals)?.asOf,
    dataOf(bundle.prices)?.end,
    dataOf(bundle.prices)?.bars.at(-1)?.date,
    dataOf(bundle.analyst)?.asOf,
    dataOf(bundle.news)?.events[0]?.date,
    dataOf(bundle.insider)?.transactions[0]?.filingDate,
  ].filter((d): d is string => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}/.test(d));
  return dates.length > 0
    ? dates
        .map((d) => d.slice(0, 10))
        .sort()
        .at(-1)
    : undefined;
}
