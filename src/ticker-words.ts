/**
 * Finding tickers named in a sentence ("what do you think of nvda?", "compare with $AMD"), shared by the Slack
 * requests in words and the follow-up questions. Pure: the ticker directory is passed in.
 */
import { normalizeTicker } from './tickers.js';

/**
 * Everyday words that are also tickers (A, ALL, IT, NOW, KEY…): written in lower case inside a sentence they are
 * read as words, not tickers. In capitals (`IT`) or with `$` they still count.
 */
const COMMON_WORDS = new Set(
  (
    'a about all am an and any are as at be been best big but buy by can cat day did do does for from get go good has ' +
    'have he her here him his hold how i if in into is it its just key know let like look low may me more most my ' +
    'new no not now of off on one or our out over own peak price say see sell she should so some stock stocks tell ' +
    'than that the them then there these they think this to too up us very was we well were what when where which ' +
    'who why will with would you your'
  ).split(' '),
);

/** `word` as a ticker when it reads as one, else undefined. */
export function asTicker(word: string): string | undefined {
  try {
    return normalizeTicker(word);
  } catch {
    return undefined;
  }
}

/** Tickers a sentence names, in the order written, each once. */
export interface TickersInText {
  /** Words that count as tickers (see {@link tickersInText}). */
  tickers: string[];
  /**
   * Words in capitals (or with `$`) that read as tickers but that `known` does not list (`ZZZZ`): a ticker nobody
   * covers, or an abbreviation. Empty without `known`.
   */
  unlisted: string[];
}

/**
 * The tickers `text` names. A word counts when it has a `$`, is written in capitals, or is in `known` (the data
 * sources' ticker directory) and is not an everyday word in lower case; with `known`, a word in capitals counts
 * only when listed. Words in `skip` (lower case: abbreviations such as `eps`, `rsi`) never count unless written
 * with `$`.
 * @param known tickers the data sources cover; without it only `$` words and capitals count.
 */
export function tickersInText(
  text: string,
  known?: ReadonlySet<string>,
  skip: ReadonlySet<string> = new Set(),
): TickersInText {
  const tickers: string[] = [];
  const unlisted: string[] = [];
  for (const raw of text.trim().split(/[\s,;:!?()"“”]+/)) {
    const word = raw.replace(/(['’]s)?[.…]*$/, '');
    if (word === '') continue;
    const ticker = asTicker(word);
    if (!ticker) continue;
    const dollar = word.startsWith('$');
    if (!dollar && skip.has(word.toLowerCase())) continue;
    const capitals = word.length > 1 && word === word.toUpperCase() && /[A-Z]/.test(word);
    const listed = known?.has(ticker) ?? false;
    const everyday = COMMON_WORDS.has(word.toLowerCase()) && !capitals;
    const counts = dollar || (capitals && (!known || listed)) || (listed && !everyday);
    if (counts && !tickers.includes(ticker)) tickers.push(ticker);
    else if (!counts && known && capitals && !unlisted.includes(ticker)) unlisted.push(ticker);
  }
  return { tickers, unlisted };
}
