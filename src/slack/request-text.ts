/**
 * What a person asked in words: a mention (`@tickerdesk what do you think of nvda?`) or a direct message to the
 * bot. One ticker named → research it; `help`, `?` or nothing → the guide; several tickers or none → say so. Pure:
 * the ticker directory is passed in.
 */
import { normalizeTicker } from '../tickers.js';

/** What the words ask for. */
export type TextRequest =
  | { kind: 'help' }
  | { kind: 'ticker'; ticker: string }
  | { kind: 'several'; tickers: string[] }
  | { kind: 'none' };

/** Words that ask for the guide (case-insensitive). */
const HELP_WORDS = new Set(['help', '?', 'usage', 'commands', '-h', '--help', 'hi', 'hello']);

/** True when `text` (a command's or a mention's text, mentions removed) asks for the guide. */
export function asksForHelp(text: string): boolean {
  return HELP_WORDS.has(text.trim().toLowerCase());
}

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

/** The text without Slack user mentions (`<@U…>`), trimmed. */
export function withoutMentions(text: string): string {
  return text.replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, ' ').trim();
}

/** `word` as a ticker when it reads as one, else undefined. */
function asTicker(word: string): string | undefined {
  try {
    return normalizeTicker(word);
  } catch {
    return undefined;
  }
}

/**
 * Read a mention or direct message. The whole text as one ticker (`NVDA`, `$nvda`, `brk.b`) is taken as written,
 * known or not (an unknown one is refused privately with close matches). In a sentence, a word counts as a ticker
 * when it has a `$`, is written in capitals, or is in `known` (the data sources' ticker directory) and is not an
 * everyday word in lower case.
 * @param text the message text, mentions removed.
 * @param known tickers the data sources cover; without it only `$` words and capitals count in a sentence.
 */
export function readTextRequest(text: string, known?: ReadonlySet<string>): TextRequest {
  const trimmed = text.trim();
  if (trimmed === '' || asksForHelp(trimmed)) return { kind: 'help' };
  const whole = asTicker(trimmed.replace(/[?!.]+$/, ''));
  if (whole) return { kind: 'ticker', ticker: whole };
  const found: string[] = [];
  for (const raw of trimmed.split(/[\s,;:!?()"“”]+/)) {
    const word = raw.replace(/(['’]s)?[.…]*$/, '');
    if (word === '') continue;
    const ticker = asTicker(word);
    if (!ticker) continue;
    const dollar = word.startsWith('$');
    const capitals = word.length > 1 && word === word.toUpperCase() && /[A-Z]/.test(word);
    const listed = known?.has(ticker) ?? false;
    const everyday = COMMON_WORDS.has(word.toLowerCase()) && !capitals;
    const counts = dollar || (capitals && (!known || listed)) || (listed && !everyday);
    if (counts && !found.includes(ticker)) found.push(ticker);
  }
  if (found.length === 1) return { kind: 'ticker', ticker: found[0] as string };
  if (found.length > 1) return { kind: 'several', tickers: found };
  return { kind: 'none' };
}
