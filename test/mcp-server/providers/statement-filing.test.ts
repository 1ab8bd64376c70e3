import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBundledProvider } from '../../../src/mcp-server/providers/bundled.js';
import { ChainProvider } from '../../../src/mcp-server/providers/chain.js';
import { latestStatementFiling } from '../../../src/mcp-server/providers/statement-filing.js';
import type { CompanyFinancials, StatementPeriod } from '../../../src/mcp-server/shapes.js';

const bundled = createBundledProvider(join(import.meta.dirname, '../../../data'));

function period(periodEnd: string, refs: [string, string | undefined][]): StatementPeriod {
  const items: StatementPeriod['items'] = {};
  const names = ['revenue', 'netIncome', 'totalDebt'] as const;
  refs.forEach(([ref, asOf], i) => {
    items[names[i] as (typeof names)[number]] = { value: 1, source: { provider: 'p', ref, ...(asOf ? { asOf } : {}) } };
  });
  return { fiscalYear: 2026, periodEnd, label: periodEnd, items };
}

const financials = (periods: StatementPeriod[]): CompanyFinancials => ({
  ticker: 'X',
  currency: 'USD',
  period: 'quarterly',
  periods,
  sources: [],
});

describe('latestStatementFiling', () => {
  it('is the newest filing by filing date, with its form and the newest period it reports', () => {
    const f = financials([
      period('2026-04-26', [['10-Q accn 0001045810-26-000052', '2026-05-20']]),
      period('2026-01-25', [
        ['10-K accn 0001045810-26-000021', '2026-02-25'],
        // A comparative in the newer 10-Q, and a computed figure citing it (its asOf is not a filing date).
        ['10-Q accn 0001045810-26-000052', '2026-05-20'],
        ['total debt = a + b (10-Q accn 0001045810-26-000052)', '2026-06-01'],
      ]),
    ]);
    expect(latestStatementFiling(f)).toEqual({
      form: '10-Q',
      accession: '0001045810-26-000052',
      filed: '2026-05-20',
      periodEnd: '2026-04-26',
    });
  });

  it('is undefined when no figure cites a filing (yfinance tables)', () => {
    expect(latestStatementFiling(financials([period('2026-06-30', [['yfinance/KO/income.csv', undefined]])]))).toBe(
      undefined,
    );
  });

  it("is in the chain's provenance of a bundled answer: NVDA's 10-Q filed 2026-05-20, not its quarter end", async () => {
    const chain = new ChainProvider({
      profile: [],
      statements: [bundled],
      prices: [],
      consensus: [],
      news: [],
      insiders: [],
    });
    const answer = await chain.financials('NVDA', 'quarterly', 4);
    expect(answer.provenance).toMatchObject({
      provider: 'bundled',
      asOf: '2026-05-20',
      filing: { form: '10-Q', filed: '2026-05-20', periodEnd: '2026-04-26' },
    });
  });
});
