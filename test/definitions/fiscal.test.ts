/**
 * Fiscal-year labels as each company names them (`src/definitions/fiscal.ts`), on the real bundled data: Home Depot
 * names a year after the year it begins in, NVIDIA and Walmart after the year it ends in; SEC companyfacts labels
 * come from SEC's own `fy`; the bundle records each company's naming.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fiscalConventionOf } from '../../src/definitions/fiscal.js';
import { createBundledProvider } from '../../src/mcp-server/providers/bundled.js';
import { fiscalPeriodOf } from '../../src/mcp-server/providers/yfinance-statements.js';

const provider = createBundledProvider(path.resolve(import.meta.dirname, '../../data'));

describe('fiscal-year naming', () => {
  it('labels a January year end by the year it begins in for start-year companies only', () => {
    expect(fiscalPeriodOf('2026-01-31', 1, 'start-year')).toEqual({ fiscalYear: 2025, fiscalQuarter: 4 });
    expect(fiscalPeriodOf('2026-04-30', 1, 'start-year')).toEqual({ fiscalYear: 2026, fiscalQuarter: 1 });
    expect(fiscalPeriodOf('2026-01-31', 1, 'end-year')).toEqual({ fiscalYear: 2026, fiscalQuarter: 4 });
    expect(fiscalPeriodOf('2025-12-31', 12, 'start-year')).toEqual({ fiscalYear: 2025, fiscalQuarter: 4 });
    expect(fiscalConventionOf('HD').naming).toBe('start-year');
    expect(fiscalConventionOf('WMT').naming).toBe('end-year');
  });

  it.each([
    { ticker: 'HD', end: '2026-01-31', annual: 'FY2025', quarterEnd: '2026-04-30', quarter: 'Q1 FY2026' },
    { ticker: 'WMT', end: '2026-01-31', annual: 'FY2026', quarterEnd: '2026-04-30', quarter: 'Q1 FY2027' },
    { ticker: 'NVDA', end: '2026-01-25', annual: 'FY2026', quarterEnd: '2026-04-26', quarter: 'Q1 FY2027' },
    { ticker: 'AAPL', end: '2025-09-27', annual: 'FY2025', quarterEnd: '2025-12-27', quarter: 'Q1 FY2026' },
  ])('$ticker: the year ended $end is $annual, the quarter ended $quarterEnd is $quarter', async (c) => {
    const annual = await provider.financials(c.ticker, 'annual', 10);
    const quarterly = await provider.financials(c.ticker, 'quarterly', 12);
    expect(annual.periods.find((p) => p.periodEnd === c.end)?.label).toBe(c.annual);
    expect(quarterly.periods.find((p) => p.periodEnd === c.quarterEnd)?.label).toBe(c.quarter);
    expect(annual.fiscalYear?.naming).toBe(fiscalConventionOf(c.ticker).naming);
  });

  it('records the basis of each company’s naming in the bundle (SEC fy where companyfacts exist)', async () => {
    expect((await provider.financials('NVDA', 'annual', 1)).fiscalYear?.basis).toMatch(/^SEC companyfacts fy/);
    expect((await provider.financials('HD', 'annual', 1)).fiscalYear?.basis).toContain('fiscal 2025');
  });
});
