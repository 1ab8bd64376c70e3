/**
 * How the offline answers say a figure: its value in the report's formatting (`src/writers/format.ts`), its period,
 * and where it came from in words a channel reads (the organisation, the filing form, the date), with no file paths.
 * Also the sentence that says what the offline answerer can answer.
 */
import { publicSourceName } from '../../charts/source-label.js';
import type { Figure } from '../../research/types.js';
import { formatFigure } from '../../writers/format.js';

/** `10-K`, `10-Q`, `8-K`, `Form 4` when the source names a filing form. */
function formOf(ref: string): string | undefined {
  return /\b(10-K|10-Q|8-K|20-F|Form 4)\b/.exec(ref)?.[1];
}

/** Where `figure` came from: `SEC EDGAR 10-K, 2026-02-25`, or `derived from SEC EDGAR 10-K, 2026-02-25`. */
export function sourceWords(figure: Figure): string {
  const form = formOf(figure.source.ref);
  const where = `${publicSourceName(figure.source)}${form ? ` ${form}` : ''}`;
  const when = figure.source.asOf ? `, ${figure.source.asOf}` : '';
  return `${figure.derived ? 'derived from ' : ''}${where}${when}`;
}

/** `71.1%`: the value as the report prints it. */
export function valueWords(figure: Figure): string {
  return formatFigure(figure);
}

/** `Gross margin, FY2026: **71.1%** (derived from SEC EDGAR 10-K, 2026-02-25)`. */
export function figureLine(figure: Figure): string {
  const period = figure.period ? `, ${figure.period}` : '';
  return `${figure.label}${period}: **${valueWords(figure)}** (${sourceWords(figure)})`;
}

/** The figures a thread's findings hold under `name`, newest period first, each period once. */
export function figuresNamed(figures: readonly Figure[], name: string): Figure[] {
  const seen = new Set<string>();
  return figures.filter((f) => {
    if (f.name !== name) return false;
    const key = f.period ?? '';
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** What the offline answerer can answer, said when a question is not one of those. */
export function canAnswer(ticker: string): string {
  return (
    `From this ${ticker} report's data I can answer: a figure by name and period ("gross margin", "FY2025 revenue", ` +
    `"RSI", "price target", "free cash flow", "EPS"), a comparison with another ticker ("compare with AMD"), and ` +
    `"what's changed since the last report".`
  );
}
