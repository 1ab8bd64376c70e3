/**
 * The names people read for the providers' ids (`sec-edgar` → `SEC EDGAR`), used wherever a provider is named in
 * words: the chain's "no data" answers and the report's data-source lines.
 */

const NAMES: Readonly<Record<string, string>> = {
  'sec-edgar': 'SEC EDGAR',
  yahoo: 'Yahoo Finance',
  stooq: 'Stooq',
  finnhub: 'Finnhub',
  bundled: 'bundled snapshot',
};

/** The display name of a provider id (`finnhub` → `Finnhub`); an id without one is returned as it is. */
export function providerName(id: string): string {
  return NAMES[id] ?? id;
}

/** Display names joined for a sentence: `SEC EDGAR`, `Yahoo Finance and Stooq`, `SEC EDGAR, Finnhub and …`. */
export function providerList(ids: readonly string[]): string {
  const names = [...new Set(ids.map(providerName))];
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
