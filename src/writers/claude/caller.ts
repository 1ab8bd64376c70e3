/**
 * One run's calls to Claude: every call streams (`messages.stream()`) with the run's system prefix and its own user
 * message, and its usage is added to the run's meter.
 *
 * Cache warm-up: Anthropic writes a prompt-cache entry when the first response using the prefix starts; requests
 * sent before that pay for the prefix again. So the first call goes alone and the others wait until its response has
 * started (or it failed), then go in parallel and read the prefix from the cache. This costs the others one
 * time-to-first-token once per run and saves paying the data prefix up to three more times. The wait is capped
 * (`warmWaitMs`): if the first response is slow to start, the others go anyway and pay for the prefix.
 *
 * Stalls: once a response has started, a stream that sends nothing more (no event, not even a ping) for
 * `idleTimeoutMs` is ended with an {@link IdleTimeoutError}, long before the call's overall deadline. Before the first
 * event, the SDK's request timeout and the deadline apply (a busy machine slow to connect is no stall).
 */
import type Anthropic from '@anthropic-ai/sdk';
import { APIUserAbortError } from '@anthropic-ai/sdk';
import type { TextBlockParam, Tool } from '@anthropic-ai/sdk/resources/messages/messages.js';
import type { Logger } from '../../log.js';
import { DeadlineError, IdleTimeoutError } from './client.js';
import type { ApiUsage, UsageMeter } from './usage.js';

/** Options of one call. */
export interface CallOptions {
  /** Aborts the call (the writer's deadline signal, combined with the caller's). */
  signal: AbortSignal;
  /** `max_tokens` of the answer. */
  maxTokens: number;
}

/** Streams Claude's answers for one run, with one shared system prefix. */
export class ClaudeCaller {
  readonly #client: Anthropic;
  readonly #model: string;
  readonly #system: TextBlockParam[];
  readonly #meter: UsageMeter;
  readonly #log: Logger;
  readonly #warmWaitMs: number;
  readonly #idleTimeoutMs: number;
  #warm: Promise<void> | undefined;
  /** Tools sent (never called: `tool_choice: none`) so the prefix is the follow-up answerer's too. */
  readonly #tools: readonly Tool[];

  /**
   * @param warmWaitMs longest wait for the first response to start before sending another call, ms.
   * @param idleTimeoutMs longest silence of a started stream (between two events) before it is ended as stalled, ms.
   *   @default Infinity (none)
   * @param tools tool definitions sent with every call and never used (`tool_choice: none`): Anthropic's cache prefix
   *   starts with the tools, so sending the follow-up answerer's tools makes the run's cached prefix its too.
   */
  constructor(
    client: Anthropic,
    model: string,
    system: TextBlockParam[],
    meter: UsageMeter,
    log: Logger,
    warmWaitMs = 10_000,
    idleTimeoutMs = Number.POSITIVE_INFINITY,
    tools: readonly Tool[] = [],
  ) {
    this.#tools = tools;
    this.#client = client;
    this.#model = model;
    this.#system = system;
    this.#meter = meter;
    this.#log = log;
    this.#warmWaitMs = warmWaitMs;
    this.#idleTimeoutMs = idleTimeoutMs;
  }

  /**
   * Stream the text of one answer, delta by delta.
   * @throws the SDK's APIError after its retries; DeadlineError or the caller's abort reason when `signal` aborts;
   *   IdleTimeoutError when the stream stays silent for `idleTimeoutMs`.
   */
  async *stream(user: string, options: CallOptions): AsyncGenerator<string> {
    const { signal } = options;
    let opened: (() => void) | undefined;
    if (this.#warm === undefined) {
      this.#warm = new Promise<void>((resolve) => {
        opened = resolve;
      });
    } else {
      await waitOrAbort(this.#warm, signal, this.#warmWaitMs);
    }
    const usage: ApiUsage = {};
    let started = false;
    const idle = idleTimer(this.#idleTimeoutMs);
    const stream = this.#client.messages.stream(
      {
        model: this.#model,
        max_tokens: options.maxTokens,
        system: this.#system,
        messages: [{ role: 'user', content: user }],
        ...(this.#tools.length > 0 ? { tools: [...this.#tools], tool_choice: { type: 'none' as const } } : {}),
      },
      { signal: AbortSignal.any([signal, idle.signal]) },
    );
    stream.on('error', () => {}); // errors surface through iteration below
    try {
      for await (const event of stream) {
        idle.touch();
        if (event.type === 'message_start') {
          started = true;
          Object.assign(usage, event.message.usage);
          opened?.();
        } else if (event.type === 'message_delta') {
          for (const [k, v] of Object.entries(event.usage))
            if (v !== null && v !== undefined) Object.assign(usage, { [k]: v });
        } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
          yield event.delta.text;
        }
      }
    } catch (err) {
      if (signal.aborted && (err instanceof APIUserAbortError || signal.reason === err)) {
        throw signal.reason instanceof Error ? signal.reason : new DeadlineError(0);
      }
      if (idle.signal.aborted) throw idle.signal.reason;
      throw err;
    } finally {
      idle.clear();
      opened?.();
      if (!stream.ended) stream.abort();
      if (started) this.#meter.add(usage);
      this.#log.debug({ usage, started }, 'claude call finished');
    }
  }

  /** The whole text of one answer. Same errors as {@link stream}. */
  async complete(user: string, options: CallOptions): Promise<string> {
    let text = '';
    for await (const delta of this.stream(user, options)) text += delta;
    return text;
  }
}

/**
 * A signal that aborts with an {@link IdleTimeoutError} once `ms` pass after a `touch()` without another; armed by the
 * first `touch()`; never when `ms` is infinite. Call `clear()` when the stream ends.
 */
export function idleTimer(ms: number) {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  return {
    signal: controller.signal,
    touch: () => {
      if (timer) timer.refresh();
      else if (Number.isFinite(ms)) timer = setTimeout(() => controller.abort(new IdleTimeoutError(ms)), ms);
    },
    clear: () => clearTimeout(timer),
  };
}

/** Wait for `promise` (its outcome does not matter) at most `ms`; reject with the abort reason if `signal` aborts. */
function waitOrAbort(promise: Promise<void>, signal: AbortSignal, ms: number): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      done();
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      () => {
        done();
        resolve();
      },
      () => {
        done();
        resolve();
      },
    );
  });
}
