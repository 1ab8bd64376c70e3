import { describe, expect, it } from 'vitest';
import { describeCompany, formatUsdCompact } from '../../../src/mcp-server/providers/profile-summary.js';
import { eightKTitle } from '../../../src/mcp-server/providers/sec-8k-items.js';
import { closeMatches, editDistance } from '../../../src/mcp-server/providers/ticker-match.js';

describe('ticker close matches', () => {
  it('computes edit distance', () => {
    expect(editDistance('NVDA', 'NVDA')).toBe(0);
    expect(editDistance('NVDX', 'NVDA')).toBe(1);
    expect(editDistance('MSFT', 'MSTF')).toBe(1);
    expect(editDistance('', 'ABC')).toBe(3);
    expect(editDistance('NVDIA', 'NVDA')).toBe(1);
    expect(editDistance('NDVA', 'NVDA')).toBe(1);
    expect(editDistance('APPL', 'AAPL')).toBe(1);
  });

  it('ranks prefix and near matches, at most three', () => {
    const known = ['NVDA', 'NVR', 'AAPL', 'MSFT', 'BRK.B', 'GOOG', 'GOOGL', 'META'];
    expect(closeMatches('NVDX', known)).toEqual(['NVDA']);
    expect(closeMatches('NVRX', known)).toEqual(['NVR']);
    expect(closeMatches('MSTF', known)).toEqual(['MSFT']);
    expect(closeMatches('GOO', known)).toEqual(['GOOG', 'GOOGL']);
    expect(closeMatches('BRK', known)).toEqual(['BRK.B']);
    expect(closeMatches('ZZZZZZ', known)).toEqual([]);
    expect(closeMatches('NV', ['NVA', 'NVB', 'NVC', 'NVD']).length).toBe(3);
    // A short ticker the input merely starts with is not a suggestion (it crowded out the real match).
    expect(closeMatches('APPL', [...known, 'A', 'APP'])).toEqual(['AAPL', 'APP']);
    expect(closeMatches('BRKB', [...known, 'BR'])).toEqual(['BRK.B']);
    expect(closeMatches('NVDAX', known)).toEqual(['NVDA']);
    expect(closeMatches('GOOGLE', known)).toEqual(['GOOGL']);
  });

  it('keeps short symbols strict, skips the input itself, and returns at most max', () => {
    const known = ['AAPL', 'AMZN', 'BRK.B', 'GOOG', 'GOOGL', 'KO', 'MSFT', 'NVDA', 'TSLA'];
    expect(closeMatches('NVDIA', known)).toEqual(['NVDA']);
    expect(closeMatches('msft', known)).toEqual([]);
    expect(closeMatches('KX', known)).toEqual(['KO']);
    expect(closeMatches('XY', known)).toEqual([]);
    expect(closeMatches('AAAA', ['AAAB', 'AABA', 'ABAA', 'BAAA', 'AAAC'], 2)).toEqual(['AAAB', 'AAAC']);
  });
});

describe('8-K titles', () => {
  it('writes titles from item codes', () => {
    expect(eightKTitle('8-K', ['2.02', '9.01'])).toBe(
      '8-K: Results of Operations and Financial Condition (2.02); Financial Statements and Exhibits (9.01)',
    );
    expect(eightKTitle('8-K/A', ['9.99'])).toBe('8-K/A: Item 9.99');
    expect(eightKTitle('8-K', [])).toBe('8-K');
  });
});

describe('profile summary', () => {
  it('is written from codes and figures', () => {
    expect(formatUsdCompact(5.2e12)).toBe('5.20 trillion USD');
    expect(formatUsdCompact(412e9)).toBe('412.0 billion USD');
    const text = describeCompany({
      ticker: 'NVDA',
      name: 'Nvidia',
      gics: { sector: 'Information Technology', subIndustry: 'Semiconductors' },
      sic: { code: '3674', description: 'Semiconductors & Related Devices' },
      headquarters: 'Santa Clara, California',
      exchange: 'Nasdaq',
      fiscalYearEnd: '01-31',
      snapshot: { asOf: '2026-08-22', price: 214.72, marketCap: 5.2e12, pe: 32.9, source: { provider: 'x', ref: 'y' } },
    });
    expect(text).toBe(
      'Nvidia (NVDA): Information Technology sector, Semiconductors sub-industry (SIC 3674, Semiconductors & Related ' +
        'Devices); headquarters Santa Clara, California; listed on Nasdaq; fiscal year ends in January. ' +
        'Market value 5.20 trillion USD at 214.72 USD a share, 32.9 times earnings (2026-08-22).',
    );
    expect(describeCompany({ ticker: 'X', name: 'X Corp' })).toBe('X Corp (X).');
  });
});
