/**
 * Errors of upstream HTTP requests (live data providers). A provider chain reads them to decide what to say and
 * whether to try the next provider: every one of them passes to the next provider, none is cached by the gateway.
 */
import { ErrorCode, TickerdeskError } from '../../errors.js';

/** The host could not be reached at all (DNS failure, connection refused or reset): no retry, next provider at once. */
export class UpstreamUnreachableError extends TickerdeskError {
  readonly host: string;
  constructor(host: string, reason: string, options: { cause?: unknown } = {}) {
    super(ErrorCode.ToolFailed, `${host} could not be reached (${reason}).`, options);
    this.name = 'UpstreamUnreachableError';
    this.host = host;
  }
}

/** The host answered with an HTTP status that is no data (after the retries allowed for 429, 403 and 5xx). */
export class UpstreamHttpError extends TickerdeskError {
  readonly host: string;
  readonly status: number;
  /** `hint`: what the status usually means at this host, said after it (`… answered HTTP 403: SEC refuses …`). */
  constructor(host: string, status: number, options: { cause?: unknown; hint?: string } = {}) {
    const { hint, ...rest } = options;
    super(ErrorCode.ToolFailed, `${host} answered HTTP ${status}${hint ? `: ${hint}` : ''}.`, {
      ...rest,
      transient: status >= 500,
    });
    this.name = 'UpstreamHttpError';
    this.host = host;
    this.status = status;
  }
}

/** The host did not answer within the timeout (ms), or its body broke off (truncated gzip, reset mid-body). */
export class UpstreamTimeoutError extends TickerdeskError {
  readonly host: string;
  constructor(host: string, message: string, options: { cause?: unknown } = {}) {
    super(ErrorCode.ToolTimeout, message, { ...options, transient: true });
    this.name = 'UpstreamTimeoutError';
    this.host = host;
  }
}

/** The host answered 200 with a body that is not what the provider reads (HTML instead of JSON, a broken CSV…). */
export class UpstreamFormatError extends TickerdeskError {
  readonly host: string;
  constructor(host: string, what: string, options: { cause?: unknown } = {}) {
    super(ErrorCode.ToolFailed, `${host} answered with ${what}.`, options);
    this.name = 'UpstreamFormatError';
    this.host = host;
  }
}

/**
 * A request to `name` (a host or a group of hosts, `sec`) asked to start after the limit it is counted against was
 * closed (the data server stopping): it is not sent, as it could not be counted with other instances' requests.
 */
export class UpstreamClosedError extends TickerdeskError {
  readonly host: string;
  constructor(name: string) {
    super(
      ErrorCode.ToolFailed,
      `No request to ${name} starts: its request limit was closed (the data server is stopping).`,
    );
    this.name = 'UpstreamClosedError';
    this.host = name;
  }
}
