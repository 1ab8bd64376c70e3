/**
 * Close matches for an unknown ticker, so a tool error can say "Did you mean NVDA?".
 */

/** Damerau–Levenshtein (optimal string alignment) distance between two strings. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => (d[i] as number[])[j] as number;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = v;
    }
  }
  return at(a.length, b.length);
}

/**
 * Known tickers closest to `ticker`: edit distance ≤ 2 (≤ 1 for symbols of up to 2 letters), or one being a
 * prefix of the other (`GOOG` → `GOOGL`, `BRK` → `BRK.B`). Closest first, then alphabetical; at most `max`.
 * @example closeMatches('NVDIA', ['NVDA', 'AAPL']) // ['NVDA']
 */
export function closeMatches(ticker: string, known: readonly string[], max = 5): string[] {
  const target = ticker.toUpperCase();
  const limit = target.length <= 2 ? 1 : 2;
  const scored: { t: string; score: number }[] = [];
  for (const candidate of known) {
    if (candidate === target) continue;
    const distance = editDistance(target, candidate);
    const prefix = candidate.startsWith(target) || target.startsWith(candidate.replace(/\..*$/, ''));
    if (distance <= limit) scored.push({ t: candidate, score: distance });
    else if (prefix && Math.min(target.length, candidate.length) >= 2)
      scored.push({ t: candidate, score: limit + 0.5 });
  }
  scored.sort((x, y) => x.score - y.score || (x.t < y.t ? -1 : x.t > y.t ? 1 : 0));
  return scored.slice(0, max).map((s) => s.t);
}
