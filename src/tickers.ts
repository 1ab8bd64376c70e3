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
 * Normalise raw user input to a canonical ticker: folds full-width characters (NFKC), trims, upper-cases, strips a
 * leading `$`, and writes share classes with a dot (`brk-b`, `BRK/B` → `BRK.B`).
 * @example normalizeTicker(' $nvda ') === 'NVDA'
 * @throws InvalidInputError for empty input, several tickers, over-long or non-ticker strings, and input holding
 *   control characters (a terminal escape; never echoed); the message includes {@link TICKER_USAGE}.
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
  if (!TICKER_RE.test(candidate)) {
    const shown = printable(trimmed.length > 20 ? `${trimmed.slice(0, 20)}…` : trimmed);
    throw new InvalidInputError(`"${shown}" is not a ticker symbol. ${TICKER_USAGE}`);
  }
  return candidate;
}
