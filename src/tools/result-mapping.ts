/**
 * Turns an MCP `tools/call` result into data or a typed error, by the tickerdesk convention: a tool's failure is a
 * result with `isError: true` and `_meta.code` (an {@link ErrorCode} value); its data is `structuredContent`, or the
 * JSON text of its content for servers that send no structured content.
 */
import {
  DataUnavailableError,
  ErrorCode,
  InvalidInputError,
  type TickerdeskError,
  ToolFailedError,
  UnknownTickerError,
} from '../errors.js';
import { usageFromJson, withUsage } from '../mcp-server/upstream/usage.js';

/** The parts of an MCP `CallToolResult` the gateway reads. */
export interface RawToolResult {
  isError?: boolean | undefined;
  content?: unknown;
  structuredContent?: unknown;
  _meta?: Record<string, unknown> | undefined;
}

function textOf(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content
    .filter((c): c is { type: 'text'; text: string } => c?.type === 'text' && typeof c.text === 'string')
    .map((c) => c.text)
    .join('\n')
    .trim();
}

function stringArray(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

/**
 * The typed error for an `isError: true` result of `source` (`server/tool`) called with `args`.
 * `tickerdesk_unknown_ticker` → {@link UnknownTickerError} (ticker from `_meta.ticker` or `args.ticker`, close
 * matches from `_meta.suggestions`); `tickerdesk_data_unavailable` → {@link DataUnavailableError};
 * `tickerdesk_invalid_input` → {@link InvalidInputError}; anything else → non-transient {@link ToolFailedError}.
 */
export function errorFromResult(source: string, args: Record<string, unknown>, result: RawToolResult): TickerdeskError {
  // The upstream requests the server made for this answer go with the error (`_meta.upstream`).
  return withUsage(typedError(source, args, result), usageFromJson(result._meta?.upstream));
}

function typedError(source: string, args: Record<string, unknown>, result: RawToolResult): TickerdeskError {
  const meta = result._meta ?? {};
  const text = textOf(result.content);
  switch (meta.code) {
    case ErrorCode.UnknownTicker: {
      const ticker = typeof meta.ticker === 'string' ? meta.ticker : String(args.ticker ?? '');
      return new UnknownTickerError(ticker, stringArray(meta.suggestions));
    }
    case ErrorCode.DataUnavailable:
      return new DataUnavailableError(text || `The data tool ${source} has no data for this request.`, {
        provisional: meta.provisional === true,
      });
    case ErrorCode.InvalidInput:
      return new InvalidInputError(text || `The data tool ${source} rejected its input.`);
    default:
      return new ToolFailedError(source, `The data tool ${source} failed: ${text || 'it gave no reason.'}`);
  }
}

/**
 * The data of a successful result: `structuredContent`, else the JSON parsed from its text content.
 * @throws the typed error of an `isError` result (see {@link errorFromResult}); {@link ToolFailedError} when the
 *   result carries no usable data.
 */
export function dataFromResult(source: string, args: Record<string, unknown>, result: RawToolResult): unknown {
  if (result.isError) throw errorFromResult(source, args, result);
  if (result.structuredContent !== undefined && result.structuredContent !== null) return result.structuredContent;
  const text = textOf(result.content);
  if (text === '') throw new ToolFailedError(source, `The data tool ${source} returned no data.`);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
    throw new ToolFailedError(source, `The data tool ${source} returned text that is not data: "${shown}".`, {
      cause,
    });
  }
}
