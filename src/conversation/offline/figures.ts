/**
 * Offline answers from the thread's own findings: figures by name and period, and what changed since the previous
 * report of the same ticker. No tool calls: every number is a figure the run's analysts derived, with its source.
 */
import { allFigures } from '../../research/analysts/lookup.js';
import type { Figure } from '../../research/types.js';
import type { FigureUsed, ThreadRecord } from '../types.js';
import type { PeriodAsk } from './intent.js';
import type { Term } from './vocabulary.js';
import { figureLine, figuresNamed, valueWords } from './words.js';

/** An answer's text and the figures it states. */
export interface Composed {
  text: string;
  figures: FigureUsed[];
}

/** The figures of `list` (one name, newest first) that `period` asks for. */
function pick(list: Figure[], period: PeriodAsk): Figure[] {
  switch (period.kind) {
    case 'latest':
      return list.slice(0, 1);
    case 'previous':
      return list.length > 1 ? list.slice(1, 2) : list.slice(0, 1);
    case 'all':
      return list;
    case 'named':
      return list.filter((f) => (f.period ?? '').toUpperCase() === period.label.toUpperCase());
  }
}

/**
 * Answer "gross margin", "FY2025 revenue", "RSI": each asked figure among `figures` (the report's, and any fetched
 * for the answer), for the period asked (the newest when none), with its source; a figure or period they lack is
 * said in plain words. `from` names where the figures came from in the answer's first line.
 */
export function answerFigures(
  ticker: string,
  figures: readonly Figure[],
  terms: readonly Term[],
  period: PeriodAsk,
  hasNumbers: boolean,
  from = "this report's data",
): Composed {
  const names = [...new Set(terms.flatMap((t) => t.figures))];
  const lines: string[] = [];
  const used: FigureUsed[] = [];
  const missing: string[] = [];
  const otherPeriods = new Set<string>();
  for (const name of names) {
    const list = figuresNamed(figures, name);
    if (list.length === 0) continue;
    const chosen = pick(list, period);
    if (chosen.length === 0) {
      for (const f of list) if (f.period) otherPeriods.add(f.period);
      continue;
    }
    for (const f of chosen) {
      lines.push(`- ${figureLine(f)}`);
      used.push({ ticker, figure: f });
    }
  }
  for (const term of terms) {
    if (!term.figures.some((n) => figuresNamed(figures, n).length > 0)) missing.push(`"${term.phrase}"`);
  }
  const parts: string[] = [];
  if (lines.length > 0) parts.push(`**${ticker}**, from ${from}:`, ...lines);
  if (period.kind === 'named' && otherPeriods.size > 0 && lines.length === 0) {
    parts.push(`The report has no ${period.label} figure for that; it covers ${[...otherPeriods].join(', ')}.`);
  } else if (period.kind === 'named' && otherPeriods.size > 0) {
    parts.push(`Some figures have no ${period.label} value in the report; it covers ${[...otherPeriods].join(', ')}.`);
  }
  if (missing.length > 0) {
    parts.push(`The report's data has no figure for ${missing.join(', ')} on ${ticker}.`);
  }
  if (hasNumbers && used.length > 0) {
    parts.push("_Figures come from the report's data only; numbers written in a question are not used._");
  }
  return { text: parts.join('\n'), figures: used };
}

/** Figures compared between two reports of one ticker, in answer order. */
const CHANGE_FIGURES = [
  'last_close',
  'return_1m',
  'rsi14',
  'pe_ratio',
  'market_cap',
  'target_mean',
  'implied_upside',
  'analyst_count',
  'revenue',
  'revenue_quarter',
  'gross_margin',
  'eps_ttm',
  'net_cash',
] as const;

/** "What's changed since the last report": the figures that differ from the previous run's, with both values. */
export function answerChanges(record: ThreadRecord): Composed {
  const previous = record.previous;
  if (!previous) {
    return {
      text:
        `This is the first ${record.ticker} report on record, so there is no earlier one to compare it with. ` +
        `Run \`/research-stock ${record.ticker}\` again later and ask in the new report's thread.`,
      figures: [],
    };
  }
  const now = allFigures(record.findings);
  const lines: string[] = [];
  const used: FigureUsed[] = [];
  let same = 0;
  for (const name of CHANGE_FIGURES) {
    const current = figuresNamed(now, name)[0];
    const before = figuresNamed(previous.figures, name)[0];
    if (!current || !before) continue;
    if (current.value === before.value && current.period === before.period) {
      same++;
      continue;
    }
    const was = `${valueWords(before)}${before.period ? ` (${before.period})` : ''}`;
    lines.push(`- ${figureLine(current)}; was ${was}`);
    used.push({ ticker: record.ticker, figure: current }, { ticker: record.ticker, figure: before });
  }
  const when = previous.startedAt.slice(0, 10);
  const verdictNow = record.verdict?.rating;
  const verdictThen = previous.verdict?.rating;
  const verdict =
    verdictNow && verdictThen && verdictNow !== verdictThen
      ? `The verdict moved from ${verdictThen} to ${verdictNow}.`
      : verdictNow
        ? `The verdict is unchanged: ${verdictNow}.`
        : '';
  if (lines.length === 0) {
    return {
      text: `Nothing in the key figures changed since the previous ${record.ticker} report (${when}): the same ${same} figures, from the same data. ${verdict}`.trim(),
      figures: [],
    };
  }
  return {
    text: [`**${record.ticker}** since the previous report (${when}):`, ...lines, verdict].filter(Boolean).join('\n'),
    figures: used,
  };
}

/** Whether `figures` lack the named fiscal year `label` for every asked figure that has periods at all. */
export function lacksPeriod(figures: readonly Figure[], terms: readonly Term[], label: string): boolean {
  const names = new Set(terms.flatMap((t) => t.figures));
  const asked = figures.filter((f) => names.has(f.name));
  return asked.length > 0 && !asked.some((f) => (f.period ?? '').toUpperCase() === label.toUpperCase());
}
