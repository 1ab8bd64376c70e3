/**
 * The Claude answerer (issue 14, part 2): a {@link FollowUpAnswerer} that answers a follow-up with Claude and tool use.
 *
 * - **Prefix**: the run's bundle is read back through the gateway (cache hits) and the writer's system prompt rebuilt
 *   from it byte for byte — shared instructions and the run's data block, marked for caching — so every turn of an
 *   answer, and every later answer in the thread, reads the run's data from the prompt cache.
 * - **Tools**: the mounted MCP servers' tools (their `tools/list`, narrowed to each server's allow-list,
 *   `FOLLOW_UP_TOOLS`; by default the data server's {@link FOLLOW_UP_TOOLS} only), every call served
 *   through the tool gateway, the calls of a turn at once (duplicates coalesced, repeats cache hits); at most
 *   `maxTurns` model calls, the last without tools; the whole answer within `deadlineMs`.
 * - **Numbers**: text streams to `onText` sentence by sentence after the writer's check (`textFlags`): the run's
 *   figures are cited by `{id}` and printed by the code; a number from a tool result must match a figure the analysts
 *   compute from that ticker's data (read through the gateway). A failing sentence stops the release; the answer is
 *   asked again once, naming what was wrong; what still fails is marked `⚠️unverified` (counted in `stats()`), and
 *   a verdict or advice of the model's own is left out.
 * - **Failures**: an overloaded, stalled or late Claude (or one in its cool-off after a failure) gives the offline
 *   answer with a note saying why; text already shown stays. The caller's own abort rejects, as the port says.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { TextBlockParam } from '@anthropic-ai/sdk/resources/messages/messages.js';
import type { Config } from '../../config.js';
import { type Logger, logger as rootLogger } from '../../log.js';
import { analyzeBundle } from '../../research/analysts/index.js';
import { ANALYSTS, type DataBundle, type Figure } from '../../research/types.js';
import type { ToolGateway } from '../../tools/types.js';
import { ClaudeBreaker } from '../../writers/claude/breaker.js';
import { ClaudeCaller } from '../../writers/claude/caller.js';
import { CheckedText } from '../../writers/claude/checked-text.js';
import {
  ClaudeOffError,
  createAnthropicClient,
  deadlineSignal,
  isKeyError,
  keyError,
  unavailableReason,
} from '../../writers/claude/client.js';
import { ReferenceStream } from '../../writers/claude/references.js';
import { buildRunData } from '../../writers/claude/run-data.js';
import { textFlags } from '../../writers/claude/text-flags.js';
import { UsageMeter } from '../../writers/claude/usage.js';
import { formatFigure } from '../../writers/format.js';
import { buildClaimReference, REFERENCE, UNVERIFIED_MARK } from '../../writers/verify/index.js';
import { createOfflineAnswerer } from '../offline/index.js';
import type {
  AnswerOptions,
  AnswerToolCall,
  FigureUsed,
  FollowUpAnswer,
  FollowUpAnswerer,
  FollowUpQuestion,
  ThreadContext,
} from '../types.js';
import { answerRewriteTask, answerTask } from './prompt.js';
import { type LoopToolCall, runToolLoop } from './tool-loop.js';
import { type FollowUpAllowList, followUpAllowList, followUpToolset } from './tools.js';

export { FOLLOW_UP_TOOLS } from './tools.js';

/** Options of {@link createClaudeAnswerer}. */
export interface ClaudeAnswererOptions {
  config: Config;
  gateway: ToolGateway;
  logger?: Logger;
  /** A ready client (tests); built from `config` otherwise. */
  client?: Anthropic;
  /** Answers when Claude cannot. @default the offline answerer */
  fallback?: FollowUpAnswerer;
  /** The process's breaker. @default one of its own, with `ANTHROPIC_COOL_OFF_MS` */
  breaker?: ClaudeBreaker;
  /** Most model calls per answer (the last without tools). @default 4 */
  maxTurns?: number;
  /**
   * Longest one answer may take with Claude, ms; then the offline answer, with a note. Shorter than the conversation
   * service's own deadline (60 s), so that the offline answer still has time. @default 45000, at most `SECTION_DEADLINE_MS`
   */
  deadlineMs?: number;
  /** Tools the model may call, per server. @default `followUpAllowList(config.followUpTools)` */
  allowList?: FollowUpAllowList;
  /** SDK retries per request. @default 2 */
  maxRetries?: number;
}

