/**
 * Company names as a reader expects them. The S&P 500 constituents list sorts names by their main word and puts a
 * leading article last ("Coca-Cola Company (The)", "Home Depot (The)"); reports and profiles say "The Coca-Cola
 * Company". Used by `scripts/build-data.ts`; a live provider reading the same list can reuse it.
 */

/**
 * `name` with a trailing "(The)" moved to the front: `Coca-Cola Company (The)` → `The Coca-Cola Company`. Other
 * names are returned trimmed and otherwise unchanged (`Alphabet Inc. (Class A)` keeps its class).
 */
export function readableCompanyName(name: string): string {
  const trimmed = name.trim();
  const m = /^(.*\S)\s*\(the\)$/i.exec(trimmed);
  return m?.[1] ? `The ${m[1]}` : trimmed;
}
