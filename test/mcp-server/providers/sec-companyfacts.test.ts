import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { fiscalYearOf, parseCompanyFacts } from '../../../src/mcp-server/providers/sec-companyfacts.js';
import type { LineItem, StatementPeriod } from '../../../src/mcp-server/shapes.js';

// Fixtures: the SEC companyfacts documents trimmed to the concepts the parser reads (test/fixtures/providers).
const fixtures = join(import.meta.dirname, '../../fixtures/providers');
const load = (t: string): unknown =>
  JSON.parse(gunzipSync(readFileSync(join(fixtures, `companyfacts-${t}.json.gz`))).toString('utf8'));
const parsed = Object.fromEntries(['NVDA', 'AAPL', 'GOOGL'].map((t) => [t, parseCompanyFacts(load(t))]));
const fy = (t: string, label: string): StatementPeriod | undefined => parsed[t]?.annual.find((p) => p.label === label);

describe('parseCompanyFacts', () => {
  it('labels fiscal years as the company does and reads revenue in whole USD', () => {
    const nvda = fy('NVDA', 'FY2024');
    expect(nvda?.periodEnd).toBe('2024-01-28');
    expect(nvda?.items.revenue?.value).toBe(60_922_000_000);
    expect(nvda?.items.revenue?.source).toMatchObject({ provider: 'sec-companyfacts', period: 'FY2024' });
    expect(nvda?.items.revenue?.source.ref).toMatch(/^10-K accn 0001045810-/);
    expect(nvda?.items.revenue?.source.url).toMatch(/^https:\/\/www\.sec\.gov\/Archives\/edgar\/data\/1045810\//);
    expect(fy('AAPL', 'FY2023')?.items.revenue?.value).toBe(383_285_000_000);
    expect(fy('GOOGL', 'FY2024')?.items.revenue?.value).toBe(350_018_000_000);
  });

  it('returns periods newest first, with entity name and padded CIK', () => {
    const nvda = parsed.NVDA;
    expect(nvda?.cik).toBe('0001045810');
    expect(nvda?.entityName).toBe('NVIDIA CORP');
    const ends = nvda?.annual.map((p) => p.periodEnd) ?? [];
    expect(ends).toEqual([...ends].sort().reverse());
    expect(nvda?.quarterly[0]?.label).toBe('Q1 FY2027');
  });

  it('derives Q4 as the fiscal year minus the 9-month year to date and says so', () => {
    const q4 = parsed.NVDA?.quarterly.find((p) => p.label === 'Q4 FY2026');
    expect(q4?.fiscalQuarter).toBe(4);
    expect(q4?.items.revenue?.value).toBe(68_127_000_000);
    expect(q4?.items.revenue?.source.ref).toMatch(/^derived: FY \(10-K accn .*\) minus 9-month YTD \(10-Q accn .*\)$/);
  });

  it('computes free cash flow as operating cash flow minus capex (capex a positive outflow)', () => {
    const p = fy('AAPL', 'FY2023');
    expect(p?.items.capitalExpenditure?.value).toBeGreaterThan(0);
    expect(p?.items.freeCashFlow?.value).toBe(
      (p?.items.operatingCashFlow?.value ?? 0) - (p?.items.capitalExpenditure?.value ?? 0),
    );
  });

  it('maps 52/53-week years ending in early January to the previous fiscal year', () => {
    expect(fiscalYearOf('2024-01-28')).toBe(2024);
    expect(fiscalYearOf('2022-01-02')).toBe(2021);
    expect(fiscalYearOf('2023-09-30')).toBe(2023);
  });

  it('rejects documents that are not companyfacts', () => {
    expect(() => parseCompanyFacts({ hello: 1 })).toThrow(/companyfacts/);
  });

  it('matches the key_financials.csv cross-check for every fiscal year and quarter it lists', () => {
    const rows = parse(readFileSync(join(fixtures, 'sec-key-financials.csv')), { columns: true }) as Record<
      string,
      string
    >[];
    const columns: [string, LineItem][] = [
      ['revenue', 'revenue'],
      ['net_income', 'netIncome'],
      ['operating_income', 'operatingIncome'],
      ['operating_cash_flow', 'operatingCashFlow'],
      ['capex', 'capitalExpenditure'],
      ['free_cash_flow', 'freeCashFlow'],
      ['cash_and_equivalents', 'cashAndEquivalents'],
      ['total_assets', 'totalAssets'],
      ['stockholders_equity', 'shareholdersEquity'],
    ];
    // Known discrepancy in the reference, not the parser: key_financials lists NVDA's 9-month YTD capex
    // (1,324 M, 10-Q for Q3 FY2023) as the Q3 value; no 6-month YTD exists to subtract, so we leave Q3 capex out.
    const knownReferenceErrors = new Set(['NVDA Q3 FY2023 capitalExpenditure', 'NVDA Q3 FY2023 freeCashFlow']);
    let compared = 0;
    const mismatches: string[] = [];
    for (const row of rows) {
      const result = parsed[row.ticker ?? ''];
      const list = row.period_type === 'FY' ? result?.annual : result?.quarterly;
      const period = list?.find((p) => p.periodEnd === row.period_end);
      if (!period) {
        mismatches.push(`${row.ticker} ${row.period_type} ${row.period_end}: period missing`);
        continue;
      }
      for (const [col, item] of columns) {
        const expected = row[col];
        if (!expected) continue;
        compared += 1;
        const got = period.items[item]?.value;
        if (knownReferenceErrors.has(`${row.ticker} ${period.label} ${item}`)) continue;
        if (got !== Number(expected)) mismatches.push(`${row.ticker} ${period.label} ${item}: ${got} vs ${expected}`);
      }
    }
    expect(compared).toBeGreaterThan(500);
    expect(mismatches).toEqual([]);
  });
});
