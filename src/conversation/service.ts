/**
 * The conversation service: keeps each report thread's context (written as the run posts its parent and again when
 * it ends) and answers questions asked in the thread, one at a time per thread and in the order asked, with the
 * configured {@link FollowUpAnswerer} — falling back to the offline answerer, with a note, when it fails. Front ends
 * (Slack listeners, a CLI) find the thread and hand the question over; they never answer.
 */
import PQueue from 'p-queue';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { allFigures } from '../research/analysts/lookup.js';
import type { BundleKey, RunHandle, RunResult } from '../research/types.js';
import { canAnswer } from './offline/words.js';
import type { ThreadStore } from './thread-store.js';
import {
  type FollowUpAnswer,
  type FollowUpAnswerer,
  type FollowUpQuestion,
  MAX_EXCHANGES,
  type ThreadData,
  type ThreadKey,
  type ThreadRecord,
} from './types.js';

/** Dependencies of a {@link ConversationService}. */
export interface ConversationOptions {
  store: ThreadStore;
  /** Answers questions (the Claude answerer, or the offline one). */
  answerer: FollowUpAnswerer;
  /** Answers when `answerer` fails; the offline answerer. Omit when `answerer` is the offline one. */
  fallback?: FollowUpAnswerer;
  data: ThreadData;
  logger: Logger;
  /** Longest one answer may take, ms; past it the answer is abandoned (and the fallback answers). @default 60000 */
  deadlineMs?: number;
}

/** Where a run's thread is and who started it. */
export interface ThreadStart extends ThreadKey {
  /** Slack user id of the requester. */
  requester: string;
}

/** Options of {@link ConversationService.ask}. */
export interface AskOptions {
  /** Streamed text of the answer while it is written (LLM answerers). */
  onText?: (delta: string) => void;
}

/** How long a question's delivery id is remembered, so a redelivery is not answered twice, ms. */
const SEEN_TTL_MS = 15 * 60_000;

const keyOf = (key: ThreadKey) => `${key.channel}:${key.threadTs}`;

/** Answers follow-up questions in report threads; see the module comment. */
export class ConversationService {
  readonly #queues = new Map<string, PQueue>();
  readonly #seen = new Map<string, number>();
  readonly #recording = new Set<Promise<void>>();

  constructor(private readonly options: ConversationOptions) {}

  /** The thread's record, or undefined when it is not a report thread this desk started. Never rejects. */
  thread(key: ThreadKey): Promise<ThreadRecord | undefined> {
    return this.options.store.get(key);
  }

  /**
   * Keep the context of the run `handle` whose parent message opened thread `where`: written now (`running`) and
   * when the run ends (its findings, sections, verdict and the previous run of the ticker; or the failure).
   * Resolves once the last write is done; never rejects.
   */
  follow(handle: RunHandle, where: ThreadStart): Promise<void> {
    const done = this.#record(handle, where).catch((err: unknown) =>
      this.options.logger.warn({ err: errorMessage(err), runId: handle.runId }, 'Could not keep a report thread'),
    );
    this.#recording.add(done);
    void done.finally(() => this.#recording.delete(done));
    return done;
  }

