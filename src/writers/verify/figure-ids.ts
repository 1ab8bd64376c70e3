/**
 * Figure ids and references: the model cites, the code prints.
 *
 * Every figure gets a short stable id from its name and period — `revenue.FY2026`, `gross_margin.FY2026`,
 * `revenue_quarter.Q1FY2027`, `revenue_cagr.FY2022-FY2026` for fiscal periods; the bare name (`rsi14`, `target_mean`,
 * `price`) for a figure dated or windowed rather than fiscal; `name.<period slug>` when one name has several such
 * periods. The prompt lists each figure with its id, the model writes `{revenue.FY2026}` where it states a figure,
 * and {@link resolveReferences} replaces each reference with the figure's display form (`formatFigure`) before
 * anything is shown. A reference to an id that does not exist stays as written and is a finding, like an invented
 * number ({@link unknownReferences}).
 */
import type { Figure } from '../../research/types.js';
import { formatFigure } from '../format.js';

/** A reference as the model writes it: `{` id `}`; an id is letters, digits, `_`, `.` and `-`, starting with a letter. */
export const REFERENCE = /\{([A-Za-z][\w.-]{0,80})\}/g;

const FISCAL = /^(?:Q[1-4]\s*)?FY\s?\d{4}(?:\s*[–-]\s*(?:Q[1-4]\s*)?FY\s?\d{4})?$/;

/** The id part of a period: `FY2026`, `Q1 FY2027` → `Q1FY2027`, `FY2022–FY2026` → `FY2022-FY2026`. */
function periodSlug(period: string): string {
  return period
    .replace(/[–—]/g, '-')
    .replace(/\s+/g, '')
    .replace(/[^\w.-]/g, '_');
}

/** Each figure's id, in order (a figure listed twice, by two analysts, gets the same id both times). */
export function idsOf(figures: readonly Figure[]): string[] {
  const periodsOf = new Map<string, Set<string>>();
  for (const f of figures) {
    const set = periodsOf.get(f.name) ?? new Set<string>();
    set.add(f.period ?? '');
    periodsOf.set(f.name, set);
  }
  return figures.map((f) => figureId(f, (periodsOf.get(f.name)?.size ?? 1) > 1));
}

/**
 * Ids for a set of figures; the first figure of a repeated id keeps it (the same figure listed by two analysts, such
 * as `drawdown_from_high`).
 * @returns id → figure.
 */
export function figureIds(figures: readonly Figure[]): Map<string, Figure> {
  const out = new Map<string, Figure>();
  idsOf(figures).forEach((id, i) => {
    const f = figures[i];
    if (f && !out.has(id)) out.set(id, f);
  });
  return out;
}

/**
 * One figure's id.
 * @param severalPeriods whether its name has other periods in the same set (a dated figure then carries its period).
 */
export function figureId(f: Pick<Figure, 'name' | 'period'>, severalPeriods = false): string {
  const period = f.period?.trim() ?? '';
  if (period && (FISCAL.test(period) || severalPeriods)) return `${f.name}.${periodSlug(period)}`;
  return f.name;
}

/** The display form of a figure (what a reference prints). */
export const displayOf = (f: Figure): string => formatFigure(f);

/** A reference with a unit the model may have typed around it: `${price}`, `{revenue_growth_yoy.FY2026}%`. */
const REFERENCE_IN_UNITS = /(\$)?\{([A-Za-z][\w.-]{0,80})\}(%|x(?![A-Za-z]))?/g;

/**
 * Replace every reference to a known id with its figure's display form; references to unknown ids stay as written.
 * The display form carries its unit, so a `$` typed before a reference or a `%` or `x` typed after it is dropped
 * when the display already has it (`${price}` → `$214.72`, not `$$214.72`).
 * @example resolveReferences('Revenue was {revenue.FY2026}.', ids) // 'Revenue was $215.94B.'
 */
export function resolveReferences(text: string, ids: ReadonlyMap<string, Figure>): string {
  return text.replace(REFERENCE_IN_UNITS, (whole, dollar: string | undefined, id: string, unit: string | undefined) => {
    const f = ids.get(id);
    if (!f) return whole;
    const shown = displayOf(f);
    const before = dollar && !shown.includes('$') ? dollar : '';
    const after = unit && !shown.endsWith(unit) ? unit : '';
    return `${before}${shown}${after}`;
  });
}

/** A reference to an id that no figure has, in a text. */
export interface UnknownReference {
  /** As written, e.g. `{revenue.FY2030}`. */
  text: string;
  start: number;
  end: number;
  /** Plain words for the rewrite prompt. */
  reason: string;
}

/** Every reference in `text` whose id no figure has (call on resolved text: known ones are gone). */
export function unknownReferences(text: string, ids: ReadonlyMap<string, Figure>): UnknownReference[] {
  const out: UnknownReference[] = [];
  for (const m of text.matchAll(REFERENCE)) {
    const id = m[1] ?? '';
    if (ids.has(id)) continue;
    const start = m.index ?? 0;
    out.push({ text: m[0], start, end: start + m[0].length, reason: `"${m[0]}" refers to no figure id in <figures>` });
  }
  return out;
}
