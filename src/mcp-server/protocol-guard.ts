/**
 * JSON-RPC edges the SDK leaves rough, handled at the transport so that a client always gets a plain answer:
 *
 * - a line that is not JSON gets `-32700 Parse error`, a JSON line that is not a JSON-RPC message `-32600 Invalid
 *   Request` (both with `"id": null`, as JSON-RPC 2.0 requires when the id could not be read), and both are logged at
 *   debug (the SDK's own schema types the id as optional, hence the casts);
 * - a request to a method we serve whose `params` do not fit (`tools/call` with `arguments: "NVDA"`, or no params)
 *   gets `-32602 Invalid params` with one plain sentence, where the SDK would answer `-32603` with a raw zod dump.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  type JSONRPCMessage,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { Logger } from '../log.js';

/** Request schemas of the methods whose params we check, by method. */
const REQUEST_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  'tools/call': CallToolRequestSchema,
  'tools/list': ListToolsRequestSchema,
  'resources/list': ListResourcesRequestSchema,
  'resources/templates/list': ListResourceTemplatesRequestSchema,
  'resources/read': ReadResourceRequestSchema,
};

/** What a request's params should hold, in words, for the methods we check. */
const EXPECTED_PARAMS: Readonly<Record<string, string>> = {
  'tools/call':
    'an object with the tool\'s "name" and its "arguments" as an object, e.g. {"name": "get_company_profile", "arguments": {"ticker": "NVDA"}}',
  'resources/read': 'an object with the resource\'s "uri"',
};

const TYPE_WORDS: Readonly<Record<string, string>> = {
  object: 'an object',
  record: 'an object',
  string: 'text',
  number: 'a number',
  array: 'a list',
  boolean: 'true or false',
};

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'text';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The value at `path` inside `root`, or undefined. */
function at(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path)
    v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/**
 * One plain sentence for a request whose params do not fit its method, e.g. `Invalid params for tools/call:
 * "arguments" must be an object, not text.`
 */
export function invalidParamsMessage(method: string, request: unknown, issues: readonly z.core.$ZodIssue[]): string {
  const issue = issues[0];
  if (!issue) return `Invalid params for ${method}.`;
  const inParams = issue.path[0] === 'params' ? issue.path.slice(1) : issue.path;
  const subject = inParams.length > 0 ? `"${inParams.join('.')}"` : 'params';
  const value = at(request, issue.path);
  if (issue.code === 'invalid_type') {
    const expected = TYPE_WORDS[issue.expected] ?? `a ${issue.expected}`;
    if (value === undefined && inParams.length === 0) {
      return `Invalid params for ${method}: params are missing; send ${EXPECTED_PARAMS[method] ?? expected}.`;
    }
    return value === undefined
      ? `Invalid params for ${method}: ${subject} is missing; it must be ${expected}.`
      : `Invalid params for ${method}: ${subject} must be ${expected}, not ${kindOf(value)}.`;
  }
  return `Invalid params for ${method}: ${subject}: ${issue.message.replace(/\.$/, '')}.`;
}

function isRequest(message: JSONRPCMessage): message is JSONRPCMessage & { id: string | number; method: string } {
  return 'method' in message && 'id' in message && message.id !== undefined;
}

/**
 * Install the guard on a transport the server is already connected to (it wraps the `onmessage` and `onerror`
 * the SDK set in `connect`). Never throws; answers it cannot send are logged at debug.
 */
export function guardProtocol(transport: Transport, logger: Logger): void {
  const deliver = transport.onmessage;
  const report = transport.onerror;
  const answer = (message: JSONRPCMessage) =>
    transport.send(message).catch((err: unknown) => logger.debug({ err }, 'could not answer a protocol error'));

  transport.onmessage = (message, extra) => {
    if (isRequest(message)) {
      const schema = REQUEST_SCHEMAS[message.method];
      const checked = schema?.safeParse(message);
      if (checked && !checked.success) {
        const text = invalidParamsMessage(message.method, message, checked.error.issues);
        logger.debug({ method: message.method, id: message.id, issues: checked.error.issues }, text);
        void answer({ jsonrpc: '2.0', id: message.id, error: { code: ErrorCode.InvalidParams, message: text } });
        return;
      }
    }
    deliver?.(message, extra);
  };

  transport.onerror = (error) => {
    // The stdio transport reports a line it could not read as an error: not JSON (JSON.parse's SyntaxError) or
    // JSON that is no JSON-RPC message (the SDK's zod error).
    if (error instanceof SyntaxError) {
      logger.debug({ err: error }, 'a line on stdin is not JSON; answered -32700');
      void answer({
        jsonrpc: '2.0',
        id: null,
        error: { code: ErrorCode.ParseError, message: `Parse error: a line is not JSON (${error.message}).` },
      } as unknown as JSONRPCMessage);
      return;
    }
    if (error.name === 'ZodError') {
      logger.debug({ err: error }, 'a line on stdin is not a JSON-RPC message; answered -32600');
      void answer({
        jsonrpc: '2.0',
        id: null,
        error: {
          code: ErrorCode.InvalidRequest,
          message: 'Invalid Request: the line is JSON but not a JSON-RPC 2.0 message.',
        },
      } as unknown as JSONRPCMessage);
      return;
    }
    report?.(error);
  };
}
