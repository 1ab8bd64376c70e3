/**
 * How long each tool's answers stay valid in the cache, and for how long after that they may still be served while
 * they are refreshed in the background (the grace window of stale-while-revalidate), in ms. Slow-moving data
 * (profiles, filed statements) is valid for days; market data and news for minutes. Live market data follows the
 * market: prices and technicals from a live source are valid until the next US market close (NYSE calendar, plus a
 * settling margin), so a weekend or holiday keeps them, and served stale until the close after that; an answer the
 * bundle gave because a live source failed is valid only briefly, so that the live source is asked again soon (in
 * the background, while the bundle's answer goes on being served).
 *
 * | tool | valid for | grace (served stale, refreshed in the background) |
 * |---|---|---|
 * | prices, technicals (live) | until the next close + {@link CLOSE_SETTLE_MS} | until the close after that + settle |
 * | prices, technicals (bundled) | 15 minutes | 1 day |
 * | statements, profile, events from live SEC (with a validator) | while the company's newest filing is unchanged (checked with `get_latest_filings`, itself valid {@link FILINGS_CHECK_TTL_MS}), at most {@link VALIDATED_TTL_MS} | the tool's grace below |
 * | statements | 1 day | 3 days |
 * | profile | 7 days | 7 days |
 * | consensus | 1 hour | 1 day |
 * | news (8-K events) | 15 minutes | 6 hours |
 * | insiders | 15 minutes | 1 day |
 * | a fallback answer (a live source failed) | {@link FALLBACK_ANSWER_TTL_MS} | the tool's own validity + grace |
 * | a provisional "no data" | {@link FALLBACK_ANSWER_TTL_MS} | none |
 * | any other tool | {@link FALLBACK_TTL_MS} | none |
 */
import { nextClose } from '../market-calendar.js';
import { validatorOf } from './validators.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Default TTL for tools not listed in {@link DEFAULT_TTL_MS}: 15 minutes. */
export const FALLBACK_TTL_MS = 15 * MINUTE;

/** Default TTL per tool name, ms (applies to every server). */
export const DEFAULT_TTL_MS: Readonly<Record<string, number>> = {
  get_company_profile: 7 * DAY,
  get_peers: DAY,
  get_latest_filings: 15 * MINUTE,
  get_company_financials: DAY,
  get_analyst_ratings: HOUR,
  get_price_history: 15 * MINUTE,
  analyze_stock: 15 * MINUTE,
  get_company_news: 15 * MINUTE,
  get_insider_transactions: 15 * MINUTE,
};

/** Grace window per tool name, ms: how long past its validity an answer is served while it is refreshed. */
export const DEFAULT_GRACE_MS: Readonly<Record<string, number>> = {
  get_company_profile: 7 * DAY,
  get_company_financials: 3 * DAY,
  get_analyst_ratings: DAY,
  get_price_history: DAY,
  analyze_stock: DAY,
  get_company_news: 6 * HOUR,
  get_insider_transactions: DAY,
};

/** How long the cheap check of filings (`get_latest_filings`) is kept, ms: 15 minutes. */
export const FILINGS_CHECK_TTL_MS = DEFAULT_TTL_MS.get_latest_filings as number;

/**
 * Longest validity of an answer that states a validator (`validators.ts`), ms: 30 days. It is kept while the check
 * names the same filing; companies file at least quarterly, so this bound is a safety net, not the rule.
 */
export const VALIDATED_TTL_MS = 30 * DAY;

/** Tools whose answers change with each market close. */
export const MARKET_TOOLS: ReadonlySet<string> = new Set(['get_price_history', 'analyze_stock']);

/** After a close, how long a live source may take to publish the final bar, ms: 20 minutes. */
export const CLOSE_SETTLE_MS = 20 * MINUTE;

/** TTL of an answer a fallback gave because a live source failed, ms: 5 minutes. */
export const FALLBACK_ANSWER_TTL_MS = 5 * MINUTE;

/** The answer being cached, for TTLs that depend on it (see {@link ttlFor}). */
export interface TtlContext {
  /** The tool's data; its `provenance` (live or bundled, providers that failed) is read. */
  data?: unknown;
  /** @default new Date() */
  now?: Date;
  /** A "no data" answer given while a source could not be reached (see `DataUnavailableError.provisional`). */
  provisional?: boolean;
}

