/**
 * The one pino root logger. Logs go to stderr (stdout belongs to the CLI report and to the MCP protocol).
 * Use `logger.child({ runId, ticker, stage })` per run. Secrets are redacted by path.
 */
import { pino } from 'pino';

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/**
 * The level from `LOG_LEVEL`: `info` by default (`silent` under vitest); a value pino does not know also falls back to
 * `info` here, and `loadConfig` reports it in plain words with every other problem.
 */
function levelFrom(raw: string | undefined): string {
  const level = raw?.trim().toLowerCase();
  if (level && LEVELS.has(level)) return level;
  return process.env.VITEST && !level ? 'silent' : 'info';
}

/** Root logger; level from `LOG_LEVEL` (default `info`, `silent` under vitest unless set). */
export const logger = pino(
  {
    level: levelFrom(process.env.LOG_LEVEL),
    redact: {
      paths: [
        'token',
        'botToken',
        'appToken',
        'signingSecret',
        'apiKey',
        '*.token',
        '*.apiKey',
        'headers.authorization',
      ],
      censor: '[redacted]',
    },
  },
  pino.destination(2),
);

/** The logger type used throughout tickerdesk. */
export type Logger = pino.Logger;
