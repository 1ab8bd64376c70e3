import { describe, expect, it } from 'vitest';
import { closeMatches, editDistance } from '../../src/mcp-server/suggest.js';

const KNOWN = ['AAPL', 'AMZN', 'BRK.B', 'GOOG', 'GOOGL', 'KO', 'MSFT', 'NVDA', 'TSLA'];

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps', () => {
    expect(editDistance('NVDA', 'NVDA')).toBe(0);
    expect(editDistance('NVDIA', 'NVDA')).toBe(1);
    expect(editDistance('NDVA', 'NVDA')).toBe(1);
    expect(editDistance('APPL', 'AAPL')).toBe(1);
    expect(editDistance('', 'KO')).toBe(2);
  });
});

describe('closeMatches', () => {
  it('suggests close symbols, closest first', () => {
    expect(closeMatches('NVDIA', KNOWN)).toEqual(['NVDA']);
    expect(closeMatches('APPL', KNOWN)).toEqual(['AAPL']);
    expect(closeMatches('GOOGLE', KNOWN)).toEqual(['GOOGL', 'GOOG']);
    expect(closeMatches('msft', KNOWN)).toEqual([]);
  });

  it('matches share classes by prefix and keeps short symbols strict', () => {
    expect(closeMatches('BRK', KNOWN)).toContain('BRK.B');
    expect(closeMatches('KX', KNOWN)).toEqual(['KO']);
    expect(closeMatches('XY', KNOWN)).toEqual([]);
  });

  it('returns nothing for a symbol far from every known one, and at most max', () => {
    expect(closeMatches('ZZZZZZ', KNOWN)).toEqual([]);
    expect(closeMatches('AAAA', ['AAAB', 'AABA', 'ABAA', 'BAAA', 'AAAC'], 2)).toEqual(['AAAB', 'AAAC']);
  });
});
