/**
 * What a person asked in words: a mention (`@tickerdesk what do you think of nvda?`) or a direct message to the
 * bot. One ticker named → research it; `help`, `?` or nothing → the guide; several tickers or none → say so. Pure:
 * the ticker directory is passed in.
 */
import { asTicker, tickersInText } from '../ticker-words.js';

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

/** The text without Slack user mentions (`<@U…>`), trimmed. */
export function withoutMentions(text: string): string {
  return text.replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, ' ').trim();
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
  const found = tickersInText(trimmed, known).tickers;
  if (found.length === 1) return { kind: 'ticker', ticker: found[0] as string };
  if (found.length > 1) return { kind: 'several', tickers: found };
  return { kind: 'none' };
}
