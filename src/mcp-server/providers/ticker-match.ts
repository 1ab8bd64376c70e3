/**
 * Close-match suggestions for unknown tickers: prefix matches first, then the smallest edit distance.
 */

/** Levenshtein edit distance between two strings (insert, delete, substitute each cost 1). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + cost);
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}

/**
 * Up to `max` known tickers close to `input`: those sharing a prefix (either way round) and those within edit
 * distance 2 (1 for inputs of one or two letters), ranked by distance then alphabetically.
 */
export function closeMatches(input: string, known: readonly string[], max = 3): string[] {
  const q = input.toUpperCase();
  const limit = q.length <= 2 ? 1 : 2;
  const scored: { t: string; score: number }[] = [];
  for (const t of known) {
    if (t === q) continue;
    const prefix = q.length >= 2 && (t.startsWith(q) || q.startsWith(t));
    const d = editDistance(q, t);
    if (d <= limit || prefix) scored.push({ t, score: prefix ? Math.min(d, 1) - 0.5 : d });
  }
  scored.sort((x, y) => x.score - y.score || x.t.localeCompare(y.t));
  return scored.slice(0, max).map((s) => s.t);
}
