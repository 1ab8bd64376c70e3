/**
 * Follow-up questions in Slack: a message in a report's thread is handed to the conversation service and answered in
 * the same thread. Within a second the thread shows the bot is working — `assistant.threads.setStatus` where the
 * workspace supports it (an app with the assistant feature), else a short placeholder reply that is then edited into
 * the answer. A redelivered event is answered once (across instances with shared claims). Never rejects.
 */
import type { webApi } from '@slack/bolt';
import type { ConversationService } from '../conversation/service.js';
import type { FollowUpAnswer, FollowUpQuestion, ThreadKey } from '../conversation/types.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { ClaimStore } from '../tools/run-claims.js';
import { followUpMessage, MAX_BLOCKS, type SlackMessage, streamingMessage, workingMessage } from './blocks/index.js';
import { feedbackBlock } from './blocks/run-actions.js';
import { CoalescedUpdater } from './coalesced-updater.js';
import { classifySlackError } from './slack-errors.js';
import { postMessageSplitting } from './web-api-calls.js';

/** A message in a thread, as the listeners read it. */
export interface ThreadMessage {
  channel: string;
  /** The thread's parent `ts`. */
  threadTs: string;
  /** The message's own `ts`. */
  ts: string;
  user: string;
  /** Text with mentions removed. */
  text: string;
  /** The event's `event_id` (one delivery). */
  eventId: string;
  teamId?: string;
}

/** What {@link FollowUps} needs. */
export interface FollowUpsOptions {
  conversation: ConversationService;
  logger: Logger;
  /** Claims shared with other instances (Redis), so a delivery is answered by one instance only. */
  claims?: ClaimStore;
  /** Status text shown by `assistant.threads.setStatus`. @default "is looking into it…" */
  statusText?: string;
  /** Least time between two edits of a placeholder while an answer streams into it, ms. @default 1000 */
  minEditIntervalMs?: number;
}

/** How the thread was shown that the bot is working. */
type Working = { kind: 'status' } | { kind: 'placeholder'; ts: string } | { kind: 'none' };

/** How long a delivery id is remembered, ms. */
const SEEN_TTL_MS = 15 * 60_000;

/** Answers questions in report threads; see the module comment. */
export class FollowUps {
  /** Per workspace and channel: whether `assistant.threads.setStatus` worked there (unknown until tried). */
  readonly #statusWorks = new Map<string, boolean>();
  readonly #seen = new Map<string, number>();
  readonly #active = new Set<Promise<void>>();

  constructor(private readonly options: FollowUpsOptions) {}

  /** Whether thread `key` is a report thread this desk keeps (so a message there is a question). Never rejects. */
  async isReportThread(key: ThreadKey): Promise<boolean> {
    return (await this.options.conversation.thread(key).catch(() => undefined)) !== undefined;
  }

  /**
   * Answer `message` (already known to be in a report thread) in its thread. Resolves when the answer is posted.
   */
  answer(message: ThreadMessage, client: webApi.WebClient): Promise<void> {
    const done = this.#answer(message, client).catch((err: unknown) =>
      this.options.logger.warn(
        { err: errorMessage(err), channel: message.channel },
        'A follow-up could not be answered',
      ),
    );
    this.#active.add(done);
    void done.finally(() => this.#active.delete(done));
    return done;
  }

