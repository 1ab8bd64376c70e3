/**
 * Close-match suggestions for unknown tickers: prefix matches first, then the smallest edit distance.
 */

/**
 * Edit distance between two strings (optimal string alignment): insert, delete, substitute or swap two adjacent
 * characters, each costing 1 (so `MSTF` → `MSFT` is 1).
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] ?? [];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      row[j] = v;
    }
  }
  return at(a.length, b.length);
}

/**
 * Up to `max` known tickers close to `input`: those starting with the input (or it with one letter more) and those within edit
 * distance 2 (1 for inputs of one or two letters), ranked by distance then alphabetically. If any candidate is a
 * prefix or one edit away, candidates two edits away are left out.
 */
export function closeMatches(input: string, known: readonly string[], max = 3): string[] {
  const q = input.toUpperCase();
  const limit = q.length <= 2 ? 1 : 2;
  const scored: { t: string; score: number }[] = [];
  for (const t of known) {
    if (t === q) continue;
    // A known ticker that starts with the input (`GOO` → `GOOG`), or the input with one extra letter (`NVDAX` →
    // `NVDA`). A much shorter ticker the input merely starts with (`APPL` → `A`, `BRKB` → `BR`) is noise.
    const prefix = q.length >= 2 && (t.startsWith(q) || (q.startsWith(t) && q.length - t.length <= 1));
    const d = editDistance(q, t);
    if (d <= limit || prefix) scored.push({ t, score: t.startsWith(q) ? Math.min(d, 1) - 0.5 : d });
  }
  scored.sort((x, y) => x.score - y.score || x.t.localeCompare(y.t));
  // When something is one edit away (or a prefix), more distant candidates are noise.
  const best = scored[0]?.score ?? 0;
  return scored
    .filter((s) => best > 1 || s.score <= 1)
    .slice(0, max)
    .map((s) => s.t);
}