  /**
   * Answer `question` asked in thread `key`: queued behind the thread's earlier questions, answered within the
   * deadline, recorded in the thread. Resolves undefined when `key` is not a report thread, or when the question
   * (same `id`) was already taken; otherwise always with an answer — a failure is answered in plain words.
   */
  async ask(key: ThreadKey, question: FollowUpQuestion, options: AskOptions = {}): Promise<FollowUpAnswer | undefined> {
    const now = Date.now();
    for (const [id, until] of this.#seen) if (until < now) this.#seen.delete(id);
    if (this.#seen.has(question.id)) return undefined;
    this.#seen.set(question.id, now + SEEN_TTL_MS);
    const id = keyOf(key);
    let queue = this.#queues.get(id);
    if (!queue) {
      queue = new PQueue({ concurrency: 1 });
      this.#queues.set(id, queue);
      const q = queue;
      q.on('idle', () => {
        if (q.size === 0 && q.pending === 0 && this.#queues.get(id) === q) this.#queues.delete(id);
      });
    }
    return queue.add(() => this.#answer(key, question, options));
  }

  /** Resolves when every thread record being written and every queued question is done (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.#recording.size > 0 || this.#queues.size > 0) {
      await Promise.allSettled([...this.#recording, ...[...this.#queues.values()].map((q) => q.onIdle())]);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async #answer(key: ThreadKey, question: FollowUpQuestion, options: AskOptions): Promise<FollowUpAnswer | undefined> {
    const record = await this.options.store.get(key);
    if (!record) return undefined;
    const answer = await this.#compose(record, question, options);
    const latest = (await this.options.store.get(key)) ?? record;
    const exchanges = [
      ...latest.exchanges,
      {
        question: question.text,
        user: question.user,
        askedAt: question.askedAt,
        answer: answer.text,
        answerer: answer.answerer,
        intent: answer.intent,
      },
    ].slice(-MAX_EXCHANGES);
    await this.options.store.set({ ...latest, exchanges });
    return answer;
  }

  async #compose(record: ThreadRecord, question: FollowUpQuestion, options: AskOptions): Promise<FollowUpAnswer> {
    const plain = (text: string, intent: string): FollowUpAnswer => ({
      text,
      figures: [],
      toolCalls: [],
      answerer: 'tickerdesk',
      intent,
    });
    if (record.status === 'running') {
      return plain(
        `The ${record.ticker} report is still being written; ask again once its verdict is in and I will answer from its data.`,
        'run-running',
      );
    }
    if (record.status === 'failed') {
      return plain(
        `This ${record.ticker} report did not finish (${record.failure ?? 'it failed'}), so there is no data to answer from. ` +
          `Start a new one with \`/research-stock ${record.ticker}\` and ask in its thread.`,
        'run-failed',
      );
    }
    const { answerer, fallback, data, logger } = this.options;
    const context = { record, data };
    const deadlineMs = this.options.deadlineMs ?? 60_000;
    try {
      return await answerer.answer(question, context, {
        signal: AbortSignal.timeout(deadlineMs),
        ...(options.onText ? { onText: options.onText } : {}),
      });
    } catch (err) {
      const reason = errorMessage(err);
      logger.warn({ err: reason, answerer: answerer.name, ticker: record.ticker }, 'A follow-up answer failed');
      if (fallback) {
        try {
          const answer = await fallback.answer(question, context, { signal: AbortSignal.timeout(deadlineMs) });
          return { ...answer, fallback: `The ${answerer.name} answer failed (${reason}); answered offline instead.` };
        } catch (second) {
          logger.warn({ err: errorMessage(second) }, 'The offline follow-up answer failed too');
        }
      }
      return plain(`I could not answer that: ${reason} ${canAnswer(record.ticker)}`, 'failed');
    }
  }

  async #record(handle: RunHandle, where: ThreadStart): Promise<void> {
    const { store } = this.options;
    const key: ThreadKey = { channel: where.channel, threadTs: where.threadTs };
    const base: ThreadRecord = {
      version: 1,
      key,
      runId: handle.runId,
      ticker: handle.ticker,
      requester: where.requester,
      startedAt: new Date().toISOString(),
      status: 'running',
      findings: [],
      sections: [],
      exchanges: [],
    };
    let companyName: string | undefined;
    handle.on('companyIdentified', (e) => {
      companyName = e.name;
    });
    const opened = store.set(base);
    const outcome = await handle.result.then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
    await opened;
    const current = (await store.get(key)) ?? base;
    if ('error' in outcome) {
      await store.set({
        ...current,
        status: 'failed',
        failure: errorMessage(outcome.error),
        finishedAt: new Date().toISOString(),
      });
      return;
    }
    const { result } = outcome;
    const latest = await store.latestRun(result.ticker);
    const previous = latest && latest.runId !== result.runId ? latest : undefined;
    const name = result.companyName ?? companyName;
    await store.set({
      ...current,
      ticker: result.ticker,
      startedAt: result.startedAt,
      status: 'finished',
      finishedAt: new Date().toISOString(),
      outcome: result.outcome,
      findings: result.findings,
      sections: result.sections.map((s) => ({ id: s.id, title: s.title, markdown: s.markdown })),
      verdict: result.verdict,
      parts: partsOf(result),
      ...(name ? { companyName: name } : {}),
      ...(previous ? { previous } : {}),
    });
    await store.setLatestRun(result.ticker, {
      runId: result.runId,
      startedAt: result.startedAt,
      thread: key,
      figures: allFigures(result.findings),
      verdict: result.verdict,
    });
  }
}

/** Which parts the run had, and from where (the data itself is reloaded through the gateway when needed). */
function partsOf(result: RunResult): NonNullable<ThreadRecord['parts']> {
  const parts: NonNullable<ThreadRecord['parts']> = {};
  for (const [key, part] of Object.entries(result.bundle)) {
    if (key === 'ticker' || typeof part !== 'object' || part === null) continue;
    const p = part as { status: 'ok' | 'unavailable' | 'failed'; source: string; fetchedAt?: string };
    parts[key as BundleKey] = {
      status: p.status,
      source: p.source,
      ...(p.fetchedAt ? { fetchedAt: p.fetchedAt } : {}),
    };
  }
  return parts;
}
