/**
 * Ticker normalisation, shared by every front end and the MCP server.
 */
import { InvalidInputError } from './errors.js';
import { hasControlCharacters, printable } from './printable.js';

/** Usage line shown with every input error. */
export const TICKER_USAGE = 'Usage: give one ticker symbol, e.g. NVDA, $AAPL or BRK.B.';

/** 1–7 letters, optionally a dot and a 1–2 letter share class: at most 10 characters. */
const TICKER_RE = /^[A-Z]{1,7}(?:\.[A-Z]{1,2})?$/;

/**
 * Exchange suffixes of non-US listings as Yahoo Finance and most terminals write them (`7203.T`, `SAP.DE`,
 * `0700.HK`), with the exchange they name. Single letters other than `.T` are left out: a US share class is written
 * the same way (`BRK.B`).
 */
const FOREIGN_SUFFIXES: Readonly<Record<string, string>> = {
  T: 'Tokyo',
  HK: 'Hong Kong',
  DE: 'XETRA',
  PA: 'Euronext Paris',
  AS: 'Euronext Amsterdam',
  MI: 'Borsa Italiana',
  MC: 'Madrid',
  SW: 'SIX Swiss',
  TO: 'Toronto',
  AX: 'ASX',
  KS: 'Korea',
  KQ: 'KOSDAQ',
  SS: 'Shanghai',
  SZ: 'Shenzhen',
  NS: 'NSE India',
  BO: 'BSE India',
  TW: 'Taiwan',
  SI: 'Singapore',
  ST: 'Stockholm',
  OL: 'Oslo',
  CO: 'Copenhagen',
  HE: 'Helsinki',
  SA: 'B3 São Paulo',
  MX: 'Mexico',
  JO: 'Johannesburg',
  IL: 'London IOB',
};

/** `.T, Tokyo` for a symbol written with a non-US exchange suffix (see {@link FOREIGN_SUFFIXES}), else `undefined`. */
function foreignExchange(symbol: string): string | undefined {
  const m = /^[A-Z0-9]{1,10}\.([A-Z]{1,3})$/.exec(symbol);
  const suffix = m?.[1];
  const name = suffix ? FOREIGN_SUFFIXES[suffix] : undefined;
  return suffix && name ? `.${suffix}, ${name}` : undefined;
}

/**
 * Normalise raw user input to a canonical ticker: folds full-width characters (NFKC), trims, upper-cases, strips a
 * leading `$`, and writes share classes with a dot (`brk-b`, `BRK/B` → `BRK.B`).
 * @example normalizeTicker(' $nvda ') === 'NVDA'
 * @throws InvalidInputError for empty input, several tickers, over-long or non-ticker strings, a symbol with a non-US
 *   exchange suffix (`7203.T`, `SAP.DE`: said so), and input holding control characters (a terminal escape; never
 *   echoed); the message includes {@link TICKER_USAGE}, except for a non-US listing, whose message says what to do.
 */
export function normalizeTicker(raw: string): string {
  // A terminal escape or another control character is refused before anything else, and never shown as given.
  if (hasControlCharacters(raw ?? '')) {
    throw new InvalidInputError(`The ticker holds control characters (such as a terminal escape). ${TICKER_USAGE}`);
  }
  // NFKC folds full-width forms typed with some keyboards (`ＮＶＤＡ`, `＄nvda`) into plain letters.
  const trimmed = (raw ?? '').normalize('NFKC').trim();
  if (trimmed === '') throw new InvalidInputError(`No ticker given. ${TICKER_USAGE}`);
  const parts = trimmed.split(/[\s,;]+/).filter(Boolean);
  if (parts.length > 1) throw new InvalidInputError(`One ticker at a time, got ${parts.length}. ${TICKER_USAGE}`);
  const candidate = trimmed.replace(/^\$/, '').toUpperCase().replace(/[-/]/g, '.');
  const exchange = foreignExchange(candidate);
  if (exchange) {
    throw new InvalidInputError(
      `"${printable(trimmed)}" is a listing on a non-US exchange (${exchange}): tickerdesk researches US-listed tickers (SEC filers and US prices). Try the company's US ticker or ADR, if it has one.`,
    );
  }
  if (!TICKER_RE.test(candidate)) {
    const shown = printable(trimmed.length > 20 ? `${trimmed.slice(0, 20)}…` : trimmed);
    throw new InvalidInputError(`"${shown}" is not a ticker symbol. ${TICKER_USAGE}`);
  }
  return candidate;
}