function provenanceOf(data: unknown): { live?: unknown; tried?: { outcome?: unknown }[] } | undefined {
  const p = (data as { provenance?: unknown } | null | undefined)?.provenance;
  return p && typeof p === 'object' ? (p as { live?: unknown; tried?: { outcome?: unknown }[] }) : undefined;
}

/**
 * The TTL for a tool's answer, ms: an override by `server/tool` or by tool name; else, from the answer's provenance,
 * {@link FALLBACK_ANSWER_TTL_MS} when a live provider failed before it (also for a provisional "no data"),
 * {@link VALIDATED_TTL_MS} for an answer with a validator (the gateway checks it on every read), or until the next
 * market close plus {@link CLOSE_SETTLE_MS} for live prices and technicals; else the default per tool, else {@link FALLBACK_TTL_MS}.
 */
export function ttlFor(
  server: string,
  tool: string,
  overrides: Partial<Record<string, number>> = {},
  context: TtlContext = {},
): number {
  const override = overrides[`${server}/${tool}`] ?? overrides[tool];
  if (override !== undefined) return override;
  const provenance = provenanceOf(context.data);
  if (context.provisional || provenance?.tried?.some((t) => t.outcome === 'failed')) return FALLBACK_ANSWER_TTL_MS;
  if (validatorOf(context.data)) return VALIDATED_TTL_MS;
  if (provenance?.live === true && MARKET_TOOLS.has(tool)) {
    const now = context.now ?? new Date();
    return Math.max(MINUTE, nextClose(now).getTime() + CLOSE_SETTLE_MS - now.getTime());
  }
  return DEFAULT_TTL_MS[tool] ?? FALLBACK_TTL_MS;
}

/** How long an answer is valid and, after that, for how long it may be served stale while it is refreshed (ms). */
export interface Freshness {
  /** From the fetch: the answer is served as it is, ms. */
  validMs: number;
  /** After `validMs`: served at once, marked stale, and refreshed in the background, ms (0: no grace). */
  graceMs: number;
}

/**
 * The validity and grace window of a tool's answer (see the module's table). The validity is {@link ttlFor}'s; the
 * grace: none for a provisional "no data" or a tool we do not know; for live prices and technicals until the close
 * after the one that ends their validity (plus {@link CLOSE_SETTLE_MS}); for a fallback answer (a live source failed,
 * the bundle answered) the validity and grace the tool's own answers have, so the bundle's answer goes on being served
 * while the live source is asked again in the background; else {@link DEFAULT_GRACE_MS} per tool.
 * An override of the TTL (`server/tool` or tool name) sets the validity and leaves no grace, unless `graceOverrides`
 * names the tool too.
 */
export function freshnessFor(
  server: string,
  tool: string,
  overrides: Partial<Record<string, number>> = {},
  context: TtlContext = {},
  graceOverrides: Partial<Record<string, number>> = {},
): Freshness {
  const validMs = ttlFor(server, tool, overrides, context);
  const graceOverride = graceOverrides[`${server}/${tool}`] ?? graceOverrides[tool];
  if (graceOverride !== undefined) return { validMs, graceMs: graceOverride };
  if (overrides[`${server}/${tool}`] !== undefined || overrides[tool] !== undefined || context.provisional) {
    return { validMs, graceMs: 0 };
  }
  const grace = DEFAULT_GRACE_MS[tool];
  if (grace === undefined) return { validMs, graceMs: 0 };
  const provenance = provenanceOf(context.data);
  if (provenance?.tried?.some((t) => t.outcome === 'failed')) {
    // The bundle's own answer is as good for as long as it would be had no live source been tried.
    const own = DEFAULT_TTL_MS[tool] ?? FALLBACK_TTL_MS;
    return { validMs, graceMs: Math.max(0, own - validMs) + grace };
  }
  if (provenance?.live === true && MARKET_TOOLS.has(tool)) {
    const validUntil = (context.now ?? new Date()).getTime() + validMs;
    const following = nextClose(new Date(validUntil)).getTime() + CLOSE_SETTLE_MS;
    return { validMs, graceMs: Math.max(0, following - validUntil) };
  }
  return { validMs, graceMs: grace };
}
