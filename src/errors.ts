/**
 * Typed errors for tickerdesk, in the manner of Bolt's `CodedError`: every error the product raises on purpose
 * carries a stable string `code`, a message a person can act on, and the underlying `cause` when there is one.
 * Unknown errors are normalised once, at a boundary, with {@link asTickerdeskError}.
 */

/** Stable error codes. Values are part of the public surface (logs, run records, `--json` output). */
export enum ErrorCode {
  /** Input is not a single well-formed ticker (empty, several, too long, not a symbol). */
  InvalidInput = 'tickerdesk_invalid_input',
  /** The ticker is well-formed but no data source knows it. */
  UnknownTicker = 'tickerdesk_unknown_ticker',
  /** A data set has nothing for this ticker (for example no analyst coverage). */
  DataUnavailable = 'tickerdesk_data_unavailable',
  /** A tool call did not answer within its timeout. */
  ToolTimeout = 'tickerdesk_tool_timeout',
  /** A tool answered with an error result (`isError: true`) or an unusable payload. */
  ToolFailed = 'tickerdesk_tool_failed',
  /** The MCP connection itself failed (process exited, protocol fault). */
  McpConnection = 'tickerdesk_mcp_connection',
  /** The cache backend failed; callers degrade to direct calls. */
  CacheFailed = 'tickerdesk_cache_failed',
  /** A writer (template or LLM) failed to produce findings or a section. */
  WriterFailed = 'tickerdesk_writer_failed',
  /** The LLM provider is overloaded or rate limited beyond the retry budget. */
  LlmUnavailable = 'tickerdesk_llm_unavailable',
  /** Configuration is missing or invalid (all problems are listed in the message). */
  Config = 'tickerdesk_config',
  /** A Slack Web API call failed. */
  Slack = 'tickerdesk_slack',
  /** A run was refused because an identical one is running, or a rate limit applies. */
  RunRefused = 'tickerdesk_run_refused',
  /** A run was cancelled by whoever started it (or shut down); not a fault. */
  Cancelled = 'tickerdesk_cancelled',
  /** Anything not foreseen; the message is still shown in plain words. */
  Unknown = 'tickerdesk_unknown',
}

/** Base class of every error tickerdesk raises on purpose. `message` is written for the person who asked. */
export class TickerdeskError extends Error {
  /** Stable code, see {@link ErrorCode}. */
  readonly code: ErrorCode;
  /** Whether trying the same thing again later may succeed (timeouts, overloads, connection drops). */
  readonly transient: boolean;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; transient?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TickerdeskError';
    this.code = code;
    this.transient = options.transient ?? false;
  }
}

/** Input rejected before any work: not a single well-formed ticker. */
export class InvalidInputError extends TickerdeskError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(ErrorCode.InvalidInput, message, options);
    this.name = 'InvalidInputError';
  }
}

/** No data source knows this ticker. `suggestions` lists close matches (may be empty). */
export class UnknownTickerError extends TickerdeskError {
  readonly ticker: string;
  readonly suggestions: readonly string[];
  constructor(ticker: string, suggestions: readonly string[] = [], options: { cause?: unknown } = {}) {
    const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.join(', ')}?` : '';
    super(ErrorCode.UnknownTicker, `Unknown ticker "${ticker}": no data source covers it.${hint}`, options);
    this.name = 'UnknownTickerError';
    this.ticker = ticker;
    this.suggestions = suggestions;
  }
}

/**
 * The ticker is known, but no data source has any data for it (every part of its bundle is unavailable, e.g. a
 * company whose statements and prices are in KRW only). Answered as an unknown ticker is (code
 * `tickerdesk_unknown_ticker`: exit 2 in the CLI, a private answer in Slack), with the known reasons in plain words.
 */
export class NoDataError extends UnknownTickerError {
  /** The data server's reasons, e.g. "statements are reported in KRW, not USD" (may be empty). */
  readonly reasons: readonly string[];
  constructor(ticker: string, reasons: readonly string[]) {
    super(ticker);
    this.name = 'NoDataError';
    this.reasons = reasons;
    this.message =
      reasons.length > 0
        ? `No data for ${ticker}: ${reasons.join('; ')}. There is nothing to report on.`
        : `No data for ${ticker}: no data source has a profile, statements, prices, consensus, events or insider trades for it. There is nothing to report on.`;
  }
}

/** The data set has nothing of this kind for the ticker (e.g. no analyst coverage). Not a fault; not transient. */
export class DataUnavailableError extends TickerdeskError {
  /**
   * Set by the tool gateway: where this "no data" answer came from, `hit` (the cache), `coalesced` (another
   * caller's call in flight) or `miss` (the server). Unset on errors the gateway did not throw.
   */
  readonly answeredFrom?: 'hit' | 'miss' | 'coalesced';
  /**
   * True when the sources that answered lack the data but another source could not be reached (a live host down):
   * a later call may find it, so the gateway keeps this answer only briefly.
   */
  readonly provisional?: boolean;
  constructor(
    message: string,
    options: { cause?: unknown; answeredFrom?: 'hit' | 'miss' | 'coalesced'; provisional?: boolean } = {},
  ) {
    super(ErrorCode.DataUnavailable, message, options);
    this.name = 'DataUnavailableError';
    if (options.answeredFrom) this.answeredFrom = options.answeredFrom;
    if (options.provisional) this.provisional = true;
  }
}

/** A tool call exceeded its timeout (ms). Transient. */
export class ToolTimeoutError extends TickerdeskError {
  constructor(tool: string, timeoutMs: number, options: { cause?: unknown } = {}) {
    super(ErrorCode.ToolTimeout, `The data tool ${tool} did not answer within ${timeoutMs} ms.`, {
      ...options,
      transient: true,
    });
    this.name = 'ToolTimeoutError';
  }
}

/** A tool returned an error result or unusable data. `transient` is true when a retry may help. */
export class ToolFailedError extends TickerdeskError {
  readonly tool: string;
  constructor(tool: string, message: string, options: { cause?: unknown; transient?: boolean } = {}) {
    super(ErrorCode.ToolFailed, message, options);
    this.name = 'ToolFailedError';
    this.tool = tool;
  }
}

/** A run was cancelled on request (`RunHandle.cancel`); `message` says why in plain words. */
export class RunCancelledError extends TickerdeskError {
  /** Why the run was cancelled, in plain words (e.g. "Cancel was pressed in Slack"); absent when nobody said. */
  readonly reason: string | undefined;
  constructor(reason?: string, options: { cause?: unknown } = {}) {
    super(ErrorCode.Cancelled, reason ? `The run was cancelled: ${reason}` : 'The run was cancelled.', options);
    this.name = 'RunCancelledError';
    this.reason = reason || undefined;
  }
}

/** Configuration problems, all listed at once. */
export class ConfigError extends TickerdeskError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(ErrorCode.Config, `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Normalise anything thrown into a {@link TickerdeskError}. Call once, at a boundary (CLI, Slack listener,
 * pipeline top level). Existing TickerdeskErrors are returned unchanged.
 */
export function asTickerdeskError(err: unknown): TickerdeskError {
  if (err instanceof TickerdeskError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new TickerdeskError(ErrorCode.Unknown, message || 'Something went wrong.', { cause: err });
}

/** The message of anything thrown, for a plain-words note: an Error's message, else the value as a string. */
export function errorMessage(err: unknown): string {
  return err instanceof Error && err.message ? err.message : String(err);
}
