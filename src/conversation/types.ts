/**
 * Types of the conversation layer: a follow-up question asked in a report's thread, the thread's context (which run,
 * which ticker, its findings and sections, earlier questions), and the {@link FollowUpAnswerer} port that answers it.
 *
 * The conversation layer owns the port; answerers plug into it: the offline answerer (`offline/`, template writer
 * mode) and the Claude answerer (tool use through the gateway). Front ends (the Slack listeners, a CLI) only find
 * the thread's context and hand the question to the conversation service (`service.ts`); they never answer.
 */
import type { BundleKey, DataBundle, Figure, Findings, SectionId, Verdict } from '../research/types.js';

/** Where a conversation lives: a Slack thread (`channel` + the parent message's `ts`). */
export interface ThreadKey {
  /** Slack channel id (`C…`, `G…`, `D…`). */
  channel: string;
  /** `ts` of the run's parent message, which is the thread's `thread_ts`. */
  threadTs: string;
}

/** A question asked in a report's thread. */
export interface FollowUpQuestion {
  /** The text as the person wrote it, with Slack mentions (`<@U…>`) removed and trimmed. May be empty. */
  text: string;
  /** Who asked: the Slack user id (or `cli`). */
  user: string;
  /** When it was asked (ISO timestamp); in Slack the message's `ts` time. */
  askedAt: string;
  /** Identifies one delivery (the event's `event_id`), so a redelivered question is answered once. */
  id: string;
}

/** A report section as the thread keeps it (Markdown, as posted). */
export interface ThreadSection {
  id: SectionId;
  title: string;
  markdown: string;
}

/** A figure the answer states, with where it came from. Only figures of the data may be stated. */
export interface FigureUsed {
  /** The ticker the figure belongs to (a comparison states figures of two tickers). */
  ticker: string;
  figure: Figure;
}

/** One tool call an answerer made to answer (through the gateway), for the record and for tests. */
export interface AnswerToolCall {
  /** `server/tool`, e.g. `tickerdesk/get_company_financials`. */
  tool: string;
  args: Record<string, unknown>;
  /** Where the answer came from: the gateway's cache (`hit`), a call in flight (`coalesced`), the server (`miss`). */
  cache: 'hit' | 'miss' | 'coalesced' | 'error';
  /** Caller-visible latency, ms. */
  ms: number;
}

/** What an answerer returns. */
export interface FollowUpAnswer {
  /**
   * The answer in Markdown, as report sections are written (`**bold**`, `-` lists, GitHub tables); the front end
   * converts it for Slack. Never empty.
   */
  text: string;
  /** The figures stated in `text`, each with its source and period (how the reader can check every number). */
  figures: FigureUsed[];
  /** Tool calls made for this answer (empty when it was answered from the thread's context alone). */
  toolCalls: AnswerToolCall[];
  /** Which answerer wrote it: `offline` or `claude` (or a test's name). */
  answerer: string;
  /**
   * Set when the answerer meant to answer could not, and another one did: the plain reason
   * (e.g. "Claude did not answer within 60 s; answered offline."), shown as a note under the answer.
   */
  fallback?: string;
  /** What kind of question it was read as, for the record: `figure`, `comparison`, `changes`, `help`, `other`. */
  intent: string;
  /** Tokens and cost of an LLM answerer (USD). Absent for the offline answerer. */
  usage?: { inputTokens: number; outputTokens: number; costUsd: number };
}

/** A question already answered in the thread, oldest first in {@link ThreadRecord.exchanges}. */
export interface ThreadExchange {
  question: string;
  user: string;
  askedAt: string;
  /** The answer's text as posted. */
  answer: string;
  answerer: string;
  intent: string;
}

/** The previous finished run of the same ticker, for "what's changed since the last report". */
export interface PreviousRun {
  runId: string;
  /** When it started (ISO). */
  startedAt: string;
  /** Its thread, when it was asked in Slack. */
  thread?: ThreadKey;
  figures: Figure[];
  verdict?: Verdict;
}

/**
 * Everything the thread keeps about its run, stored by channel + `thread_ts` (SQLite, or Redis with `CACHE_URL`), so
 * a restarted process or another instance can answer in it. Written when the run posts its parent message
 * (`status: 'running'`) and again when the run ends. JSON-serialisable.
 */
