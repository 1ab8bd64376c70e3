/**
 * The one pino root logger. Logs go to stderr (stdout belongs to the CLI report and to the MCP protocol).
 * Use `logger.child({ runId, ticker, stage })` per run. Secrets are redacted by path.
 *
 * A person at a terminal reads plain lines (`info: mcp server ready on stdin/stdout: …`, `warning: …`): when stderr is a terminal
 * and `LOG_LEVEL` is unset. Otherwise (a pipe, as when the tool gateway or an MCP client spawns the data server, a
 * file, a log collector, or `LOG_LEVEL` set by whoever wants them) the lines are pino's JSON.
 */
import { pino } from 'pino';
import { printable } from './printable.js';

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
 * Whether log lines go to a person and so are written plain ({@link plainLogLine}): `stderr` is a terminal and
 * `LOG_LEVEL` is unset or blank (whoever sets it gets pino's JSON, as the README says).
 */
export function logsArePlain(env: NodeJS.ProcessEnv, stderr: { isTTY?: boolean }): boolean {
  return stderr.isTTY === true && !env.LOG_LEVEL?.trim();
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
        'clientSecret',
        'stateSecret',
        'tokenKey',
        'apiKey',
        '*.clientSecret',
        '*.stateSecret',
        '*.tokenKey',
        '*.token',
        '*.apiKey',
        'headers.authorization',
      ],
      censor: '[redacted]',
    },
  },
  logsArePlain(process.env, process.stderr)
    ? { write: (line: string) => process.stderr.write(plainLogLine(line)) }
    : pino.destination(2),
);

/** The logger type used throughout tickerdesk. */
export type Logger = pino.Logger;
