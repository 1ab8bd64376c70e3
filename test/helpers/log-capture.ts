/**
 * A pino logger that keeps what it writes, for tests that check what a person would be told (and how often).
 */
import { pino } from 'pino';
import type { Logger } from '../../src/log.js';

/** One captured log entry. */
export interface CapturedLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A logger at `level` and the entries it wrote; `warnings()` lists the messages at warn level and above. */
export function captureLogger(level = 'debug'): { logger: Logger; lines: CapturedLine[]; warnings: () => string[] } {
  const lines: CapturedLine[] = [];
  const logger = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line) as CapturedLine) });
  return { logger, lines, warnings: () => lines.filter((l) => l.level >= 40).map((l) => l.msg) };
}
