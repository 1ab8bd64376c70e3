/**
 * A local stand-in for the Anthropic Messages API, for tests: a node:http server on 127.0.0.1 (port 0) that speaks the
 * real wire format so the official SDK can be pointed at it with `baseURL`.
 *
 * - `POST /v1/messages` with `stream: true` answers Server-Sent Events in Anthropic's order (message_start with usage
 *   incl. `cache_creation_input_tokens`/`cache_read_input_tokens`, content_block_start, ping, content_block_delta
 *   text_delta…, content_block_stop, message_delta with `output_tokens`, message_stop); without `stream` it answers
 *   one JSON message.
 * - `GET /v1/models/{id}` answers a model record (used by start-up key checks).
 * - Auth: `x-api-key` or `Authorization: Bearer`; with `validKeys` set, other keys get a 401 authentication_error.
 * - Prompt caching: the prefix — the tools, then `system` up to its last `cache_control` block — is "written" when a
 *   response starts; later requests with a byte-identical prefix (and model) report it as `cache_read_input_tokens`.
 * - Every request is recorded (`requests`); replies are scripted per request with {@link AnthropicStandIn.enqueue}
 *   (first queued reply whose `when` matches), else the default `respond` function.
 * - Tool use: a `tool_use` reply streams an optional text block, then one `tool_use` block per call (its input as
 *   `input_json_delta` chunks, the way the API streams it) and stops with `stop_reason: 'tool_use'`; the client
 *   answers with `tool_result` blocks in its next request (`toolResults(request)` reads them).
 * Tokens are counted as ceil(characters / 4).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A scripted reply. */
export type StandInReply =
  /**
   * Text answer, streamed in these chunks (or joined for non-streaming requests). `delayMs` between chunks;
   * `startDelayMs` before the response starts (headers and message_start).
   */
  | { kind: 'text'; chunks: string[]; delayMs?: number; startDelayMs?: number }
  /** 529 overloaded_error. `retryAfterMs` sets the `retry-after-ms` header (keeps SDK retries fast in tests). */
  | { kind: 'overloaded'; retryAfterMs?: number }
  /** 429 rate_limit_error with `retry-after` (seconds) and, when given, `retry-after-ms`. */
  | { kind: 'rate-limited'; retryAfterSeconds?: number; retryAfterMs?: number }
  /** 500 api_error. */
  | { kind: 'server-error'; retryAfterMs?: number }
  /** 401 authentication_error. */
  | { kind: 'invalid-key' }
  /** Streams these chunks, then goes silent with the connection open (until the client aborts or the server closes). */
  | { kind: 'stall'; chunks: string[] }
  /** Streams these chunks, then drops the connection mid-message (no message_stop). */
  | { kind: 'drop'; chunks: string[] }
  /**
   * A turn that asks for tools: `text` first (optional), then each call as a `tool_use` block (ids
   * `toolu_standin_<n>`), `stop_reason: 'tool_use'`. Several calls in one turn are parallel tool use.
   */
  | { kind: 'tool_use'; text?: string[]; calls: { name: string; input: Record<string, unknown> }[] };

/** One recorded request. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Parsed JSON body (`undefined` for GET). */
  // biome-ignore lint/suspicious/noExplicitAny: the Messages API body, read freely by tests
  body: any;
  /** The key the client sent, from `x-api-key` or `Authorization: Bearer`. */
  apiKey: string | undefined;
  /** Which header carried the key. */
  authVia: 'x-api-key' | 'bearer' | 'none';
  /** What the stand-in answered (reply kind, or `models`/`unauthorized`). */
  answered: string;
  /** Usage reported for this request (messages only). */
  usage?: {
    input_tokens: number;
    cache_creation_input_tokens: number;
    cache_read_input_tokens: number;
    output_tokens: number;
  };
}

