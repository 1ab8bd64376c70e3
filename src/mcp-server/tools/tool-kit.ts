/**
 * What every tool of our MCP server shares: its dependencies, input validation that reports
 * `tickerdesk_invalid_input`, injected latency, and the success / error result shapes.
 *
 * Result convention (the tool gateway relies on it):
 * - success: `{ structuredContent: <shape from ../shapes.ts>, content: [{ type: 'text', text: <same, as JSON> }] }`
 * - failure: `{ isError: true, content: [{ type: 'text', text: <plain message> }], _meta: { code, suggestions?, ticker? } }`
 *   where `code` is an {@link ErrorCode} value. Tool handlers never throw; only protocol faults do.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import {
  DataUnavailableError,
  ErrorCode,
  InvalidInputError,
  TickerdeskError,
  UnknownTickerError,
} from '../../errors.js';
import { logger } from '../../log.js';
import { normalizeTicker } from '../../tickers.js';
import { toolsWith } from '../coverage.js';
import { closeMatches, editDistance } from '../providers/ticker-match.js';
import type { DataProvider, TickerCoverage } from '../providers/types.js';
import { PRIORITY_META_KEY } from '../shapes.js';
import { type UpstreamUsage, usageOf, withUpstreamPriority } from '../upstream/usage.js';

/** What a tool needs, passed in by `createServer` (never imported as a singleton). */
export interface ToolDeps {
  provider: DataProvider;
  /** Latency awaited in each handler before answering, ms (benchmarks only). @default 0 */
  latencyMs: number;
}

/** `_meta` of an error result: the {@link ErrorCode} string and, for unknown tickers, the ticker and close matches. */
export interface ToolErrorMeta {
  [key: string]: unknown;
  code: ErrorCode;
  /** Close matches of an unknown ticker (may be empty). */
  suggestions?: string[];
  /** The normalised ticker that was not found, or that lacks the data asked for. */
  ticker?: string;
  /** For `tickerdesk_data_unavailable`: the other tools that do have data for the ticker (may be empty). */
  tools?: string[];
  /** For `tickerdesk_data_unavailable`: a source could not be reached, so a later call may find the data. */
  provisional?: boolean;
  /** The upstream HTTP requests live providers made before this answer (absent when none). */
  upstream?: UpstreamUsage;
}

/** The `ticker` input, as every tool declares it. */
export const tickerInput = z
  .string()
  .describe('Ticker symbol, e.g. NVDA. Case, a leading $ and share-class separators (BRK-B, BRK.B) are normalised.');

/**
 * Input schemas for `registerTool`. The SDK validates arguments against the schema it is given and answers a
 * mismatch with an error result that carries no code, so we register a permissive object that publishes the
 * strict schema's JSON Schema (zod metadata), and validate with the strict schema in the handler, where a
 * mismatch becomes `tickerdesk_invalid_input`. Clients see exactly the strict schema in `tools/list`, including
 * `additionalProperties: false`: an argument the tool does not take (a misspelt `perod`) is an error naming it,
 * never silently ignored.
 */
export function toolInput<Shape extends z.ZodRawShape>(shape: Shape) {
  const strict = z.strictObject(shape);
  const { $schema: _ignored, ...jsonSchema } = z.toJSONSchema(strict, { io: 'input' });
  const published = z.looseObject({}).meta(jsonSchema);
  return { strict, published };
}

/** An error result in our convention. */
export function errorResult(
  code: ErrorCode,
  message: string,
  suggestions?: readonly string[],
  ticker?: string,
): CallToolResult {
  const meta: ToolErrorMeta = { code };
  if (suggestions !== undefined) meta.suggestions = [...suggestions];
  if (ticker !== undefined) meta.ticker = ticker;
  return { isError: true, content: [{ type: 'text', text: message }], _meta: meta };
}

/** A success result: the payload as `structuredContent` and as JSON text. */
export function successResult(data: object): CallToolResult {
  return {
    structuredContent: data as Record<string, unknown>,
    content: [{ type: 'text', text: JSON.stringify(data) }],
  };
}

/** `"perod"` (did you mean "period"?): the unknown argument, with the closest one the tool takes. */
function unknownArgument(key: string, known: readonly string[]): string {
  const near = known
    .map((k) => ({ k, d: editDistance(key.toLowerCase(), k.toLowerCase()) }))
    .filter(({ d }) => d <= 2)
    .sort((a, b) => a.d - b.d)[0];
  return `"${key}"${near ? ` (did you mean "${near.k}"?)` : ''}`;
}

function describeIssues(tool: string, error: z.ZodError, known: readonly string[]): string {
  const unknown = error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : []));
  const others = error.issues.filter((i) => i.code !== 'unrecognized_keys');
  const parts = others.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message));
  if (unknown.length > 0) {
    const names = unknown.map((k) => unknownArgument(k, known)).join(', ');
    parts.unshift(`unknown argument${unknown.length > 1 ? 's' : ''} ${names}; it takes ${known.join(', ')}`);
  }
  return `Invalid arguments for ${tool}: ${parts.join('; ')}.`;
}

/** What {@link runTool} needs to know about a tool. */
export interface ToolSpec<S extends z.ZodObject> {
  /** Tool name, used in messages and logs. */
  name: string;
  deps: ToolDeps;
  /** Strict input schema; a mismatch becomes `tickerdesk_invalid_input`. */
  input: S;
  /** Output schema (the one published as `outputSchema`); a mismatch becomes `tickerdesk_tool_failed`. */
  output: z.ZodType;
}

