/**
 * Log lines for a person at a terminal: the CLI's warnings and errors as `warning: <message>` on stderr instead of
 * pino's JSON (kept when `LOG_LEVEL` is set, for whoever asked for it).
 */
import { pino } from 'pino';
import type { Logger } from '../log.js';
import { printable } from '../printable.js';
import type { TextSink } from './io.js';

const LEVEL_WORDS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warning',
  50: 'error',
  60: 'fatal',
};

/** One pino JSON line as `warning: message` (or the line itself when it is not pino JSON). */
export function plainLogLine(json: string): string {
  try {
    const entry = JSON.parse(json) as { level?: number; msg?: string; err?: unknown };
    const word = LEVEL_WORDS[entry.level ?? 30] ?? 'log';
    const err = typeof entry.err === 'string' ? entry.err : (entry.err as { message?: string } | undefined)?.message;
    const msg = entry.msg ?? err ?? '';
    // JSON kept control characters escaped; a plain line shows them escaped too, never as terminal escapes.
    return `${word}: ${printable(msg)}${err && !msg.includes(err) ? ` (${printable(err)})` : ''}\n`;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
}

/**
 * A logger at `level` that writes each entry to `sink` as one plain line ({@link plainLogLine}).
 * @example plainLogger(process.stderr).warn('Tool cache get failed') // stderr: "warning: Tool cache get failed"
 */
export function plainLogger(sink: TextSink, level = 'warn'): Logger {
  return pino({ level }, { write: (line: string) => sink.write(plainLogLine(line)) });
}
