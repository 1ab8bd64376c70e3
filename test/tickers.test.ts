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

describe('control characters in a ticker', () => {
  it.each([
    ['\u001b[31mNVDA\u001b[0m', 'an ANSI colour escape'],
    ['NVDA\u0000', 'a NUL'],
    ['NV\u0007DA', 'a bell'],
    ['\u202eADVN', 'a right-to-left override'],
    ['NVDA\u009b2J', 'a C1 control sequence introducer'],
  ])('%j (%s) is refused as bad input, and the message never echoes it', (raw) => {
    let message = '';
    try {
      normalizeTicker(raw);
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidInputError);
      message = (err as Error).message;
    }
    expect(message).toBe(`The ticker holds control characters (such as a terminal escape). ${TICKER_USAGE}`);
  });
});

describe('a listing on a non-US exchange', () => {
  // Regression: tried as a new user, `7203.T` (Toyota in Tokyo) was refused as '"7203.T" is not a ticker symbol.',
  // and `SAP.DE` was taken for share class DE of a US ticker and answered with close matches.
  it.each([
    ['7203.T', '.T, Tokyo'],
    ['sap.de', '.DE, XETRA'],
    ['0700.HK', '.HK, Hong Kong'],
    ['SHOP.TO', '.TO, Toronto'],
  ])('says %s is listed outside the US, and what to try instead', (raw, exchange) => {
    expect(() => normalizeTicker(raw)).toThrow(InvalidInputError);
    expect(() => normalizeTicker(raw)).toThrow(
      `"${raw}" is a listing on a non-US exchange (${exchange}): tickerdesk researches US-listed tickers (SEC filers and US prices). Try the company's US ticker or ADR, if it has one.`,
    );
  });

  it('keeps US share classes, written with a dot or a dash, as tickers', () => {
    expect(['BRK.B', 'BF-B', 'HEI.A'].map(normalizeTicker)).toEqual(['BRK.B', 'BF.B', 'HEI.A']);
  });
});
