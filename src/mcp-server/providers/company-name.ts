/**
 * Company names as a reader expects them. The S&P 500 constituents list sorts names by their main word and puts a
 * leading article or first name last ("Coca-Cola Company (The)", "Lilly (Eli)"); reports and profiles say "The
 * Coca-Cola Company", "Eli Lilly". Used by `npm run data:build` (`scripts/data/profile.ts`); a live provider reading
 * the same list can reuse it.
 */

/**
 * `name` with a trailing one-word parenthesis moved to the front: `Coca-Cola Company (The)` → `The Coca-Cola
 * Company`, `Lilly (Eli)` → `Eli Lilly`. Other names are returned trimmed and otherwise unchanged
 * (`Alphabet Inc. (Class A)` keeps its class).
 */
export function readableCompanyName(name: string): string {
  const trimmed = name.trim();
  const m = /^(.*\S)\s*\(([A-Za-z]+)\)$/.exec(trimmed);
  if (!m?.[1] || !m[2]) return trimmed;
  const front = m[2].toLowerCase() === 'the' ? 'The' : m[2];
  return `${front} ${m[1]}`;
}