  /** Resolves when every question taken so far is answered (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.#active.size > 0) await Promise.allSettled([...this.#active]);
  }

  async #answer(message: ThreadMessage, client: webApi.WebClient): Promise<void> {
    const { conversation, claims, logger } = this.options;
    const now = Date.now();
    for (const [id, until] of this.#seen) if (until < now) this.#seen.delete(id);
    if (this.#seen.has(message.eventId)) return;
    this.#seen.set(message.eventId, now + SEEN_TTL_MS);
    if (claims && !(await claims.claim(`slack:question:${message.eventId}`, SEEN_TTL_MS))) {
      logger.info({ channel: message.channel }, 'Ignored a question another instance has taken');
      return;
    }
    const key: ThreadKey = { channel: message.channel, threadTs: message.threadTs };
    const log = logger.child({ channel: message.channel, threadTs: message.threadTs });
    const working = await this.#showWorking(client, key, message.teamId, log);
    const question: FollowUpQuestion = {
      text: message.text,
      user: message.user,
      askedAt: new Date(Number(message.ts) * 1000 || Date.now()).toISOString(),
      id: message.eventId,
    };
    // An answer written as a stream (the Claude answerer) is shown as it comes, in coalesced edits of the placeholder.
    const updater =
      working.kind === 'placeholder'
        ? new CoalescedUpdater({
            send: async (m) => {
              await client.chat.update({ channel: key.channel, ts: working.ts, text: m.text, blocks: m.blocks });
            },
            logger: log,
            ...(this.options.minEditIntervalMs === undefined ? {} : { minIntervalMs: this.options.minEditIntervalMs }),
          })
        : undefined;
    updater?.markSent(workingMessage());
    let streamed = '';
    const onText = (delta: string) => {
      streamed += delta;
      updater?.set(streamingMessage(streamed));
    };
    let answer: FollowUpAnswer | undefined;
    try {
      answer = await conversation.ask(key, question, { onText });
    } catch (err) {
      answer = {
        text: `I could not answer that: ${errorMessage(err)}`,
        figures: [],
        toolCalls: [],
        answerer: 'tickerdesk',
        intent: 'failed',
      };
    }
    if (!answer) {
      updater?.stop();
      if (working.kind === 'placeholder')
        await this.#call(log, 'chat.delete', () => client.chat.delete({ channel: key.channel, ts: working.ts }));
      return;
    }
    log.info(
      { intent: answer.intent, answerer: answer.answerer, toolCalls: answer.toolCalls.length },
      'Answered a follow-up',
    );
    const reply = await this.#withFeedback(key, message, answer);
    if (updater && working.kind === 'placeholder') {
      const failure = await updater.settle(reply);
      if (!failure) return;
      // Too long for one message, or the placeholder was deleted: the answer goes out as replies instead.
      log.info({ code: failure.code }, 'Could not edit the placeholder into the answer; replying instead');
      if (failure.kind !== 'message_gone') {
        await this.#call(log, 'chat.delete', () => client.chat.delete({ channel: key.channel, ts: working.ts }));
      }
    }
    await postMessageSplitting(client, key, reply, log);
  }

  /**
   * The answer's message; an LLM-written answer ends with feedback buttons (about `answer:<question ts>` of the
   * thread's run), stored with the run's record like a section's.
   */
  async #withFeedback(key: ThreadKey, question: ThreadMessage, answer: FollowUpAnswer): Promise<SlackMessage> {
    const message = followUpMessage(answer);
    if (!writtenByLlm(answer) || message.blocks.length >= MAX_BLOCKS) return message;
    const runId = (await this.options.conversation.thread(key).catch(() => undefined))?.runId;
    if (runId) message.blocks.push(feedbackBlock(runId, `answer:${question.ts}`));
    return message;
  }

  /** Status where the workspace supports it, else a placeholder reply; nothing when both fail. */
  async #showWorking(
    client: webApi.WebClient,
    key: ThreadKey,
    teamId: string | undefined,
    log: Logger,
  ): Promise<Working> {
    // Assistant threads exist only where the app runs as an assistant: remembered per channel, not per workspace.
    const team = `${teamId ?? ''}:${key.channel}`;
    if (this.#statusWorks.get(team) !== false) {
      try {
        await client.assistant.threads.setStatus({
          channel_id: key.channel,
          thread_ts: key.threadTs,
          status: this.options.statusText ?? 'is looking into it…',
        });
        this.#statusWorks.set(team, true);
        return { kind: 'status' };
      } catch (err) {
        const failure = classifySlackError(err);
        // Not an assistant thread, or no assistant:write: placeholders from now on in this channel.
        if (failure.kind !== 'transient' && failure.kind !== 'ratelimited') this.#statusWorks.set(team, false);
        log.debug({ code: failure.code }, 'assistant.threads.setStatus refused; posting a placeholder');
      }
    }
    try {
      const [ts] = await postMessageSplitting(client, key, workingMessage(), log);
      return ts ? { kind: 'placeholder', ts } : { kind: 'none' };
    } catch (err) {
      log.warn({ code: classifySlackError(err).code }, 'Could not post the placeholder of a follow-up');
      return { kind: 'none' };
    }
  }

  async #call(log: Logger, what: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (err) {
      log.debug({ code: classifySlackError(err).code, what }, 'A Slack call for a follow-up failed');
    }
  }
}

/** Answerers that write no prose of their own (the offline answerer, the plain failure answer). */
const DETERMINISTIC_ANSWERERS: readonly string[] = ['offline', 'tickerdesk'];

/** True when an LLM wrote `answer` (it then carries feedback buttons). */
export function writtenByLlm(answer: Pick<FollowUpAnswer, 'answerer'>): boolean {
  return !DETERMINISTIC_ANSWERERS.includes(answer.answerer);
}
