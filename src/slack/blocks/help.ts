/**
 * The short private guide (`/research-stock help`, `/perf help`, `@tickerdesk help`, an empty mention, `help` in a
 * direct message), and the answers to a request in words that names no ticker or several. Pure.
 */
import { escapeMrkdwn, mrkdwnSection, type SlackMessage } from './format.js';

/** The guide to both commands, the mention and the direct message. */
export function helpMessage(): SlackMessage {
  const lines = [
    ':wave: *tickerdesk* researches a US stock from real data and writes the report in a thread.',
    '• `/research-stock NVDA` — a live report in this channel (`$AAPL` and `BRK.B` work; add `--file` to get the report as a Markdown file too)',
    '• `@tickerdesk NVDA`, or a sentence naming one ticker (`@tickerdesk what do you think of nvda?`) — the same, from a mention',
    '• `/research-stock watch NVDA AMD` — this channel’s watchlist: a digest after each US market close (closes, filings, target changes); `unwatch NVDA`, `watchlist` to see it',
    '• `/perf` — how the desk has been doing, privately; `/perf chart` also posts recent run durations as a picture; admins also have `/perf reset`, `/perf flush-cache` and `/perf prewarm`',
    '• In a direct message with me (*Apps* → *tickerdesk* in the sidebar), just write a ticker.',
    'I post only in channels I was invited to (`/invite @tickerdesk`).',
  ];
  return {
    text: 'tickerdesk: /research-stock NVDA for a report, /perf for statistics, or mention me with a ticker.',
    blocks: [mrkdwnSection(lines.join('\n'))],
  };
}

/** `how` is how the person asked (`@tickerdesk`, or empty in a direct message). */
const example = (how: string) => (how ? `\`${how} NVDA\`` : '`NVDA`');

/** A request in words with no ticker in it. */
export function noTickerNotice(how: string): string {
  return `I didn’t find a ticker in that. Name one, e.g. ${example(how)} or ${how ? `\`${how} what do you think of nvda?\`` : '`what do you think of nvda?`'}; \`help\` shows what I can do.`;
}

/** A request in words naming several tickers. */
export function severalTickersNotice(tickers: readonly string[], how: string): string {
  const list = tickers.map((t) => escapeMrkdwn(t));
  const named = `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
  return `One ticker at a time: I saw ${named}. Ask again with one, e.g. ${how ? `\`${how} ${list[0]}\`` : `\`${list[0]}\``}.`;
}
