/**
 * The data kinds a provider chain is configured for (`DATA_PROVIDERS_<KIND>`) and which providers can serve each.
 * Kept apart from the providers so that configuration can validate orders without loading them.
 */

/** The data kinds, in report order. */
export const DATA_KINDS = ['profile', 'statements', 'prices', 'consensus', 'news', 'insiders'] as const;

/** One data kind. */
export type DataKindName = (typeof DATA_KINDS)[number];

/**
 * The providers that can serve each kind, by id, in the default order: live ones first, then `bundled` (the offline
 * data set). Providers not built (SEC without a User-Agent, Finnhub without
 * `FINNHUB_API_KEY`) are skipped.
 */
export const PROVIDERS_BY_KIND: Readonly<Record<DataKindName, readonly string[]>> = {
  profile: ['sec-edgar', 'bundled'],
  statements: ['sec-edgar', 'bundled'],
  prices: ['yahoo', 'stooq', 'bundled'],
  consensus: ['finnhub', 'bundled'],
  news: ['sec-edgar', 'finnhub', 'bundled'],
  insiders: ['sec-edgar', 'bundled'],
};
