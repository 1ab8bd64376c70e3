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
