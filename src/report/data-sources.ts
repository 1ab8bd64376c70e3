/**
 * Where a report's data came from and how old it is: one line per data kind (profile, statements, prices, consensus,
 * events, insiders) naming the provider, live or "bundled snapshot", and the as-of date (last close, latest filing,
 * consensus date), and, for a part served from the cache past its validity while it is refreshed in the background
 * (stale-while-revalidate), when it was fetched; and a headline for the top of the report when live sources could not be reached (which snapshot
 * date is used instead) or when the prices are more than five trading days old. Read from each bundle part's
 * `provenance` (set by the data server's provider chains). Pure; `now` is a parameter.
 */
import { lastSessionDate, tradingDaysBetween } from '../market-calendar.js';
import { providerList, providerName } from '../mcp-server/providers/names.js';
import type { FilingRef, Provenance } from '../mcp-server/shapes.js';
import type { BundleKey, BundlePart, DataBundle } from '../research/types.js';
import type { StaleMarker } from '../tools/types.js';

/** One data kind's line. */
export interface DataSourceLine {
  /** `Profile`, `Statements`, `Prices`, `Consensus`, `Events`, `Insiders`. */
  kind: string;
  /** Provider id that answered (`sec-edgar`, `yahoo`, `stooq`, `bundled`…), absent when nothing answered. */
  provider?: string;
  live?: boolean;
  asOf?: string;
  /** Served from the cache past its validity, being refreshed in the background. */
  stale?: StaleMarker;
  /** The whole line, e.g. `Prices: Yahoo Finance (live), last close 2026-12-04`. */
  text: string;
}

/** What {@link dataSources} says about a run's data. */
export interface DataSources {
  lines: DataSourceLine[];
  /** Plain-words notes for the top of the report (offline snapshot in use, stale prices); empty when none. */
  headlines: string[];
  /** Date of the last close the report's prices include, if any. */
  pricesAsOf?: string;
}

/** Days of trading after which prices count as old. */
export const STALE_TRADING_DAYS = 5;

const KINDS: { kind: string; parts: BundleKey[]; date: string }[] = [
  { kind: 'Profile', parts: ['profile'], date: 'as of' },
  { kind: 'Statements', parts: ['financialsQuarterly', 'financialsAnnual'], date: 'latest filing' },
  { kind: 'Prices', parts: ['prices', 'technicals'], date: 'last close' },
  { kind: 'Consensus', parts: ['analyst'], date: 'as of' },
  { kind: 'Events', parts: ['news'], date: 'latest' },
  { kind: 'Insiders', parts: ['insider'], date: 'latest filing' },
];

function provenanceOf(part: BundlePart<unknown> | undefined): Provenance | undefined {
  if (part?.status !== 'ok') return undefined;
  return (part.data as { provenance?: Provenance } | null)?.provenance;
}

/**
 * The note on the providers tried before the one that answered, or '': those that failed (`Yahoo Finance and Stooq
 * could not be reached`, `SEC EDGAR failed (… answered HTTP 503.)`) and those that have nothing for the ticker
 * (`Yahoo Finance and Stooq have no data for TSLA`), so a line served from the snapshot says why.
 */
function passedNote(p: Provenance, ticker: string): string {
  const failed = p.tried.filter((t) => t.outcome === 'failed');
  const lacking = p.tried.filter((t) => t.outcome !== 'failed' && !failed.some((f) => f.provider === t.provider));
  const notes: string[] = [];
  if (failed.length > 0) {
    const unreachable = failed.every((t) => /could not be reached/.test(t.reason));
    // One reason once (two providers on one host that hangs fail with the same words).
    const why = unreachable
      ? 'could not be reached'
      : `failed (${[...new Set(failed.map((t) => t.reason))].join(' ')})`;
    notes.push(`${providerList(failed.map((t) => t.provider))} ${why}`);
  }
  if (lacking.length > 0) {
    const names = [...new Set(lacking.map((t) => t.provider))];
    notes.push(`${providerList(names)} ${names.length > 1 ? 'have' : 'has'} no data for ${ticker}`);
  }
  return notes.join('; ');
}

/**
 * A tool's "no data" answer as a data line says it: without the sentence the data server adds for MCP clients
 * about which of its tools do have data for the ticker (`Tools with data for TSM: get_price_history, …`).
 */
export function plainNoData(reason: string): string {
  return reason
    .replace(
      / (?:Tools with data for \S+: [\w, ]+|This server has no data for \S+|No other tool has data for \S+)\.?$/,
      '',
    )
    .replace(/\.$/, '');
}

/** `10-Q filed 2026-05-20, period ended 2026-04-26`. */
export function filingText(filing: FilingRef): string {
  const filed = filing.filed ? ` filed ${filing.filed}` : '';
  return `${filing.form}${filed}${filing.periodEnd ? `, period ended ${filing.periodEnd}` : ''}`;
}

/**
 * The dating words of a kind's line: for statements the latest filing (form, filing date, period) and the newest
 * period when the answer has a later one from another source (or only undated tables); else `<date word> <asOf>`.
 */
