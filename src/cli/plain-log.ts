/**
 * Log lines for a person at a terminal: the CLI's warnings and errors as `warning: <message>` on stderr instead of
 * pino's JSON (kept when `LOG_LEVEL` is set, for whoever asked for it).
 */
import { pino } from 'pino';
import { type Logger, plainLogLine } from '../log.js';
import type { TextSink } from './io.js';

export { plainLogLine };

/**
 * A logger at `level` that writes each entry to `sink` as one plain line ({@link plainLogLine}).
 * @example plainLogger(process.stderr).warn('Tool cache get failed') // stderr: "warning: Tool cache get failed"
 */
export function plainLogger(sink: TextSink, level = 'warn'): Logger {
  return pino({ level }, { write: (line: string) => sink.write(plainLogLine(line)) });
}
