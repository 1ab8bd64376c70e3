/** Real tool-cache entries from the bundled data set, as the data server answers them (compact prices, statements). */
import { compactFinancials, compactPrices } from '../../src/mcp-server/compact.js';
import { createBundledProvider } from '../../src/mcp-server/providers/bundled.js';
import type { CacheEntry } from '../../src/tools/cache.js';
import { DATA_DIR } from './bundled-data.js';

/** The entries {@link realCacheEntries} gives, by name. */
export type RealCacheEntries = Record<'prices' | 'annual' | 'profile' | 'small', CacheEntry>;

/**
 * NVDA's cached answers: compact daily prices since 2023 (500 bars, about 67 KB of JSON), 5 years of statements,
 * the profile, and a small "unavailable" answer (under the compression threshold).
 */
export async function realCacheEntries(fetchedAt = '2026-12-07T21:00:00.000Z'): Promise<RealCacheEntries> {
  const provider = createBundledProvider(DATA_DIR);
  const prices = compactPrices(await provider.prices('NVDA', { start: '2023-01-01' }), 'daily');
  const annual = compactFinancials(await provider.financials('NVDA', 'annual', 5));
  const profile = await provider.profile('NVDA');
  return {
    prices: { kind: 'data', data: prices, fetchedAt },
    annual: { kind: 'data', data: annual, fetchedAt },
    profile: { kind: 'data', data: profile, fetchedAt },
    small: { kind: 'unavailable', message: 'No analyst consensus in the bundled data set for KO.', fetchedAt },
  };
}
