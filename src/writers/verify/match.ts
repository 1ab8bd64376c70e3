/**
 * Whether a printed number can be a reference value: the units its printed form allows, and the rounding its printed
 * digits allow. Shared by the number check (`index.ts`) and the claim check (`claims.ts`).
 */
import type { FigureUnit } from '../../research/types.js';
import type { ExtractedNumber } from './extract.js';
import type { ReferenceValue } from './reference.js';

const UNITS_FOR: Record<Exclude<ExtractedNumber['kind'], 'date' | 'plain'>, readonly FigureUnit[]> = {
  percent: ['%'],
  multiple: ['x'],
  amount: ['USD', 'USD/share'],
};

const SCALED: readonly FigureUnit[] = ['USD', 'USD/share', 'shares', 'count'];

/** The figure units a printed number may stand for (`any` for plain numbers and dates). */
export function unitsFor(n: ExtractedNumber): readonly FigureUnit[] | 'any' {
  if (n.kind === 'plain' || n.kind === 'date') return 'any';
  if (n.kind === 'amount' && !n.currency) return SCALED;
  return UNITS_FOR[n.kind];
}

/** Whether `v`'s unit fits how `n` was printed (dates never fit a value). */
export function unitFits(n: ExtractedNumber, v: Pick<ReferenceValue, 'unit'>): boolean {
  const units = unitsFor(n);
  return units === 'any' ? v.unit !== 'date' : units.includes(v.unit);
}

/** Whether `v`'s value is `n` within the rounding of `n`'s printed digits (signs compared by absolute value). */
export function valueWithin(n: ExtractedNumber, v: Pick<ReferenceValue, 'value'>): boolean {
  return Math.abs(Math.abs(v.value) - Math.abs(n.value)) <= n.tolerance;
}

/**
 * Whether a printed date is a known date: `2026-08-21` exactly, `August 2026` any known date of that month, `May 28`
 * any known May 28.
 */
export function dateKnown(n: ExtractedNumber, dates: ReadonlySet<string>): boolean {
  const d = n.date ?? '';
  if (d.length === 10) return dates.has(d);
  const dayOnly = /^\d{2}-\d{2}$/.test(d);
  for (const k of dates) if (dayOnly ? k.endsWith(`-${d}`) : k.startsWith(d)) return true;
  return false;
}
