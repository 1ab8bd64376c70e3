/**
 * Bundles from the real bundled data set (`data/`), read through the bundled provider with the same arguments the
 * pipeline's plan uses, for tests of the analysts and writers on real figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DataUnavailableError } from '../../src/errors.js';
import { ANALYSIS_LOOKBACK_DAYS, computeTechnicals, shiftIsoDate } from '../../src/mcp-server/analysis/technicals.js';
import type { DataProvider } from '../../src/mcp-server/providers/types.js';
import type { BundlePart, DataBundle } from '../../src/research/types.js';
import { ok } from './bundle-fixtures.js';

/** The repository's bundled data set. */
export const DATA_DIR = path.resolve(import.meta.dirname, '../../data');

/** Whether the bundled data set is present (tests on it are skipped otherwise). */
export const hasBundledData = fs.existsSync(path.join(DATA_DIR, 'index.json'));

async function part<T>(fn: () => Promise<T>): Promise<BundlePart<T>> {
  try {
    return ok(await fn(), 'tickerdesk/bundled');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return err instanceof DataUnavailableError
      ? { status: 'unavailable', reason, source: 'tickerdesk/bundled' }
      : { status: 'failed', reason, source: 'tickerdesk/bundled' };
  }
}

/** The DataBundle prefetch would build for `ticker` from `p` (the plan's arguments: 5 years, 8 quarters …). */
export async function bundleFor(p: DataProvider, ticker: string): Promise<DataBundle> {
  const technicals = async () => {
    const recent = await p.prices(ticker);
    const history = await p.prices(ticker, {
      start: shiftIsoDate(recent.end, { days: -ANALYSIS_LOOKBACK_DAYS }),
      end: recent.end,
    });
    return computeTechnicals({ ticker, bars: history.bars, source: history.source });
  };
  return {
    ticker,
    profile: await part(() => p.profile(ticker)),
    financialsAnnual: await part(() => p.financials(ticker, 'annual', 5)),
    financialsQuarterly: await part(() => p.financials(ticker, 'quarterly', 8)),
    prices: await part(() => p.prices(ticker)),
    technicals: await part(technicals),
    analyst: await part(() => p.analystRatings(ticker)),
    news: await part(() => p.news(ticker, 20)),
    insider: await part(() => p.insiderTransactions(ticker, 50)),
  };
}
