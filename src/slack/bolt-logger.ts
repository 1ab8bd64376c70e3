/**
 * Bolt's and the Web API client's logs, sent to our pino logger with every token scrubbed (Slack token patterns
 * and the configured secrets), so nothing secret reaches a log line.
 */
import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../log.js';

const TOKEN_RE = /\b(?:xox[abposre]|xapp)-[A-Za-z0-9-]+/g;

/** Replace Slack tokens and the given secrets in `text` with `[redacted]`. */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(TOKEN_RE, '[redacted]');
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join('[redacted]');
  return out;
}

function render(parts: unknown[], secrets: readonly string[]): string {
  const text = parts
    .map((p) => {
      if (typeof p === 'string') return p;
      if (p instanceof Error) return p.message;
      try {
        return JSON.stringify(p);
      } catch {
        return String(p);
      }
    })
    .join(' ');
  return scrubSecrets(text, secrets);
}

const LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

/**
 * A `@slack/logger` Logger writing to `logger` (child `component: 'bolt'`). `secrets` (bot token, app token,
 * signing secret) are scrubbed from every line. The level follows the pino logger; `setLevel` is ignored. While
 * `quiet()` is true (start-up: the SDK's retries of an unreachable Slack), info and warnings go to debug, so the
 * one plain error line that ends a failed start is what a person sees first.
 */
export function boltLogger(
  logger: Logger,
  secrets: readonly string[],
  quiet: () => boolean = () => false,
): SlackLogger {
  let log = logger.child({ component: 'bolt' });
  return {
    debug: (...msg: unknown[]) => log.debug(render(msg, secrets)),
    info: (...msg: unknown[]) => (quiet() ? log.debug(render(msg, secrets)) : log.info(render(msg, secrets))),
    warn: (...msg: unknown[]) => (quiet() ? log.debug(render(msg, secrets)) : log.warn(render(msg, secrets))),
    error: (...msg: unknown[]) => log.error(render(msg, secrets)),
    setLevel: () => undefined,
    getLevel: () => LEVELS[log.level] ?? LogLevel.INFO,
    setName: (name: string) => {
      log = logger.child({ component: name });
    },
  };
}
