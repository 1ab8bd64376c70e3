/**
 * Total debt as `src/definitions/debt.ts` defines it: the definition itself, and the value every statement source of
 * the bundled data set gives (SEC companyfacts, 10-K tables, yfinance tables), with the figures that follow from it
 * (net debt, debt to equity), through the real pipeline.
 */
import { describe, expect, it } from 'vitest';
import { type DebtPart, totalDebt } from '../../src/definitions/debt.js';
import { parseMarkdownStatement, tenKToPeriods } from '../../src/mcp-server/providers/tenk-markdown.js';
import { getFigure } from '../../src/research/analysts/lookup.js';
import type { Findings } from '../../src/research/types.js';
import { bundledResearch } from '../report/bundled-run.js';

const M = 1e6;
const src = (ref: string) => ({ provider: 'sec-companyfacts', ref, period: 'FY2025' });

describe('totalDebt()', () => {
  it('adds commercial paper, the current and the non-current long-term debt, naming each line and its value', () => {
    const parts: DebtPart[] = [
      { name: 'non-current long-term debt', value: 78_328 * M, source: src('10-K accn A') },
      { name: 'commercial paper', value: 7_979 * M, source: src('10-K accn A') },
      { name: 'current portion of long-term debt', value: 12_350 * M, source: src('10-K accn A') },
    ];
    const debt = totalDebt(parts);
    expect(debt?.value).toBe(98_657 * M);
    expect(debt?.source.ref).toBe(
      'total debt = commercial paper 7,979M + current portion of long-term debt 12,350M + non-current long-term debt 78,328M (10-K accn A)',
    );
  });

  it('cites each line its own source when they differ, counts a line once, and is undefined without lines', () => {
    const debt = totalDebt([
      { name: 'current debt', value: 3 * M, source: src('file a') },
      { name: 'current debt', value: 99 * M, source: src('file c') },
      { name: 'non-current long-term debt', value: 40 * M, source: src('file b') },
    ]);
    expect(debt?.value).toBe(43 * M);
    expect(debt?.source.ref).toBe('total debt = current debt 3M (file a) + non-current long-term debt 40M (file b)');
    expect(totalDebt([])).toBeUndefined();
  });
});

// Shaped like sec/10k_extracts/MSFT_10-K_FY2025_BalanceSheet.md: "Short-term debt" is commercial paper, "Short Term
// Debt" the current portion of long-term debt; finance leases sit in other liabilities and are not added.
const msftBalance = `**As of June 30, 2025 and June 30, 2024** *(In millions, except shares and per share data)*

|  | Jun 30, 2025 | Jun 30, 2024 |
| --- | --- | --- |
|       Short-term debt |  | $6,693 |
|       Short Term Debt | $2,999 | $2,249 |
| *      Finance Lease* | $44,015 | $25,862 |
|     Long Term Debt | $40,152 | $42,688 |
|     Operating lease liabilities | $17,437 | $15,497 |`;

describe('total debt from 10-K tables', () => {
  it('reads MSFT FY2025 as $43,151M and FY2024 as $51,630M (with commercial paper)', () => {
    const periods = tenKToPeriods([parseMarkdownStatement(msftBalance)], {
      provider: 'sec-10k',
      accession: '0000950170-25-100235',
      filed: '2025-07-30',
      files: ['MSFT_10-K_FY2025_BalanceSheet.md'],
    });
    expect(periods.map((p) => [p.label, p.items.totalDebt?.value])).toEqual([
      ['FY2025', 43_151 * M],
      ['FY2024', 51_630 * M],
    ]);
  });
});

/** Right values from the raw files (`../shared/data`), one row per source kind; millions of USD. */
const CASES: { ticker: string; period: string; debt: number; equity?: number; source: string }[] = [
  // SEC companyfacts: CommercialPaper + LongTermDebtCurrent + LongTermDebtNoncurrent (10-K FY2025 balance sheet).
  { ticker: 'AAPL', period: 'FY2025', debt: 98_657, equity: 73_733, source: 'sec-companyfacts' },
  { ticker: 'NVDA', period: 'FY2026', debt: 8_468, source: 'sec-companyfacts' },
  { ticker: 'GOOGL', period: 'FY2025', debt: 48_543, source: 'sec-companyfacts' },
  // yfinance tables: Current Debt + Long Term Debt (no lease columns).
  { ticker: 'KO', period: 'FY2025', debt: 45_492, source: 'yfinance-heliar-k' },
  { ticker: 'MSFT', period: 'FY2026', debt: 40_294, source: 'yfinance-heliar-k' },
];

describe('total debt on the bundled data set (real pipeline)', () => {
  it.each(CASES)(
    '$ticker $period: total debt $debt M from $source',
    async ({ ticker, period, debt, equity, source }) => {
      const { research, close } = await bundledResearch();
      try {
        const result = await research.start(ticker).result;
        const by = (a: string) => result.findings.find((f) => f.analyst === a) as Findings;
        const fig = getFigure(by('fundamentals'), 'total_debt');
        expect(fig).toMatchObject({ value: debt * M, period, label: 'Total debt' });
        expect(fig?.source.provider).toBe(source);
        expect(fig?.source.ref).toMatch(/^total debt = /);
        const cash = getFigure(by('fundamentals'), 'cash_and_investments');
        const net = getFigure(by('fundamentals'), 'net_cash');
        if (cash) expect(net?.value).toBe(cash.value - debt * M);
        const netDebt = getFigure(by('risk'), 'net_debt');
        if (cash) expect(netDebt?.value).toBe(debt * M - cash.value);
        if (equity) expect(getFigure(by('risk'), 'debt_to_equity')?.value).toBeCloseTo(debt / equity, 4);
      } finally {
        await close();
      }
    },
  );
});