/** What {@link runTool} reads of the SDK's request context: the cancellation signal and the request's `_meta`. */
export interface ToolCallContext {
  signal?: AbortSignal;
  _meta?: Record<string, unknown>;
}

/**
 * Run one tool call: wait the injected latency, validate `rawArgs`, normalise `ticker`, run `work` (at the call's
 * upstream priority, from its `_meta`: see `PRIORITY_META_KEY`), check its
 * payload against the published output schema, and turn the outcome into a result. Known errors keep their code;
 * unknown tickers get close matches from the provider's ticker list when the provider gave none; a cancelled call
 * is `tickerdesk_cancelled`; anything unforeseen becomes `tickerdesk_tool_failed`. Never throws.
 */
export async function runTool<S extends z.ZodObject>(
  spec: ToolSpec<S>,
  rawArgs: unknown,
  call: ToolCallContext | undefined,
  work: (args: z.output<S> & { ticker: string }) => Promise<object>,
): Promise<CallToolResult> {
  const { name, deps } = spec;
  const signal = call?.signal;
  // Sent from the gateway's background lane: this call's upstream requests wait behind every user request.
  const priority = call?._meta?.[PRIORITY_META_KEY] === 'background' ? 'background' : 'user';
  let ticker: string | undefined;
  try {
    if (deps.latencyMs > 0) await sleep(deps.latencyMs, undefined, signal ? { signal } : undefined);
    const parsed = spec.input.safeParse(rawArgs ?? {});
    if (!parsed.success) {
      throw new InvalidInputError(describeIssues(name, parsed.error, Object.keys(spec.input.shape)));
    }
    const args = parsed.data as z.output<S> & { ticker: string };
    if ('ticker' in spec.input.shape) {
      args.ticker = normalizeTicker(String(args.ticker));
      ticker = args.ticker;
    }
    const data = await withUpstreamPriority(priority, () => work(args));
    const checked = spec.output.safeParse(data);
    if (!checked.success) {
      logger.error({ tool: name, ticker: args.ticker, issues: checked.error.issues }, 'tool output off contract');
      const where = checked.error.issues.map((i) => i.path.join('.') || '(root)').slice(0, 3);
      return errorResult(
        ErrorCode.ToolFailed,
        `${name} produced data for ${args.ticker} that does not match its published shape (at ${where.join(', ')}).`,
      );
    }
    logger.trace({ tool: name, ticker: args.ticker }, 'tool call answered');
    return successResult(data);
  } catch (err) {
    logger.trace({ tool: name, err }, 'tool call answered with an error');
    const result = toErrorResult(name, deps, err, signal, ticker);
    // The upstream requests made for a "no data" answer or a failure count like an answer's provenance.upstream.
    const used = usageOf(err);
    return used ? { ...result, _meta: { ...result._meta, upstream: used } } : result;
  }
}

/**
 * What a "no data" answer adds when the provider can list its coverage: the other tools that do have data for the
 * ticker (`Tools with data for SPY: get_price_history, analyze_stock.`), or that it has none at all.
 */
function otherTools(tool: string, deps: ToolDeps, ticker: string): { text: string; tools: string[] } | undefined {
  let entry: TickerCoverage | undefined;
  try {
    entry = deps.provider.coverage?.()?.find((c) => c.ticker === ticker);
  } catch (err) {
    logger.warn({ err, tool }, 'could not list coverage for a data_unavailable answer');
  }
  if (!entry) return undefined;
  const tools = toolsWith(entry.has).filter((t) => t !== tool);
  if (tools.length > 0) return { text: ` Tools with data for ${ticker}: ${tools.join(', ')}.`, tools };
  return {
    text: entry.has.length === 0 ? ` This server has no data for ${ticker}.` : ` No other tool has data for ${ticker}.`,
    tools,
  };
}

function toErrorResult(
  tool: string,
  deps: ToolDeps,
  err: unknown,
  signal: AbortSignal | undefined,
  ticker?: string,
): CallToolResult {
  if (signal?.aborted) return errorResult(ErrorCode.Cancelled, `${tool} was cancelled by the client.`);
  if (err instanceof UnknownTickerError) {
    let suggestions = [...err.suggestions];
    if (suggestions.length === 0) {
      try {
        suggestions = closeMatches(err.ticker, deps.provider.tickers());
      } catch (listErr) {
        logger.warn({ err: listErr, tool }, 'could not list known tickers for suggestions');
      }
    }
    const withHints = suggestions.length > 0 ? new UnknownTickerError(err.ticker, suggestions) : err;
    return errorResult(ErrorCode.UnknownTicker, withHints.message, suggestions, err.ticker);
  }
  if (err instanceof DataUnavailableError) {
    const others = ticker !== undefined ? otherTools(tool, deps, ticker) : undefined;
    const result = errorResult(err.code, `${err.message}${others?.text ?? ''}`);
    const meta: ToolErrorMeta = { ...(result._meta as ToolErrorMeta) };
    if (others) Object.assign(meta, { ticker, tools: others.tools });
    if (err.provisional) meta.provisional = true;
    return { ...result, _meta: meta };
  }
  if (err instanceof TickerdeskError) return errorResult(err.code, err.message);
  logger.error({ err, tool }, 'tool failed unexpectedly');
  const reason = err instanceof Error ? err.message : String(err);
  return errorResult(ErrorCode.ToolFailed, `${tool} failed: ${reason || 'unexpected error'}.`);
}
