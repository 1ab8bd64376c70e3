import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../src/errors.js';
import { normalizeTicker, TICKER_USAGE } from '../src/tickers.js';

describe('normalizeTicker', () => {
  it.each([
    ['NVDA', 'NVDA'],
    ['nvda', 'NVDA'],
    ['  $nvda  ', 'NVDA'],
    ['$NVDA', 'NVDA'],
    ['BRK-B', 'BRK.B'],
    ['brk.b', 'BRK.B'],
    ['brk/b', 'BRK.B'],
    // Full-width forms (East Asian keyboards) fold to plain letters.
    ['ＮＶＤＡ', 'NVDA'],
    ['＄ｎｖｄａ', 'NVDA'],
    ['ＢＲＫ－Ｂ', 'BRK.B'],
  ])('%j → %s', (raw, ticker) => {
    expect(normalizeTicker(raw)).toBe(ticker);
  });

  it.each([
    ['', 'No ticker given.'],
    ['   ', 'No ticker given.'],
    ['NVDA AAPL', 'One ticker at a time, got 2.'],
    ['NVDA,AAPL', 'One ticker at a time, got 2.'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMN', '"ABCDEFGHIJKLMNOPQRST…" is not a ticker symbol.'],
    ['12345', '"12345" is not a ticker symbol.'],
    ['NV$DA', '"NV$DA" is not a ticker symbol.'],
  ])('%j is refused with a usage line', (raw, message) => {
    expect(() => normalizeTicker(raw)).toThrow(InvalidInputError);
    expect(() => normalizeTicker(raw)).toThrow(`${message} ${TICKER_USAGE}`);
  });
});
