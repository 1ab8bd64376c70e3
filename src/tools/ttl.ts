/**
 * How long each tool's answers stay in the cache, in ms. Slow-moving data (profiles, filed statements) is kept for
 * days; market data and news for minutes. Live market data follows the market: prices and technicals from a live
 * source are valid until the next US market close (NYSE calendar, plus a settling margin), so a weekend or holiday
 * keeps them, and an answer the bundle gave because a live source failed is kept only briefly, so that the live
 * source is asked again soon.
 */
import { nextClose } from '../market-calendar.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Default TTL for tools not listed in {@link DEFAULT_TTL_MS}: 15 minutes. */
export const FALLBACK_TTL_MS = 15 * MINUTE;

/** Default TTL per tool name, ms (applies to every server). */
export const DEFAULT_TTL_MS: Readonly<Record<string, number>> = {
  get_company_profile: 7 * DAY,
  get_peers: DAY,
  get_company_financials: DAY,
  get_analyst_ratings: HOUR,
  get_price_history: 15 * MINUTE,
  analyze_stock: 15 * MINUTE,
  get_company_news: 15 * MINUTE,
  get_insider_transactions: 15 * MINUTE,
};

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
 * {@link FALLBACK_ANSWER_TTL_MS} when a live provider failed before it (also for a provisional "no data"), or until the next market close plus
 * {@link CLOSE_SETTLE_MS} for live prices and technicals; else the default per tool, else {@link FALLBACK_TTL_MS}.
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
  if (provenance?.live === true && MARKET_TOOLS.has(tool)) {
    const now = context.now ?? new Date();
    return Math.max(MINUTE, nextClose(now).getTime() + CLOSE_SETTLE_MS - now.getTime());
  }
  return DEFAULT_TTL_MS[tool] ?? FALLBACK_TTL_MS;
}
