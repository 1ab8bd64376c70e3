/**
 * How long each tool's answers stay in the cache, in ms. Slow-moving data (profiles, filed statements) is kept for
 * days; market data and news for minutes.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Default TTL for tools not listed in {@link DEFAULT_TTL_MS}: 15 minutes. */
export const FALLBACK_TTL_MS = 15 * MINUTE;

/** Default TTL per tool name, ms (applies to every server). */
export const DEFAULT_TTL_MS: Readonly<Record<string, number>> = {
  get_company_profile: 7 * DAY,
  get_company_financials: DAY,
  get_analyst_ratings: HOUR,
  get_price_history: 15 * MINUTE,
  analyze_stock: 15 * MINUTE,
  get_company_news: 15 * MINUTE,
  get_insider_transactions: 15 * MINUTE,
};

/**
 * The TTL for a tool, ms: an override by `server/tool` or by tool name, else the default, else
 * {@link FALLBACK_TTL_MS}.
 */
export function ttlFor(server: string, tool: string, overrides: Partial<Record<string, number>> = {}): number {
  return overrides[`${server}/${tool}`] ?? overrides[tool] ?? DEFAULT_TTL_MS[tool] ?? FALLBACK_TTL_MS;
}