function datedText(kind: string, date: string, p: Provenance, data: unknown): string {
  if (kind === 'Consensus') return consensusText(p, data);
  if (kind !== 'Statements') return p.asOf ? `, ${date} ${p.asOf}` : '';
  const newestPeriod = (data as { periods?: { periodEnd?: string }[] } | null)?.periods?.[0]?.periodEnd;
  if (!p.filing) return newestPeriod ? `, newest period ${newestPeriod}` : p.asOf ? `, as of ${p.asOf}` : '';
  const later = newestPeriod && p.filing.periodEnd && newestPeriod > p.filing.periodEnd;
  return `, latest filing ${filingText(p.filing)}${later ? `; newest period ${newestPeriod}` : ''}`;
}

/**
 * The consensus line's words after the provider: what it gave and how old — `, ratings and price target as of
 * 2026-12-04`, or, for ratings without a target (Finnhub on a free key), `, ratings as of 2026-12-01; price target not
 * available from Finnhub on this key (a premium endpoint)` (the answer's `targetNote`); `, as of …` for an answer of
 * neither shape.
 */
function consensusText(p: Provenance, data: unknown): string {
  const d = (data ?? {}) as { targetMean?: unknown; targetNote?: unknown };
  const asOf = p.asOf ? ` as of ${p.asOf}` : '';
  if (typeof d.targetMean === 'number') return `, ratings and price target${asOf}`;
  if (typeof d.targetNote === 'string') {
    return `, ratings${asOf}; ${d.targetNote.replace(/^Price target/, 'price target').replace(/\.$/, '')}`;
  }
  return asOf ? `,${asOf}` : '';
}

const minute = (iso: string) => `${iso.replace('T', ' ').slice(0, 16)} UTC`;

/**
 * `; served stale (fetched 2026-12-05 14:02 UTC, valid until 2026-12-05 21:20 UTC), being refreshed`; when the
 * live sources could not be reached (`offline`), `…, refreshed once a live source can be reached`: the gateway does
 * not refresh from the same snapshot while every host its answer failed on is still unreachable.
 */
function staleText(stale: StaleMarker, offline: boolean): string {
  const refresh = offline ? 'refreshed once a live source can be reached' : 'being refreshed';
  return `; served stale (fetched ${minute(stale.fetchedAt)}, valid until ${minute(stale.validUntil)}), ${refresh}`;
}

/** The lines and headlines for `bundle` at `now` (see the module comment). */
export function dataSources(bundle: DataBundle, now: Date = new Date()): DataSources {
  const lines: DataSourceLine[] = [];
  let unreachableLive = false;
  let snapshotDate: string | undefined;
  let pricesAsOf: string | undefined;
  for (const { kind, parts, date } of KINDS) {
    const answered = parts.map((k) => ({ part: bundle[k], p: provenanceOf(bundle[k]) })).find((x) => x.p);
    const first = bundle[parts[0] as BundleKey];
    if (!answered?.p) {
      const reason = first && first.status !== 'ok' ? first.reason : undefined;
      if (reason) lines.push({ kind, text: `${kind}: none (${plainNoData(reason)})` });
      else if (first?.status === 'ok') lines.push({ kind, text: `${kind}: ${first.source}` });
      continue;
    }
    const p = answered.p;
    const name = p.live ? `${providerName(p.provider)} (live)` : providerName(p.provider);
    const note = passedNote(p, bundle.ticker);
    const offline = note !== '' && !p.live && /could not be reached/.test(note);
    unreachableLive ||= offline;
    if (!p.live && p.asOf && (!snapshotDate || p.asOf > snapshotDate)) snapshotDate = p.asOf;
    if (kind === 'Prices') pricesAsOf = p.asOf;
    const part = answered.part?.status === 'ok' ? answered.part : undefined;
    // Any part of the kind served stale (prices fresh, technicals stale) marks the line.
    const stale = parts.map((k) => bundle[k]).find((x) => x?.status === 'ok' && x.stale);
    const staleNote = stale?.status === 'ok' && stale.stale ? staleText(stale.stale, offline) : '';
    const text = `${kind}: ${name}${datedText(kind, date, p, part?.data)}${note ? ` — ${note}` : ''}${staleNote}`;
    lines.push({
      kind,
      provider: p.provider,
      live: p.live,
      ...(p.asOf ? { asOf: p.asOf } : {}),
      ...(stale?.status === 'ok' && stale.stale ? { stale: stale.stale } : {}),
      text,
    });
  }
  const headlines: string[] = [];
  if (unreachableLive) {
    headlines.push(
      `Live data could not be reached; this report uses the bundled snapshot${snapshotDate ? ` (data to ${snapshotDate})` : ''}.`,
    );
  }
  if (pricesAsOf) {
    const old = tradingDaysBetween(pricesAsOf, lastSessionDate(now));
    if (old > STALE_TRADING_DAYS) {
      headlines.push(`The prices are ${old} trading days old: the last close in this report is ${pricesAsOf}.`);
    }
  }
  return { lines, headlines, ...(pricesAsOf ? { pricesAsOf } : {}) };
}

/** The data block of a Markdown report: the headlines in bold, then one line per kind. */
export function dataSourcesMarkdown(sources: DataSources): string {
  const out: string[] = [];
  for (const h of sources.headlines) out.push(`> **${h}**`, '');
  if (sources.lines.length > 0) out.push('**Data:**', ...sources.lines.map((l) => `- ${l.text}`), '');
  return out.join('\n');
}
