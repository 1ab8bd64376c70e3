/**
 * The one pino root logger. Logs go to stderr (stdout belongs to the CLI report and to the MCP protocol).
 * Use `logger.child({ runId, ticker, stage })` per run. Secrets are redacted by path.
 */
import { pino } from 'pino';

/** Root logger; level from `LOG_LEVEL` (default `info`, `silent` under vitest unless set). */
export const logger = pino(
  {
    level: process.env.LOG_LEVEL?.trim() || (process.env.VITEST ? 'silent' : 'info'),
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
