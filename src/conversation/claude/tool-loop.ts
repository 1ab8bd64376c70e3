/**
 * Claude's tool-use loop for one follow-up answer: stream a turn (`messages.stream()`), and when it stops for tools,
 * run every tool call of the turn at once through the gateway (so duplicates in one turn are coalesced by
 * single-flight, and repeats across turns are cache hits), hand the results back, and go on — for at most `maxTurns`
 * model calls. The last allowed call is sent with `tool_choice: none`, so the answer always ends in text. Text is
 * handed to `onText` as it streams, every turn's.
 *
 * Stalls and deadlines as the writer's calls: a started stream silent for `idleTimeoutMs` ends with an
 * IdleTimeoutError; `signal` (the caller's, with the answer's deadline) aborts the stream or the tool calls in flight.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { APIUserAbortError } from '@anthropic-ai/sdk';
import type {
  ContentBlock,
  MessageParam,
  TextBlockParam,
  Tool,
  ToolResultBlockParam,
  ToolUseBlock,
} from '@anthropic-ai/sdk/resources/messages/messages.js';
import type { ToolGateway } from '../../tools/types.js';
import { idleTimer } from '../../writers/claude/caller.js';
import type { UsageMeter } from '../../writers/claude/usage.js';
import { type ToolRoute, toolResultText } from './tools.js';

/** One tool call the model made, as served by the gateway. */
export interface LoopToolCall {
  /** `server/tool`; a refused call (a name that was not offered): the name as the model gave it. */
  tool: string;
  args: Record<string, unknown>;
  cache: 'hit' | 'miss' | 'coalesced' | 'error';
  /** Caller-visible latency, ms. */
  ms: number;
  /** The turn (1-based) that asked for it. */
  turn: number;
}

/** Options of {@link runToolLoop}. */
export interface ToolLoopOptions {
  client: Anthropic;
  model: string;
  /** The system prompt (the run's cached prefix). */
  system: TextBlockParam[];
  tools: Tool[];
  /**
   * The server and tool behind each name offered in `tools` (`FollowUpToolset.route`); a call to a name it does not
   * route is answered with an error result and never reaches a server.
   */
  route: (name: string) => ToolRoute | undefined;
  gateway: ToolGateway;
  /** Most model calls (turns), the last one without tools. */
  maxTurns: number;
  maxTokens: number;
  /** Silence of a started stream before it is ended as stalled, ms. */
  idleTimeoutMs: number;
  signal: AbortSignal;
  meter: UsageMeter;
  onText: (delta: string) => void;
  onToolCall?: (call: LoopToolCall) => void;
  /** Called when a turn's response starts (message_start), with the turn number. */
  onTurn?: (turn: number) => void;
  /** Turns already had (a rewrite continues the answer's conversation); the user message follows them. */
  history?: MessageParam[];
  /** Awaited after a turn's tool calls, before the next turn is sent (e.g. to learn the figures they bring). */
  beforeNextTurn?: () => Promise<void>;
}

/** What the loop ends with. */
export interface ToolLoopResult {
  /** Every turn's text, joined. */
  text: string;
  /** Model calls made. */
  turns: number;
  /** True when the answer came from the last allowed turn (sent with `tool_choice: none`): the bound ended the tool use. */
  turnBound: boolean;
  /** The conversation as sent and answered, ending with the model's last turn. */
  messages: MessageParam[];
}

/**
 * Run the loop for the user message `user`.
 * @throws the SDK's APIError after its retries; IdleTimeoutError on a stall; the signal's reason when it aborts.
 */
export async function runToolLoop(user: string, options: ToolLoopOptions): Promise<ToolLoopResult> {
  const messages: MessageParam[] = [...(options.history ?? []), { role: 'user', content: user }];
  let text = '';
  for (let turn = 1; turn <= options.maxTurns; turn++) {
    const last = turn === options.maxTurns;
    const content = await streamTurn(messages, last, turn, options, (delta) => {
      text += delta;
      options.onText(delta);
    });
    messages.push({ role: 'assistant', content });
    const uses = content.filter((b): b is ToolUseBlock => b.type === 'tool_use');
    if (uses.length === 0) return { text, turns: turn, turnBound: last && turn > 1, messages };
    // The last allowed turn asked for tools all the same: none is run.
    if (last) break;
    // Every call of the turn at once: identical ones share one flight in the gateway.
    const results = await Promise.all(uses.map((use) => runTool(use, turn, options)));
    messages.push({ role: 'user', content: results });
    await options.beforeNextTurn?.();
  }
  return { text, turns: options.maxTurns, turnBound: true, messages };
}

/** Stream one turn; returns its content blocks (text and tool_use). */
async function streamTurn(
  messages: MessageParam[],
  last: boolean,
  turn: number,
  options: ToolLoopOptions,
  onText: (delta: string) => void,
): Promise<ContentBlock[]> {
  const idle = idleTimer(options.idleTimeoutMs);
  const stream = options.client.messages.stream(
    {
      model: options.model,
      max_tokens: options.maxTokens,
      system: options.system,
      tools: options.tools,
      ...(last ? { tool_choice: { type: 'none' as const } } : {}),
      messages,
    },
    { signal: AbortSignal.any([options.signal, idle.signal]) },
  );
  stream.on('error', () => {}); // errors surface through iteration below
  let started = false;
  try {
    for await (const event of stream) {
      idle.touch();
      if (event.type === 'message_start') {
        started = true;
        options.onTurn?.(turn);
      } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
        onText(event.delta.text);
      }
    }
    const message = await stream.finalMessage();
    options.meter.add(message.usage);
    started = false;
    return message.content;
  } catch (err) {
    if (options.signal.aborted && (err instanceof APIUserAbortError || options.signal.reason === err)) {
      throw options.signal.reason;
    }
    if (idle.signal.aborted) throw idle.signal.reason;
    throw err;
  } finally {
    idle.clear();
    if (!stream.ended) stream.abort();
    // A turn cut off after it started still used tokens: count what the stream reported.
    if (started && stream.currentMessage) options.meter.add(stream.currentMessage.usage);
  }
}

/** Serve one tool call through the gateway; its outcome becomes the `tool_result` block. */
async function runTool(use: ToolUseBlock, turn: number, options: ToolLoopOptions): Promise<ToolResultBlockParam> {
  const args = (use.input && typeof use.input === 'object' ? use.input : {}) as Record<string, unknown>;
  const route = options.route(use.name);
  if (!route) {
    options.onToolCall?.({ tool: use.name, args, cache: 'error', ms: 0, turn });
    return {
      type: 'tool_result',
      tool_use_id: use.id,
      is_error: true,
      content: `The tool ${use.name} is not available for follow-up answers.`,
    };
  }
  const tool = `${route.server}/${route.tool}`;
  const started = performance.now();
  try {
    const result = await options.gateway.call(
      { server: route.server, tool: route.tool, args },
      { signal: options.signal },
    );
    options.onToolCall?.({ tool, args, cache: result.cache, ms: result.ms, turn });
    return { type: 'tool_result', tool_use_id: use.id, content: toolResultText(result.data) };
  } catch (err) {
    if (options.signal.aborted) throw options.signal.reason;
    options.onToolCall?.({ tool, args, cache: 'error', ms: Math.round(performance.now() - started), turn });
    // A tool's failure is the model's to read (an unknown ticker, no data): it can say so or try another way.
    return {
      type: 'tool_result',
      tool_use_id: use.id,
      is_error: true,
      content: err instanceof Error ? err.message : String(err),
    };
  }
}
