/**
 * Valuation, share class, fallback periods and the operating-income basis, from the real bundled data: market cap
 * from the latest shares outstanding, P/E on trailing twelve months with its basis named, GOOGL's own price, a
 * fallback that names its period, and GAAP operating income in every year.
 */
import { describe, expect, it } from 'vitest';
import { ttmDilutedEps } from '../../src/definitions/valuation.js';
import type { StatementPeriod } from '../../src/mcp-server/shapes.js';
import { getFigure, getFigures } from '../../src/research/analysts/lookup.js';
import type { AnalystName, Findings, RunResult } from '../../src/research/types.js';
import { bundledResearch } from '../report/bundled-run.js';

const src = { provider: 'test', ref: 'file' };
const period = (label: string, fy: number, fq: number | undefined, end: string, eps?: number): StatementPeriod => ({
  fiscalYear: fy,
  ...(fq ? { fiscalQuarter: fq } : {}),
  periodEnd: end,
  label,
  items: eps === undefined ? {} : { epsDiluted: { value: eps, source: src } },
});

describe('ttmDilutedEps()', () => {
  const fy25 = period('FY2025', 2025, undefined, '2025-12-31', 10);
  it('sums the last four quarters, deriving an unreported Q4 as the year minus Q1–Q3', () => {
    const q = [
      period('Q1 FY2025', 2025, 1, '2025-03-31', 2),
      period('Q2 FY2025', 2025, 2, '2025-06-30', 2.5),
      period('Q3 FY2025', 2025, 3, '2025-09-30', 2.5),
      period('Q4 FY2025', 2025, 4, '2025-12-31'),
      period('Q1 FY2026', 2026, 1, '2026-03-31', 4),
      period('Q2 FY2026', 2026, 2, '2026-06-30', 5),
    ];
    const ttm = ttmDilutedEps(q, [fy25], fy25);
    expect(ttm?.value).toBe(5 + 4 + 3 + 2.5);
    expect(ttm?.basis).toBe('TTM to Q2 FY2026');
    expect(ttm?.quarters.map((x) => [x.label, x.derived])).toEqual([
      ['Q2 FY2026', false],
      ['Q1 FY2026', false],
      ['Q4 FY2025', true],
      ['Q3 FY2025', false],
    ]);
  });

  it('is undefined without four known quarters newer than the last fiscal year (the P/E then uses FY EPS)', () => {
    expect(ttmDilutedEps([period('Q4 FY2025', 2025, 4, '2025-12-31', 3)], [fy25], fy25)).toBeUndefined();
    const gap = [period('Q1 FY2026', 2026, 1, '2026-03-31', 4), period('Q3 FY2025', 2025, 3, '2025-09-30', 1)];
    expect(ttmDilutedEps(gap, [fy25], fy25)).toBeUndefined();
  });
});

async function run(ticker: string): Promise<RunResult> {
  const { research, close } = await bundledResearch();
  try {
    return await research.start(ticker).result;
  } finally {
    await close();
  }
}
const findings = (r: RunResult, a: AnalystName) => r.findings.find((f) => f.analyst === a) as Findings;
const section = (r: RunResult, id: string) => r.sections.find((s) => s.id === id)?.markdown ?? '';

describe('valuation on the bundled data set', () => {
  // Right values from the raw files: price = the last close of the ticker's own class (IBKR bars; GOOGL from the
  // S&P 500 snapshot/consensus, 2026-08-21); shares = the latest balance-sheet count (yfinance Ordinary Shares
  // Number, Berkshire's in Class A equivalents × 1,500); EPS = the last four quarters' diluted EPS.
  it.each([
    {
      ticker: 'AAPL',
      price: 309.35,
      shares: 14_687_356_000,
      eps: 2.02 + 2.01 + 2.84 + 1.85,
      basis: 'TTM to Q3 FY2026',
    },
    { ticker: 'BRK.B', price: 495.82, shares: 1_431_693 * 1500, eps: undefined, basis: undefined },
    { ticker: 'GOOGL', price: 344.82, shares: undefined, eps: 19.91, basis: 'TTM to Q2 FY2026' },
  ])('$ticker: market cap = price × latest shares outstanding, P/E on $basis', async (c) => {
    const r = await run(c.ticker);
    const f = findings(r, 'fundamentals');
    expect(getFigure(f, 'price')?.value).toBe(c.price);
    const cap = getFigure(f, 'market_cap');
    expect(cap?.source.ref).toMatch(/shares outstanding at /);
    if (c.shares) expect(cap?.value).toBeCloseTo(c.price * c.shares, -3);
    if (c.basis) {
      expect(getFigure(f, 'eps_ttm')).toMatchObject({ period: c.basis });
      expect(getFigure(f, 'eps_ttm')?.value).toBeCloseTo(c.eps as number, 4);
      expect(getFigure(f, 'pe_ratio')?.value).toBeCloseTo(c.price / (c.eps as number), 3);
      expect(section(r, 'summary')).toContain(`trailing-twelve-month earnings (${c.basis})`);
      expect(section(r, 'fundamentals')).toContain(`over the trailing twelve months (${c.basis})`);
    }
  });

  it("GOOGL states its own close ($344.82), never GOOG's $341.75 as its own, and names GOOG's chart", async () => {
    const r = await run('GOOGL');
    expect(section(r, 'summary')).toContain('GOOGL closed at $344.82 on 2026-08-21.');
    expect(section(r, 'technicals')).toContain('GOOG (Class C) closed at $341.75 on 2026-08-21');
    for (const s of r.sections) expect(s.markdown, s.id).not.toMatch(/GOOGL closed at \$341\.75|stock closed at \$341/);
    expect(getFigure(findings(r, 'technicals'), 'last_close')?.label).toBe('Last close (GOOG (Class C))');
  });

  it("COIN's summary names the period of its free cash flow (FY2023's, FY2025 capex is missing)", async () => {
    const r = await run('COIN');
    expect(section(r, 'summary')).toContain('free cash flow, last reported for FY2023, came to $610.2M');
    expect(section(r, 'summary')).not.toMatch(/In FY2025[^.]*free cash flow came to/);
  });

  it("NVDA's cash and short-term investments cite both sources: the 10-Q (cash) and yfinance (investments)", async () => {
    const r = await run('NVDA');
    const ref = getFigure(findings(r, 'fundamentals'), 'cash_and_investments')?.source.ref ?? '';
    expect(ref).toContain('10-Q accn 0001045810-26-000052');
    expect(ref).toContain('yfinance-heliar-k: fundamentals/heliar-k_yfinance/NVDA');
  });

  it('reads GAAP operating income in every year (AbbVie: as reported, not yfinance "Operating Income")', async () => {
    const r = await run('ABBV');
    const margins = getFigures(findings(r, 'fundamentals'), 'operating_margin').map((m) => [m.period, m.value]);
    expect(margins).toEqual([
      ['FY2025', Math.round((15_075 / 61_160) * 1e6) / 1e4],
      ['FY2024', Math.round((9_137 / 56_334) * 1e6) / 1e4],
      ['FY2023', Math.round((12_757 / 54_318) * 1e6) / 1e4],
      ['FY2022', Math.round((18_117 / 58_054) * 1e6) / 1e4],
    ]);
  });
});
