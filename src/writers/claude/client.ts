/**
 * The Anthropic client of the Claude writer, and how its errors read to a person.
 *
 * Retries: the SDK retries 408/409/429/5xx/529 and connection errors itself with exponential backoff (0.5 s doubling,
 * at most 8 s, honouring `retry-after`/`retry-after-ms`), `maxRetries` times. The writer puts an overall deadline on
 * top (`config.anthropic.sectionDeadlineMs`), so retries never outlast a section.
 */
import Anthropic, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  PermissionDeniedError,
  RateLimitError,
} from '@anthropic-ai/sdk';
import type { Config } from '../../config.js';
import { ErrorCode, TickerdeskError } from '../../errors.js';
import type { Logger } from '../../log.js';

/** SDK retries per request after the first attempt. @default 2 (the SDK's default) */
export const DEFAULT_MAX_RETRIES = 2;

/**
 * Build the SDK client from config: the key from `ANTHROPIC_API_KEY`, `baseURL` from `ANTHROPIC_BASE_URL` (no `/v1`),
 * SDK logs routed to our pino logger (never to stdout), and a request timeout of the section deadline.
 * @throws TickerdeskError(Config) when no key is configured.
 */
export function createAnthropicClient(config: Config, logger: Logger, maxRetries = DEFAULT_MAX_RETRIES): Anthropic {
  const { apiKey, baseUrl, sectionDeadlineMs } = config.anthropic;
  if (!apiKey) {
    throw new TickerdeskError(
      ErrorCode.Config,
      'The Claude writer needs an Anthropic API key: set ANTHROPIC_API_KEY, or use WRITER=template to write offline.',
    );
  }
  const sdkLog = logger.child({ component: 'anthropic-sdk' });
  return new Anthropic({
    apiKey,
    ...(baseUrl ? { baseURL: baseUrl } : {}),
    maxRetries,
    timeout: sectionDeadlineMs,
    logLevel: 'warn',
    logger: {
      error: (msg, ...rest) => sdkLog.error({ detail: rest }, msg),
      warn: (msg, ...rest) => sdkLog.warn({ detail: rest }, msg),
      info: (msg) => sdkLog.info(msg),
      debug: (msg) => sdkLog.debug(msg),
    },
  });
}

/** Why Claude could not answer, in a few plain words, for notes such as "Claude was unavailable (overloaded)". */
export function unavailableReason(err: unknown): string {
  if (err instanceof TickerdeskError && err.code === ErrorCode.LlmUnavailable && err.cause !== undefined) {
    return unavailableReason(err.cause);
  }
  if (err instanceof ClaudeOffError) return err.reason;
  if (err instanceof DeadlineError) return `no answer within ${duration(err.ms)}`;
  if (err instanceof IdleTimeoutError) return `the answer stalled: nothing for ${duration(err.ms)}`;
  if (err instanceof RateLimitError) return 'rate limited';
  if (err instanceof APIConnectionTimeoutError) return 'timed out';
  if (err instanceof APIConnectionError && !(err instanceof APIUserAbortError)) return 'connection failed';
  if (err instanceof APIError && err.status === 529) return 'overloaded';
  if (err instanceof APIError && typeof err.status === 'number' && err.status >= 500)
    return `server error ${err.status}`;
  if (err instanceof APIError && typeof err.status === 'number') return `error ${err.status}`;
  // A stream cut mid-answer: undici says `terminated`, with the socket error (ECONNRESET…) as its cause.
  if (err instanceof Error && (err.message === 'terminated' || /^E(?:CONNRESET|PIPE)$/.test(errCode(err.cause)))) {
    return 'connection lost';
  }
  return err instanceof Error && err.message ? err.message : 'unknown error';
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function errCode(err: unknown): string {
  return err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : '';
}

/** True for errors a fallback cannot fix and a person must: a missing, invalid or unauthorised key. */
export function isKeyError(err: unknown): boolean {
  return err instanceof AuthenticationError || err instanceof PermissionDeniedError;
}

/** The plain-words error for a rejected key (401/403), with the SDK error as `cause`. */
export function keyError(err: unknown): TickerdeskError {
  const status = err instanceof APIError ? err.status : undefined;
  const what = status === 403 ? 'is not allowed to use this model' : 'was rejected';
  return new TickerdeskError(
    ErrorCode.LlmUnavailable,
    `Anthropic says the API key ${what} (HTTP ${status ?? '401'}). Check ANTHROPIC_API_KEY (and ANTHROPIC_MODEL), or set WRITER=template to write offline.`,
    { cause: err },
  );
}

/** The overall deadline of one section or analyst call ran out. */
export class DeadlineError extends Error {
  readonly ms: number;
  constructor(ms: number) {
    super(`Claude did not finish within ${ms} ms.`);
    this.name = 'DeadlineError';
    this.ms = ms;
  }
}

/** A stream sent nothing (no text, no ping) for `ms`: it was ended as stalled (`ANTHROPIC_IDLE_TIMEOUT_MS`). */
export class IdleTimeoutError extends Error {
  readonly ms: number;
  constructor(ms: number) {
    super(`Claude's answer stalled: nothing arrived for ${ms} ms.`);
    this.name = 'IdleTimeoutError';
    this.ms = ms;
  }
}

/**
 * Claude is not asked: it already failed in this run, or the process is in its cool-off after a failure
 * ({@link ClaudeBreaker}). `reason` is the plain words of that failure, for the section note.
 */
export class ClaudeOffError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(`Claude is not asked again: ${reason}.`);
    this.name = 'ClaudeOffError';
    this.reason = reason;
  }
}

/**
 * A signal that aborts when `parent` aborts or after `ms`; `deadline()` tells which happened.
 * Built with `AbortSignal.any`, so it adds no listener to `parent` (a run signal watched by many sections would
 * otherwise pass Node's 10-listener warning). Call `clear()` when done so the timer does not keep the process alive.
 */
export function deadlineSignal(ms: number, parent?: AbortSignal) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineError(ms)), ms);
  const signal = parent ? AbortSignal.any([parent, controller.signal]) : controller.signal;
  return {
    signal,
    /** The DeadlineError when the deadline (not the caller) aborted. */
    deadline: (): DeadlineError | undefined => (signal.reason instanceof DeadlineError ? signal.reason : undefined),
    clear: () => clearTimeout(timer),
  };
}

/**
 * Check at start-up that the key and model work (GET /v1/models/{model}; no tokens spent).
 * @throws TickerdeskError(LlmUnavailable) with a plain message on 401/403, 404 (unknown model) or no connection.
 */
export async function checkClaudeAccess(client: Anthropic, model: string): Promise<void> {
  try {
    await client.models.retrieve(model);
  } catch (err) {
    if (isKeyError(err)) throw keyError(err);
    if (err instanceof APIError && err.status === 404) {
      throw new TickerdeskError(
        ErrorCode.Config,
        `Anthropic does not know the model "${model}": check ANTHROPIC_MODEL.`,
        {
          cause: err,
        },
      );
    }
    throw new TickerdeskError(ErrorCode.LlmUnavailable, `Claude is unavailable (${unavailableReason(err)}).`, {
      cause: err,
      transient: true,
    });
  }
}