/** Counters since the answerer was made. */
export interface ClaudeAnswererStats {
  answers: number;
  /** Answers given by the fallback because Claude could not. */
  fallbacks: number;
  /** Answers asked again once because of numbers or claims the data does not back. */
  rewrites: number;
  /** Numbers left marked unverified. */
  unverifiedFigures: number;
  /** Tool calls the model asked for, and of those how many reached a server (the rest: cache or coalesced). */
  toolCalls: number;
  serverCalls: number;
}

const MAX_TOKENS = 900;

/** Build the Claude answerer. @throws TickerdeskError(Config) when no API key is configured. */
export function createClaudeAnswerer(options: ClaudeAnswererOptions): FollowUpAnswerer & {
  stats(): ClaudeAnswererStats;
} {
  const { config, gateway } = options;
  const log = (options.logger ?? rootLogger).child({ answerer: 'claude' });
  const client = options.client ?? createAnthropicClient(config, log, options.maxRetries);
  const fallback = options.fallback ?? createOfflineAnswerer();
  const breaker = options.breaker ?? new ClaudeBreaker({ coolOffMs: config.anthropic.coolOffMs });
  const maxTurns = Math.max(1, options.maxTurns ?? 4);
  const deadlineMs = options.deadlineMs ?? Math.min(45_000, config.anthropic.sectionDeadlineMs);
  const allowList = options.allowList ?? followUpAllowList(config.followUpTools);
  const stats: ClaudeAnswererStats = {
    answers: 0,
    fallbacks: 0,
    rewrites: 0,
    unverifiedFigures: 0,
    toolCalls: 0,
    serverCalls: 0,
  };

  const offline = async (
    question: FollowUpQuestion,
    context: ThreadContext,
    signal: AbortSignal,
    reason: string,
    shown: boolean,
  ): Promise<FollowUpAnswer> => {
    stats.fallbacks += 1;
    const answer = await fallback.answer(question, context, { signal });
    const note = `Claude was unavailable (${reason}); answered offline${shown ? ', below the text already shown' : ''}.`;
    return { ...answer, fallback: note };
  };

  async function answer(
    question: FollowUpQuestion,
    context: ThreadContext,
    opts: AnswerOptions,
  ): Promise<FollowUpAnswer> {
    stats.answers += 1;
    const blocked = breaker.blocked();
    if (blocked !== undefined) return offline(question, context, opts.signal, blocked, false);
    const { record } = context;
    const dl = deadlineSignal(deadlineMs, opts.signal);
    const toolCalls: AnswerToolCall[] = [];
    const meter = new UsageMeter(config.anthropic.prices);
    let posted = '';
    const emit = (text: string) => {
      if (!text) return;
      posted += text;
      opts.onText?.(text);
    };
    try {
      // The run's data, read back through the gateway (cache hits), and the run's own system prefix.
      const own = await context.data.bundle(record.ticker, { signal: dl.signal });
      toolCalls.push(...own.toolCalls);
      let system: TextBlockParam[] = [];
      const data = buildRunData(own.bundle, (s) => {
        system = s;
        return new ClaudeCaller(client, config.anthropic.model, s, meter, log);
      });
      const others = new Map<string, Figure[]>();
      const pending: Promise<void>[] = [];
      const reference = () => buildClaimReference([...data.figures, ...[...others.values()].flat()], data.dates);
      let ref = reference();
      const rating = record.verdict?.rating ?? 'hold';
      const check = (text: string) =>
        textFlags(text, {
          reference: ref,
          ids: data.ids,
          ignore: [...data.ignore, ...others.keys()],
          rating,
          section: 'summary',
        });
      // Another ticker's data brought by a tool call: its figures, as the analysts compute them, may be stated.
      const learn = (call: LoopToolCall) => {
        const ticker = typeof call.args.ticker === 'string' ? call.args.ticker.toUpperCase() : undefined;
        if (!ticker || ticker === record.ticker || others.has(ticker) || call.cache === 'error') return;
        others.set(ticker, []);
        pending.push(
          context.data
            .bundle(ticker, { signal: dl.signal })
            .then((got) => {
              toolCalls.push(...got.toolCalls);
              others.set(ticker, figuresOf(got.bundle));
            })
            .catch(() => undefined),
        );
      };
      const toolset = await followUpToolset(gateway, allowList);
      const refs = new ReferenceStream(data.ids);
      const gate = new CheckedText(check, 'hold');
      const loop = {
        client,
        model: config.anthropic.model,
        system,
        tools: toolset.tools,
        route: toolset.route,
        gateway,
        maxTokens: MAX_TOKENS,
        idleTimeoutMs: config.anthropic.idleTimeoutMs,
        signal: dl.signal,
        meter,
        onToolCall: (call: LoopToolCall) => {
          stats.toolCalls += 1;
          if (call.cache === 'miss') stats.serverCalls += 1;
          toolCalls.push({ tool: call.tool, args: call.args, cache: call.cache, ms: call.ms });
          learn(call);
        },
        beforeNextTurn: async () => {
          await Promise.all(pending.splice(0));
          ref = reference();
        },
      };
      const first = await runToolLoop(answerTask(question, record, maxTurns), {
        ...loop,
        maxTurns,
        onText: (delta) => emit(gate.push(refs.push(delta))),
      });
      emit(gate.push(refs.end()));
      emit(gate.end());
      let marked = 0;
      if (gate.failed) {
        stats.rewrites += 1;
        log.info({ offending: gate.flags.map((f) => f.reason ?? f.text) }, 'follow-up answer asked again');
        const again = new CheckedText(check, 'mark', posted);
        const refs2 = new ReferenceStream(data.ids);
        const lead = posted === '' || /\s$/.test(posted) ? '' : ' ';
        let started = false;
        const join = (text: string) => {
          const out = started || !text ? text : lead + text.replace(/^\s+/, '');
          started ||= text !== '';
          emit(out);
        };
        await runToolLoop(answerRewriteTask(posted, gate.flags), {
          ...loop,
          history: first.messages,
          maxTurns: 1,
          onText: (delta) => join(again.push(refs2.push(delta))),
        });
        join(again.push(refs2.end()));
        join(again.end());
        marked = again.marked;
        stats.unverifiedFigures += marked;
      }
      breaker.succeeded();
      if (posted.trim() === '') return offline(question, context, opts.signal, 'it gave no usable text', false);
      const usage = meter.usage();
      return {
        text: posted.trim(),
        figures: figuresUsed(first.text, posted, data.ids, record.ticker, others),
        toolCalls,
        answerer: 'claude',
        intent: 'claude',
        usage: { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, costUsd: usage.costUsd },
        ...(marked > 0
          ? {
              fallback: `${marked} number${marked === 1 ? '' : 's'} could not be verified against the data and ${marked === 1 ? 'is' : 'are'} marked ${UNVERIFIED_MARK}.`,
            }
          : {}),
      };
    } catch (err) {
      if (opts.signal.aborted) throw opts.signal.reason ?? err;
      if (isKeyError(err)) throw keyError(err);
      const cause = dl.deadline() ?? err;
      const reason = unavailableReason(cause);
      if (!(cause instanceof ClaudeOffError)) breaker.trip(reason);
      log.warn({ reason }, `Claude could not answer a follow-up (${reason}); answering offline`);
      return offline(question, context, opts.signal, reason, posted !== '');
    } finally {
      dl.clear();
    }
  }

  return { name: 'claude', answer, stats: () => ({ ...stats }) };
}

/** Every figure the analysts compute from `bundle`. */
function figuresOf(bundle: DataBundle): Figure[] {
  return ANALYSTS.flatMap((a) => analyzeBundle(a, bundle).figures);
}

/** The figures an answer states: the run's, cited by id; another ticker's, printed as their display form. */
function figuresUsed(
  raw: string,
  posted: string,
  ids: ReadonlyMap<string, Figure>,
  ticker: string,
  others: ReadonlyMap<string, Figure[]>,
): FigureUsed[] {
  const used: FigureUsed[] = [];
  for (const m of raw.matchAll(REFERENCE)) {
    const figure = ids.get(m[1] ?? '');
    if (figure && !used.some((u) => u.figure === figure)) used.push({ ticker, figure });
  }
  for (const [other, figures] of others) {
    for (const figure of figures) if (posted.includes(formatFigure(figure))) used.push({ ticker: other, figure });
  }
  return used;
}
