/**
 * The reference a text is checked against: every figure the analysts found, the figures derivable from them
 * (growth between periods, shares of revenue), the numbers that appear in figure labels (`Return (1y)`), and the known
 * dates of the data.
 */
import type { Figure, FigureUnit } from '../../research/types.js';

/** One value a printed number may match. */
export interface ReferenceValue {
  value: number;
  unit: FigureUnit;
  /** The figure's name, or `derived:<how>` for values computed here. */
  name: string;
  /** The figure names this value speaks of: the figure's own name, the base figure of a derived value (and `revenue`
   * for a share of revenue). The claim check matches them against the metric a sentence names. */
  metrics: readonly string[];
  /** The fiscal period or date of the value (the later period of a growth or change). */
  period?: string;
  /** The figure's label (for derived values: the base figure's label with how it was derived). */
  label: string;
  /** True for a change between two values (growth, a change in points, a return, a gap to an average): the claim
   * check compares its sign with the direction words of the sentence. */
  change: boolean;
}

/** What the check compares against. Build once per run with {@link buildReference}. */
export interface Reference {
  values: ReferenceValue[];
  /** Known dates, `YYYY-MM-DD` (a printed `YYYY-MM` matches any known date of that month). */
  dates: Set<string>;
  /** Integers printed in figure labels and names (window lengths such as 14 or 200). */
  labelNumbers: Set<number>;
}

const GROWABLE: ReadonlySet<FigureUnit> = new Set(['USD', 'USD/share', 'count', 'shares']);

/**
 * Build the reference from figures.
 * Derived values: for every two figures with the same name and unit in {@link GROWABLE} and different periods of the
 * same kind (two fiscal years, two quarters, two dates), the growth of the later over the earlier `(a / b − 1) × 100`
 * in %; for every USD figure with a period that also has a `revenue` figure, its share of
 * revenue `value / revenue × 100` in % (margins); for every `%` figure with a fiscal period, its change from the period
 * just before in percentage points (`gross margin fell 3.9 points`, `390 bps`).
 * @param figures every analyst's figures (duplicates are fine).
 * @param dates extra known dates: event dates, filing dates, `asOf` (every ISO `YYYY-MM-DD` inside each string counts;
 *   figure periods such as `last 365 days to 2026-08-21` count the same way).
 */
export function buildReference(figures: readonly Figure[], dates: readonly string[] = []): Reference {
  const values: ReferenceValue[] = figures
    .filter((f) => Number.isFinite(f.value))
    .map((f) => ({
      value: f.value,
      unit: f.unit,
      name: f.name,
      metrics: [f.name],
      ...(f.period === undefined ? {} : { period: f.period }),
      label: f.label,
      change: isChangeFigure(f),
    }));
  const byName = new Map<string, Figure[]>();
  for (const f of figures) {
    if (!GROWABLE.has(f.unit) || !f.period || !Number.isFinite(f.value)) continue;
    const list = byName.get(f.name) ?? [];
    if (!list.some((g) => g.period === f.period)) list.push(f);
    byName.set(f.name, list);
  }
  for (const [name, list] of byName) {
    for (const a of list) {
      for (const b of list) {
        if (b.value === 0 || periodKind(a.period) !== periodKind(b.period)) continue;
        if (!(periodOrder(a.period) > periodOrder(b.period))) continue; // later vs earlier only
        values.push({
          value: (a.value / b.value - 1) * 100,
          unit: '%',
          name: `derived:growth:${name}`,
          metrics: [name],
          ...(a.period === undefined ? {} : { period: a.period }),
          label: `${a.label} growth from ${b.period}`,
          change: true,
        });
      }
    }
  }
  const pctByName = new Map<string, Figure[]>();
  for (const f of figures) {
    if (f.unit !== '%' || !f.period || !Number.isFinite(f.value) || !/^(?:FY|Q[1-4])/.test(f.period)) continue;
    const list = pctByName.get(f.name) ?? [];
    if (!list.some((g) => g.period === f.period)) list.push(f);
    pctByName.set(f.name, list);
  }
  for (const [name, list] of pctByName) {
    const ordered = list
      .filter((f) => Number.isFinite(periodOrder(f.period)))
      .sort((a, b) => periodOrder(a.period) - periodOrder(b.period));
    for (let i = 1; i < ordered.length; i++) {
      const [a, b] = [ordered[i], ordered[i - 1]];
      if (!a || !b || periodKind(a.period) !== periodKind(b.period)) continue;
      values.push({
        value: a.value - b.value,
        unit: '%',
        name: `derived:change-pp:${name}`,
        metrics: [name],
        ...(a.period === undefined ? {} : { period: a.period }),
        label: `${a.label} change from ${b.period} (points)`,
        change: true,
      });
    }
  }
  const revenue = new Map((byName.get('revenue') ?? []).map((f) => [f.period, f.value]));
  for (const f of figures) {
    const r = f.period === undefined ? undefined : revenue.get(f.period);
    if (f.unit !== 'USD' || r === undefined || r === 0 || f.name === 'revenue') continue;
    values.push({
      value: (f.value / r) * 100,
      unit: '%',
      name: `derived:share-of-revenue:${f.name}`,
      metrics: [f.name, 'revenue'],
      ...(f.period === undefined ? {} : { period: f.period }),
      label: `${f.label} as a share of revenue`,
      change: false,
    });
  }
  const known = new Set<string>();
  const addDate = (d: string | undefined) => {
    for (const m of (d ?? '').matchAll(/\d{4}-\d{2}-\d{2}/g)) known.add(m[0]);
  };
  for (const d of dates) addDate(d);
  for (const f of figures) {
    addDate(f.period);
    addDate(f.source.period);
    addDate(f.source.asOf);
  }
  const labelNumbers = new Set<number>();
  for (const f of figures) {
    for (const m of `${f.label} ${f.name}`.matchAll(/\d+(?:\.\d+)?/g)) labelNumbers.add(Number(m[0]));
  }
  return { values, dates: known, labelNumbers };
}

const CHANGE_WORDS = /growth|cagr|change|return|upside|drawdown|\bvs\b|_vs_/i;

/** Whether a figure is a change (growth, CAGR, change, return, upside, drawdown, a gap to an average), by its name
 * or label. */
export function isChangeFigure(f: Pick<Figure, 'name' | 'label' | 'unit'>): boolean {
  return f.unit === '%' && (CHANGE_WORDS.test(f.name) || CHANGE_WORDS.test(f.label));
}

/** `year` for `FY2024`, `quarter` for `Q3 FY2025`, `date` for an ISO date, else the period itself. */
function periodKind(period: string | undefined): string {
  if (!period) return '';
  if (/^FY\s?\d/.test(period)) return 'year';
  if (/^Q[1-4]\b/.test(period)) return 'quarter';
  if (/^\d{4}-\d{2}-\d{2}$/.test(period)) return 'date';
  return period;
}

/** A sortable number for a period of a known kind (`FY2024` → 2024, `Q3 FY2025` → 2025.3, a date → epoch ms). */
export function periodOrder(period: string | undefined): number {
  const p = period ?? '';
  const q = p.match(/^Q([1-4])\s+FY\s?(\d{4})/);
  if (q) return Number(q[2]) + Number(q[1]) / 10;
  const fy = p.match(/^FY\s?(\d{4})/);
  if (fy) return Number(fy[1]);
  const t = Date.parse(p);
  return Number.isNaN(t) ? Number.NaN : t;
}