/** Options of {@link startAnthropicStandIn}. */
export interface StandInOptions {
  /** Keys accepted; any non-empty key when omitted. */
  validKeys?: string[];
  /** Default reply when nothing queued matches. @default a short text reply */
  respond?: (request: RecordedRequest) => StandInReply;
}

/** A running stand-in. */
export interface AnthropicStandIn {
  /** `http://127.0.0.1:PORT` (no `/v1`), for `ANTHROPIC_BASE_URL`. */
  readonly url: string;
  /** Every request, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Queue a reply for the next request that `when` accepts (any request when omitted). */
  enqueue(reply: StandInReply, when?: (request: RecordedRequest) => boolean): void;
  /** Replace the default responder. */
  respond(fn: (request: RecordedRequest) => StandInReply): void;
  /** Message requests only (POST /v1/messages). */
  messages(): RecordedRequest[];
  close(): Promise<void>;
}

const tokens = (s: string) => Math.ceil(s.length / 4);

/** The text of a request's user messages, joined (handy in `when` predicates). */
export function userText(request: RecordedRequest): string {
  const msgs: { role: string; content: string | { type: string; text?: string }[] }[] = request.body?.messages ?? [];
  return msgs
    .filter((m) => m.role === 'user')
    .map((m) => (typeof m.content === 'string' ? m.content : m.content.map((b) => b.text ?? '').join('')))
    .join('\n');
}

/** The `tool_result` blocks of a request's last user message (what the client answered to the previous tool turn). */
export function toolResults(request: RecordedRequest): { tool_use_id: string; content: string; is_error?: boolean }[] {
  const msgs: { role: string; content: unknown }[] = request.body?.messages ?? [];
  const last = msgs[msgs.length - 1];
  if (last?.role !== 'user' || !Array.isArray(last.content)) return [];
  return (last.content as { type: string; tool_use_id?: string; content?: unknown; is_error?: boolean }[])
    .filter((b) => b.type === 'tool_result')
    .map((b) => ({
      tool_use_id: b.tool_use_id ?? '',
      content:
        typeof b.content === 'string'
          ? b.content
          : Array.isArray(b.content)
            ? (b.content as { text?: string }[]).map((c) => c.text ?? '').join('')
            : '',
      ...(b.is_error ? { is_error: true } : {}),
    }));
}

/** The system prompt's blocks as sent (string system prompts become one block). */
export function systemBlocks(request: RecordedRequest): { type: string; text: string; cache_control?: unknown }[] {
  const s = request.body?.system;
  if (s === undefined) return [];
  return typeof s === 'string' ? [{ type: 'text', text: s }] : s;
}

/**
 * The cached prefix of a request: its tools (Anthropic's cache order is tools, then system, then messages), then the
 * system blocks up to the last one marked `cache_control`; `undefined` when none is marked.
 */
function cachedPrefix(body: RecordedRequest['body']): string | undefined {
  const blocks: { cache_control?: unknown }[] = Array.isArray(body?.system) ? body.system : [];
  let last = -1;
  blocks.forEach((b, i) => {
    if (b.cache_control) last = i;
  });
  if (last < 0) return undefined;
  const tools = Array.isArray(body?.tools) && body.tools.length > 0 ? JSON.stringify(body.tools) : '';
  return tools + JSON.stringify(blocks.slice(0, last + 1));
}

