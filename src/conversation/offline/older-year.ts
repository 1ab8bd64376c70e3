/**
 * A fiscal year older than the report's (the report keeps four): "FY2019 revenue" fetches the annual statements
 * with more periods through the gateway (one call, a cache hit when asked before) and derives that year's figures
 * with the analysts' own definitions (`yearFigures`), so they read and are sourced as the report's do.
 */
import { dataOf } from '../../research/analysts/common.js';
import { yearFigures } from '../../research/analysts/statement-figures.js';
import type { Figure } from '../../research/types.js';
import type { AnswerToolCall, ThreadContext } from '../types.js';

/** Most annual periods the data server answers. */
const MAX_ANNUAL_PERIODS = 12;

/**
 * The figures of fiscal year `label` (`FY2019`) of the thread's ticker, fetched for the answer; none when the data
 * has no such year. Never rejects except on abort: a failed fetch is an empty answer.
 */
export async function olderYearFigures(
  context: ThreadContext,
  label: string,
  signal: AbortSignal,
): Promise<{ figures: Figure[]; toolCalls: AnswerToolCall[] }> {
  try {
    const got = await context.data.bundle(context.record.ticker, {
      parts: ['financialsAnnual'],
      annualPeriods: MAX_ANNUAL_PERIODS,
      signal,
    });
    const periods = (dataOf(got.bundle.financialsAnnual)?.periods ?? []).filter((p) => p.fiscalQuarter === undefined);
    const i = periods.findIndex((p) => p.label.toUpperCase() === label.toUpperCase());
    const year = periods[i];
    if (!year) return { figures: [], toolCalls: got.toolCalls };
    const prior = periods.find((p) => p.fiscalYear === year.fiscalYear - 1);
    return { figures: yearFigures(year, prior), toolCalls: got.toolCalls };
  } catch (err) {
    if (signal.aborted) throw err;
    return { figures: [], toolCalls: [] };
  }
}