export interface ThreadRecord {
  /** Version of this shape; a record of another version is treated as absent. */
  version: 1;
  key: ThreadKey;
  runId: string;
  ticker: string;
  companyName?: string;
  /** Who started the run (Slack user id). */
  requester: string;
  /** When the run started (ISO). */
  startedAt: string;
  /** `running` until the run ends; `failed` (with `failure`) when it ended without a report. */
  status: 'running' | 'finished' | 'failed';
  /** Plain reason of a failed run. */
  failure?: string;
  /** When the run ended (ISO). */
  finishedAt?: string;
  /** `ok` or `degraded`, for a finished run. */
  outcome?: 'ok' | 'degraded';
  /** The analysts' findings: every figure the report could state, with source and period. */
  findings: Findings[];
  sections: ThreadSection[];
  verdict?: Verdict;
  /** Per bundle part: whether the run had it, and from which source (the data itself is reloaded, not stored). */
  parts?: Partial<Record<BundleKey, { status: 'ok' | 'unavailable' | 'failed'; source: string; fetchedAt?: string }>>;
  /** The previous finished run of the same ticker, captured when this run finished. */
  previous?: PreviousRun;
  /** Questions answered so far, oldest first (at most {@link MAX_EXCHANGES}). */
  exchanges: ThreadExchange[];
}

/** Most exchanges a thread record keeps (oldest dropped first). */
export const MAX_EXCHANGES = 50;

/**
 * Data a follow-up may need beyond what the thread keeps, fetched through the tool gateway (cache → single-flight →
 * MCP server), so a figure another answer or a prefetch already fetched costs no call.
 */
export interface ThreadData {
  /**
   * The data bundle of `ticker` with only `parts` fetched (every part when omitted); the other parts are
   * `unavailable` with the reason "not fetched for this answer". Calls go through the gateway, so cached parts
   * cost no server call.
   * @throws UnknownTickerError when no data source covers `ticker` (its message names close matches);
   *   NoDataError when none of the parts has data; the abort reason when `signal` aborts.
   */
  bundle(ticker: string, options: BundleOptions): Promise<FetchedBundle>;
  /** Every ticker the data sources cover, or undefined when unknown. Never rejects. */
  knownTickers(): Promise<ReadonlySet<string> | undefined>;
}

/** Options of {@link ThreadData.bundle}. */
export interface BundleOptions {
  /** The parts to fetch. @default every part */
  parts?: readonly BundleKey[];
  /**
   * Annual periods to ask `get_company_financials` for (1–12), for a fiscal year older than a run's five.
   * @default the run's plan (5)
   */
  annualPeriods?: number;
  signal: AbortSignal;
}

/** A bundle fetched for an answer, with the calls made for it. */
export interface FetchedBundle {
  bundle: DataBundle;
  toolCalls: AnswerToolCall[];
}

/** What an answerer is given about the thread. */
export interface ThreadContext {
  /** The thread's stored record (its run, findings, sections, earlier questions and answers). */
  record: ThreadRecord;
  /** More data through the gateway: a second ticker for a comparison, the run's own bundle reloaded. */
  data: ThreadData;
}

/** Options of one {@link FollowUpAnswerer.answer} call. */
export interface AnswerOptions {
  /**
   * Aborted when the answer is no longer wanted (its deadline passed, the process is stopping). An answerer stops
   * its work and rejects with the signal's reason.
   */
  signal: AbortSignal;
  /**
   * Text as it is written, for answerers that stream (the Claude answerer): each call adds `delta` to the answer
   * so far. The final {@link FollowUpAnswer.text} is what counts; a front end may show the deltas meanwhile.
   */
  onText?: (delta: string) => void;
}

/**
 * The port an answerer implements: answer one question about a report, from its thread's context, fetching only
 * what is missing through `context.data`. Stating only figures of the data (the thread's findings, or data fetched
 * for the answer), each listed in {@link FollowUpAnswer.figures}; a number in the question is never a source.
 *
 * Contract:
 * - is called only for threads whose run finished (`record.status === 'finished'`): the conversation service
 *   answers questions in a running or failed run's thread itself;
 * - resolves with a non-empty `text` for every question, including ones it cannot answer (a plain sentence that
 *   says what it can answer) and an empty one;
 * - rejects only when `options.signal` aborts (with its reason) or on a fault it cannot answer around (the
 *   conversation service then answers offline, with a note in {@link FollowUpAnswer.fallback});
 * - never writes to the thread record (the service appends the exchange).
 *
 * @example
 * const answer = await answerer.answer(question, { record, data }, { signal: AbortSignal.timeout(60_000) });
 */
export interface FollowUpAnswerer {
  /** Name recorded in {@link FollowUpAnswer.answerer}: `offline`, `claude`. */
  readonly name: string;
  answer(question: FollowUpQuestion, context: ThreadContext, options: AnswerOptions): Promise<FollowUpAnswer>;
}