function sse(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function errorJson(res: ServerResponse, status: number, type: string, message: string, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_standin_${status}`, ...headers });
  res.end(JSON.stringify({ type: 'error', error: { type, message }, request_id: `req_standin_${status}` }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Start a stand-in on 127.0.0.1 with a free port.
 * @example const standIn = await startAnthropicStandIn(); loadConfig({ ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: standIn.url })
 */
export async function startAnthropicStandIn(options: StandInOptions = {}): Promise<AnthropicStandIn> {
  const requests: RecordedRequest[] = [];
  const queue: { reply: StandInReply; when?: (r: RecordedRequest) => boolean }[] = [];
  const written = new Set<string>();
  const open = new Set<ServerResponse>();
  let respond = options.respond ?? (() => ({ kind: 'text', chunks: ['Stand-in ', 'answer.'] }) as StandInReply);
  let seq = 0;
  let toolSeq = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const auth = req.headers.authorization;
    const xKey = req.headers['x-api-key'];
    const apiKey = typeof xKey === 'string' ? xKey : auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0] ?? '/',
      body: raw ? JSON.parse(raw) : undefined,
      apiKey,
      authVia: typeof xKey === 'string' ? 'x-api-key' : auth ? 'bearer' : 'none',
      answered: '',
    };
    requests.push(record);
    if (!apiKey || (options.validKeys && !options.validKeys.includes(apiKey))) {
      record.answered = 'unauthorized';
      return errorJson(res, 401, 'authentication_error', 'invalid x-api-key');
    }
    const model = record.path.match(/^\/v1\/models\/(.+)$/);
    if (record.method === 'GET' && model) {
      record.answered = 'models';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          type: 'model',
          id: decodeURIComponent(model[1] ?? ''),
          display_name: 'Stand-in model',
          created_at: '2026-01-01T00:00:00Z',
          deprecated_at: null,
          capabilities: null,
        }),
      );
      return;
    }
    if (record.method !== 'POST' || record.path !== '/v1/messages') {
      record.answered = 'not_found';
      return errorJson(res, 404, 'not_found_error', `No route ${record.method} ${record.path}`);
    }
    const i = queue.findIndex((q) => !q.when || q.when(record));
    const reply = i >= 0 ? (queue.splice(i, 1)[0]?.reply ?? respond(record)) : respond(record);
    record.answered = reply.kind;
    switch (reply.kind) {
      case 'overloaded':
        return errorJson(res, 529, 'overloaded_error', 'Overloaded', retryHeaders(reply.retryAfterMs));
      case 'rate-limited':
        return errorJson(res, 429, 'rate_limit_error', 'Number of request tokens has exceeded your rate limit.', {
          'retry-after': String(reply.retryAfterSeconds ?? 1),
          ...retryHeaders(reply.retryAfterMs),
        });
      case 'server-error':
        return errorJson(res, 500, 'api_error', 'Internal server error', retryHeaders(reply.retryAfterMs));
      case 'invalid-key':
        return errorJson(res, 401, 'authentication_error', 'invalid x-api-key');
      default:
        return answer(res, record, reply, `msg_standin_${++seq}`);
    }
  };

  const answer = async (
    res: ServerResponse,
    record: RecordedRequest,
    reply: Extract<StandInReply, { kind: 'text' | 'stall' | 'drop' | 'tool_use' }>,
    id: string,
  ): Promise<void> => {
    if (reply.kind === 'text' && reply.startDelayMs) await sleep(reply.startDelayMs);
    const body = record.body;
    const prefix = cachedPrefix(body);
    const cacheKey = prefix === undefined ? undefined : `${body.model}\u0000${prefix}`;
    const all = JSON.stringify(body.system ?? '') + JSON.stringify(body.messages ?? []);
    const prefixTokens = prefix === undefined ? 0 : tokens(prefix);
    const hit = cacheKey !== undefined && written.has(cacheKey);
    const usage = {
      input_tokens: tokens(all) - prefixTokens,
      cache_creation_input_tokens: hit ? 0 : prefixTokens,
      cache_read_input_tokens: hit ? prefixTokens : 0,
      output_tokens: 0,
    };
    if (cacheKey !== undefined) written.add(cacheKey);
    const chunks = reply.kind === 'tool_use' ? (reply.text ?? []) : reply.chunks;
    const text = chunks.join('');
    const toolUses =
      reply.kind === 'tool_use'
        ? reply.calls.map((c) => ({
            type: 'tool_use' as const,
            id: `toolu_standin_${++toolSeq}`,
            name: c.name,
            input: c.input,
          }))
        : [];
    const stopReason = toolUses.length > 0 ? 'tool_use' : 'end_turn';
    record.usage = usage;
    const message = {
      id,
      type: 'message',
      role: 'assistant',
      model: body.model,
      content: [] as unknown[],
      stop_reason: null as string | null,
      stop_sequence: null,
      usage: { ...usage, output_tokens: 1 },
    };
    if (!body.stream) {
      usage.output_tokens = tokens(text) + tokens(JSON.stringify(toolUses));
      const content = [...(text || toolUses.length === 0 ? [{ type: 'text', text }] : []), ...toolUses];
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_${id}` });
      res.end(JSON.stringify({ ...message, content, stop_reason: stopReason, usage }));
      return;
    }
    open.add(res);
    res.on('close', () => open.delete(res));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': `req_${id}` });
    sse(res, 'message_start', { type: 'message_start', message });
    const hasText = reply.kind !== 'tool_use' || chunks.length > 0;
    if (hasText) {
      sse(res, 'content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text', text: '' },
      });
    }
    sse(res, 'ping', { type: 'ping' });
    const delay = reply.kind === 'text' ? (reply.delayMs ?? 0) : 0;
    for (const chunk of chunks) {
      if (res.destroyed) return;
      if (delay > 0) await sleep(delay);
      sse(res, 'content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: chunk },
      });
    }
    if (reply.kind === 'stall') return; // silent until the client gives up
    if (reply.kind === 'drop') {
      await sleep(50); // let what was written reach the client first
      res.destroy(); // the connection breaks mid-message
      return;
    }
    usage.output_tokens = tokens(text) + tokens(JSON.stringify(toolUses));
    if (hasText) sse(res, 'content_block_stop', { type: 'content_block_stop', index: 0 });
    let index = hasText ? 1 : 0;
    for (const use of toolUses) {
      sse(res, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: use.id, name: use.name, input: {} },
      });
      // The input arrives as partial JSON, cut anywhere (here: in two pieces).
      const json = JSON.stringify(use.input);
      const cut = Math.floor(json.length / 2);
      for (const partial of [json.slice(0, cut), json.slice(cut)]) {
        sse(res, 'content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: partial },
        });
      }
      sse(res, 'content_block_stop', { type: 'content_block_stop', index });
      index += 1;
    }
    sse(res, 'message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    });
    sse(res, 'message_stop', { type: 'message_stop' });
    res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) errorJson(res, 500, 'api_error', String(err));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue(reply, when) {
      queue.push(when ? { reply, when } : { reply });
    },
    respond(fn) {
      respond = fn;
    },
    messages: () => requests.filter((r) => r.path === '/v1/messages'),
    close: async () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function retryHeaders(ms: number | undefined): Record<string, string> {
  return ms === undefined ? {} : { 'retry-after-ms': String(ms) };
}

/**
 * Script a follow-up answer with tool use, as the tests and `npm run bench` use it: a first turn that asks for AMD's
 * annual statements twice and two other tools in parallel, a second that asks for the statements again (a cache
 * hit) and the profile, then a text turn citing NVDA's FY2026 revenue by reference.
 */
export function scriptComparisonAnswer(standIn: AnthropicStandIn): void {
  const amd = { ticker: 'AMD', period: 'annual', limit: 3 };
  standIn.enqueue({
    kind: 'tool_use',
    text: ['Comparing with AMD. '],
    calls: [
      { name: 'get_company_financials', input: amd },
      { name: 'get_company_financials', input: amd },
      { name: 'analyze_stock', input: { ticker: 'AMD' } },
      { name: 'get_analyst_ratings', input: { ticker: 'AMD' } },
    ],
  });
  standIn.enqueue({
    kind: 'tool_use',
    calls: [
      { name: 'get_company_financials', input: amd },
      { name: 'get_company_profile', input: { ticker: 'AMD' } },
    ],
  });
  standIn.enqueue({ kind: 'text', chunks: ['NVIDIA’s revenue was {reven', 'ue.FY2026} in FY2026.'] });
}
