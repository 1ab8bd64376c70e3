/**
 * Reading figures back out of findings, for writers. A name may repeat across fiscal periods (annual figures such as
 * `revenue` appear once per fiscal year, newest first); `period` tells them apart.
 */
import type { Figure, Findings } from '../types.js';

/** The first figure called `name` (the newest, for per-period figures), optionally of one `period`. */
export function getFigure(findings: Findings | undefined, name: string, period?: string): Figure | undefined {
  return findings?.figures.find((f) => f.name === name && (period === undefined || f.period === period));
}

/** Every figure called `name`, in the analyst's order (newest period first). */
export function getFigures(findings: Findings | undefined, name: string): Figure[] {
  return findings?.figures.filter((f) => f.name === name) ?? [];
}

/** All figures of several findings, flattened (what a number checker matches a text against). */
export function allFigures(findings: Iterable<Findings>): Figure[] {
  return [...findings].flatMap((f) => f.figures);
}
