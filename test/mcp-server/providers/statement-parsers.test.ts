import { describe, expect, it } from 'vitest';
import {
  parseMarkdownStatement,
  parseMoneyCell,
  tenKToPeriods,
} from '../../../src/mcp-server/providers/tenk-markdown.js';
import { fiscalPeriodOf, yfinanceToPeriods } from '../../../src/mcp-server/providers/yfinance-statements.js';

// Shaped like sec/10k_extracts/TSLA_10-K_FY2024_*.md: segment members in italics, section headers in bold.
const income = `## Consolidated Statement of Income

**Year Ended** *(In millions, except shares and per share data)*

|  | Dec 31, 2024 | Dec 31, 2023 |
| --- | --- | --- |
| **      Revenues** |  |  |
|         Contract Revenue | $97,690 | $96,773 |
| *          Automotive sales* | $72,480 | $78,509 |
|         Total Cost of Revenue | $80,240 | $79,113 |
|       Gross Profit | $17,450 | $17,660 |
|       Interest Expense (non-operating) | $(350) | $(156) |
|       Profit or Loss | $7,153 | $14,974 |
|       Net Income | $7,091 | $14,997 |
|         Earnings Per Share (Diluted) | 2.04 | 4.30 |
|         Shares Outstanding (Diluted) | 3,498 | 3,485 |`;

const cash = `|  | Dec 31, 2024 | Dec 31, 2023 |
| --- | --- | --- |
|     Net Cash from Operating Activities | $14,923 | $13,256 |
|     Payments for Property, Plant and Equipment | $(11,339) | $(8,898) |
(In millions)`;

describe('10-K markdown tables', () => {
  it('parses money cells with $, commas and parentheses', () => {
    expect(parseMoneyCell('$97,690')).toBe(97690);
    expect(parseMoneyCell('$(350)')).toBe(-350);
    expect(parseMoneyCell(' 2.04 ')).toBe(2.04);
    expect(parseMoneyCell('')).toBeNull();
  });

  it('drops italic segment rows and reads column dates', () => {
    const st = parseMarkdownStatement(income);
    expect(st.scale).toBe(1e6);
    expect(st.columns).toEqual(['2024-12-31', '2023-12-31']);
    expect(st.rows.some((r) => r.label.includes('Automotive'))).toBe(false);
  });

  it('maps plain rows to line items in whole USD, with the filing as source', () => {
    const periods = tenKToPeriods([parseMarkdownStatement(income), parseMarkdownStatement(cash)], {
      provider: 'sec-10k',
      accession: '0001628280-25-003063',
      filed: '2025-01-30',
      files: ['TSLA_10-K_FY2024_*.md'],
    });
    expect(periods.map((p) => p.label)).toEqual(['FY2024', 'FY2023']);
    const fy24 = periods[0];
    expect(fy24?.items.revenue?.value).toBe(97_690_000_000);
    expect(fy24?.items.netIncome?.value).toBe(7_091_000_000);
    expect(fy24?.items.costOfRevenue?.value).toBe(80_240_000_000);
    expect(fy24?.items.epsDiluted?.value).toBe(2.04);
    expect(fy24?.items.dilutedShares?.value).toBe(3_498_000_000);
    expect(fy24?.items.capitalExpenditure?.value).toBe(11_339_000_000);
    expect(fy24?.items.freeCashFlow?.value).toBe(14_923_000_000 - 11_339_000_000);
    expect(fy24?.items.revenue?.source).toMatchObject({ provider: 'sec-10k', period: 'FY2024', asOf: '2025-01-30' });
    expect(fy24?.items.revenue?.source.ref).toContain('0001628280-25-003063');
  });
});

describe('yfinance statement tables', () => {
  it('labels fiscal periods from the fiscal-year-end month', () => {
    expect(fiscalPeriodOf('2025-04-30', 1)).toEqual({ fiscalYear: 2026, fiscalQuarter: 1 });
    expect(fiscalPeriodOf('2026-01-31', 1)).toEqual({ fiscalYear: 2026, fiscalQuarter: 4 });
    expect(fiscalPeriodOf('2025-12-31', 9)).toEqual({ fiscalYear: 2026, fiscalQuarter: 1 });
    expect(fiscalPeriodOf('2025-06-30', 12)).toEqual({ fiscalYear: 2025, fiscalQuarter: 2 });
  });

  it('maps columns to items, makes capex a positive outflow and drops empty periods', () => {
    const periods = yfinanceToPeriods(
      [
        {
          file: 'income_annual.csv',
          rows: [
            {
              date: '2024-01-31',
              'Total Revenue': '60922000000.0',
              'Net Income': '29760000000.0',
              'Diluted EPS': '1.19',
            },
            { date: '2022-01-31', 'Total Revenue': '', 'Net Income': '' },
          ],
        },
        {
          file: 'cashflow_annual.csv',
          rows: [
            { date: '2024-01-31', 'Operating Cash Flow': '28090000000.0', 'Capital Expenditure': '-1069000000.0' },
          ],
        },
      ],
      'annual',
      1,
      { provider: 'yfinance-heliar-k', refPrefix: 'fundamentals/heliar-k_yfinance/NVDA' },
    );
    expect(periods).toHaveLength(1);
    const p = periods[0];
    expect(p?.label).toBe('FY2024');
    expect(p?.items.revenue?.value).toBe(60_922_000_000);
    expect(p?.items.epsDiluted?.value).toBe(1.19);
    expect(p?.items.capitalExpenditure?.value).toBe(1_069_000_000);
    expect(p?.items.freeCashFlow?.value).toBe(27_021_000_000);
    expect(p?.items.revenue?.source.ref).toBe('fundamentals/heliar-k_yfinance/NVDA/income_annual.csv');
  });
});
