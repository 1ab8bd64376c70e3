/**
 * Fiscal-year labels as each company names them. Most companies name a fiscal year after the calendar year it ends
 * in (NVIDIA's year ended 2026-01-25 is its fiscal 2026; Apple's ended 2025-09-27 is fiscal 2025). Some whose years
 * end in late January or early February name it after the year it began in (Home Depot's year ended 2026-02-01 is
 * its "fiscal 2025"). Live, SEC companyfacts' `fy` of a company's own 10-K (its `DocumentFiscalYearFocus`) gives the
 * label; offline, the bundle records each company's naming (`financials.fiscalYear`), checked against its 10-K cover.
 */

/** How a company names its fiscal years: after the calendar year they end in, or the one they begin in. */
export type FiscalYearNaming = 'end-year' | 'start-year';

/** The naming a company uses and where that was read. */
export interface FiscalConvention {
  naming: FiscalYearNaming;
  /** e.g. `SEC companyfacts fy of each 10-K` or `10-K cover: "fiscal year ended February 1, 2026" is fiscal 2025`. */
  basis: string;
}

/**
 * Companies of the bundled data set that name fiscal years after the year they begin in, with the evidence from
 * their 10-K; every other company of the set names them after the year they end in (their 10-K covers checked the
 * same way: Walmart's year ended 2026-01-31 is its fiscal 2026, Costco's ended 2025-08-31 fiscal 2025).
 */
export const START_YEAR_NAMING: Readonly<Record<string, string>> = {
  HD: '10-K cover: the fiscal year ended February 1, 2026 is "fiscal 2025"',
};

/** The fiscal-year naming of `ticker` in the bundled data set. */
export function fiscalConventionOf(ticker: string): FiscalConvention {
  const start = START_YEAR_NAMING[ticker];
  return start
    ? { naming: 'start-year', basis: start }
    : { naming: 'end-year', basis: '10-K cover: a fiscal year is named after the calendar year it ends in' };
}
