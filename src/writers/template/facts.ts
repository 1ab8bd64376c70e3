/**
 * The template writer's view of a section context: figure look-ups by analyst and name, their printed forms, and a
 * few plain-word helpers. Every number the template writer prints goes through {@link Facts.v} or
 * {@link Facts.abs}, i.e. it is a figure's value formatted with its unit.
 */
import { missingReason } from '../../research/analysts/common.js';
import { getFigure, getFigures } from '../../research/analysts/lookup.js';
import type { AnalystName, BundleKey, Figure, Findings } from '../../research/types.js';
import { formatFigure } from '../format.js';
import type { SectionContext } from '../types.js';

/** The word for a confidence: one definition, shared with Slack (see `research/verdict.ts`). */
export { confidenceWord } from '../../research/verdict.js';

/** "a", "a and b", "a, b and c". */
export function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** Figures of one section context, looked up by analyst and name. */
export class Facts {
  readonly ticker: string;
  readonly name: string;
  constructor(readonly ctx: SectionContext) {
    this.ticker = ctx.ticker;
    this.name = ctx.companyName ? `${ctx.companyName} (${ctx.ticker})` : ctx.ticker;
  }

  /** One analyst's findings (a plain placeholder when the context lacks them, so a section never throws). */
  findings(analyst: AnalystName): Findings {
    const reason = `No ${analyst} findings were produced for ${this.ticker}.`;
    return (
      this.ctx.findings[analyst] ?? {
        analyst,
        signal: 'neutral',
        confidence: 0,
        points: [reason],
        figures: [],
        degraded: reason,
      }
    );
  }

  /** The newest figure `name` of `analyst` (or the one of `period`). */
  get(analyst: AnalystName, name: string, period?: string): Figure | undefined {
    return getFigure(this.findings(analyst), name, period);
  }

  /** Every figure `name` of `analyst`, newest period first. */
  all(analyst: AnalystName, name: string): Figure[] {
    return getFigures(this.findings(analyst), name);
  }

  /** A figure's value as printed (`$60.92B`, `125.9%`); `signed` adds `+` to positive percentages. */
  v(figure: Figure, signed = false): string {
    return formatFigure(figure, { signed });
  }

  /** A count figure with its noun, singular for one: `count(n, 'analyst', 'analysts')` → `1 analyst`, `58 analysts`. */
  count(figure: Figure, one: string, many: string): string {
    return `${this.v(figure)} ${figure.value === 1 ? one : many}`;
  }

  /** A figure's absolute value as printed (for "fell 12.3%", "9.2% below"). */
  abs(figure: Figure): string {
    return formatFigure({ ...figure, value: Math.abs(figure.value) });
  }

  /**
   * The security the technicals are computed from: the ticker itself, or the other share class whose bars stand in
   * for it (`GOOG (Class C)` for GOOGL). Every sentence about the chart names it.
   */
  chartSecurity(): string {
    const ta = this.ctx.bundle.technicals;
    return ta.status === 'ok' && ta.data.security ? ta.data.security : this.ticker;
  }

  /** Why a bundle part is missing, in plain words, or undefined when present. */
  missing(key: BundleKey): string | undefined {
    return missingReason(this.ctx.bundle, key);
  }

  /** Whether an analyst has no usable figures (its section must say so instead). */
  empty(analyst: AnalystName): boolean {
    return this.findings(analyst).figures.filter((f) => f.name !== 'data_gaps').length === 0;
  }

  /** The plain reason an analyst gave for being degraded, or its first point. */
  reason(analyst: AnalystName): string {
    const f = this.findings(analyst);
    return f.degraded ?? f.points[0] ?? `No data was available for the ${analyst} analysis of ${this.ticker}.`;
  }
}

/**
 * What a P/E figure divides by, in words for a sentence: `trailing-twelve-month earnings (TTM to Q2 FY2026)`,
 * `FY2025 earnings`, or `earnings (market snapshot)`. Every sentence stating a P/E names its basis with this.
 */
export function peBasis(facts: Facts): string {
  const pe = facts.get('fundamentals', 'pe_ratio');
  const ttm = facts.get('fundamentals', 'eps_ttm');
  if (ttm && pe?.derived) return `trailing-twelve-month earnings (${ttm.period})`;
  const eps = facts.get('fundamentals', 'eps_diluted');
  if (eps && pe?.derived) return `${eps.period} earnings`;
  return 'earnings (market snapshot)';
}

/**
 * The newest figure of a per-year list and the one of the fiscal year just before it (undefined when that year is
 * missing), so a change word always describes a change over one year: `[FY2025, FY2024]`, never `[FY2025, FY2022]`.
 */
export function yearOverYear(list: readonly Figure[]): [Figure | undefined, Figure | undefined] {
  const [latest] = list;
  const y = Number(/FY(\d{4})/.exec(latest?.period ?? '')?.[1]);
  return [latest, list.find((f) => f.period === `FY${y - 1}`)];
}

/** "widened from A to B" / "narrowed from A to B" / "held at B", comparing two margins in percent. */
export function marginTrend(facts: Facts, latest: Figure, prior: Figure | undefined): string {
  if (!prior) return `was ${facts.v(latest)} in ${latest.period}`;
  const diff = latest.value - prior.value;
  if (Math.abs(diff) < 0.5)
    return `held steady at ${facts.v(latest)} in ${latest.period} (${facts.v(prior)} in ${prior.period})`;
  return `${diff > 0 ? 'widened' : 'narrowed'} from ${facts.v(prior)} in ${prior.period} to ${facts.v(latest)} in ${latest.period}`;
}
