/**
 * The text of `/research-stock`: the ticker and the options written after it (`--file`: attach the report as a
 * Markdown file at the end of the thread). Pure.
 */

/** What `/research-stock` was asked, before the ticker is normalised. */
export interface ResearchCommandText {
  /** The words left once the options are taken out (normalised by `normalizeTicker`, which rejects several). */
  tickerText: string;
  /** `--file` (also `-f`) was given. */
  attachReport: boolean;
}

const FILE_FLAGS = new Set(['--file', '-f']);

/**
 * Split `/research-stock` text into the ticker words and the options.
 * @example parseResearchCommand('NVDA --file') // { tickerText: 'NVDA', attachReport: true }
 */
export function parseResearchCommand(text: string): ResearchCommandText {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  const attachReport = words.some((w) => FILE_FLAGS.has(w.toLowerCase()));
  const tickerText = words.filter((w) => !FILE_FLAGS.has(w.toLowerCase())).join(' ');
  return { tickerText, attachReport };
}

/** A watchlist subcommand of `/research-stock`. */
export type WatchVerb = 'watch' | 'unwatch' | 'watchlist';

/** `/research-stock watch NVDA AMD`, `unwatch NVDA`, `watchlist`: the verb and the words after it. */
export interface WatchCommandText {
  verb: WatchVerb;
  /** The words after the verb (tickers, before normalisation). */
  words: string[];
}

const WATCH_VERBS: ReadonlySet<string> = new Set<WatchVerb>(['watch', 'unwatch', 'watchlist']);

/**
 * The watchlist subcommand in `/research-stock` text, or `undefined` when the text is a research request. The verb
 * is the first word, in any case; tickers after it may be separated by spaces or commas.
 * @example parseWatchCommand('watch NVDA, amd') // { verb: 'watch', words: ['NVDA', 'amd'] }
 */
export function parseWatchCommand(text: string): WatchCommandText | undefined {
  const [first, ...rest] = text.trim().split(/\s+/);
  const verb = first?.toLowerCase();
  if (!verb || !WATCH_VERBS.has(verb)) return undefined;
  return {
    verb: verb as WatchVerb,
    words: rest
      .join(' ')
      .split(/[\s,]+/)
      .filter((w) => w !== ''),
  };
}
