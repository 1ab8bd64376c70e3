/**
 * The thread writer: one research run shown in Slack. It posts the parent message, keeps it edited with the run's
 * progress (coalesced, with a heartbeat so elapsed time moves at least every few seconds), replies each section in
 * the thread in report order, and ends with the final (or failed) parent. It only listens to the run's events;
 * the run never knows it exists.
 *
 * Every run ends in a state the requester can see. The last edit of the parent is retried with back-off, then a
 * shorter last state is tried, then a closing reply in the thread says the outcome. When Slack says the channel is
 * gone (`channel_not_found`, `not_in_channel`, `is_archived`) nothing more is sent there, the run is cancelled and
 * {@link ThreadWriter.privateNote} holds what to tell the requester; a deleted parent (`message_not_found`) is no
 * longer edited (no heartbeat) and the outcome goes to a thread reply, or privately when the thread is gone too.
 */
import type { types, webApi } from '@slack/bolt';
import type { PriceChart } from '../charts/price-chart.js';
import { type RunChartSource, renderRunChart } from '../charts/run-chart.js';
import { asTickerdeskError, type TickerdeskError } from '../errors.js';
import type { Logger } from '../log.js';
import type { DataBundle, RunEvents, RunHandle, RunResult, Section, SectionId } from '../research/types.js';
import {
  closingReply,
  failedMessage,
  finalMessage,
  lostChannelNotice,
  lostThreadNotice,
  mrkdwnSection,
  progressMessage,
  type SlackMessage,
  sectionMessages,
  shortFailedMessage,
  shortFinalMessage,
} from './blocks/index.js';
import {
  cancelActions,
  feedbackBlock,
  finishedActions,
  type PeerOption,
  withTrailingBlock,
} from './blocks/run-actions.js';
import { CoalescedUpdater, type SettleRetry } from './coalesced-updater.js';
import { LiveSection } from './live-section.js';
import { type Gate, openGate, type SlackMethodBudget } from './method-budget.js';
import { planTitle, progressTasks, type ToolCallDone } from './progress-chunks.js';
import {
  applyRunEvent,
  initialProgress,
  markSectionPosted,
  type ProgressState,
  type TaggedRunEvent,
} from './progress-state.js';
import { ProgressStream } from './progress-stream.js';
import { classifySlackError, type SlackFailure } from './slack-errors.js';
import { postChart, postRunReport, type ThreadTarget } from './thread-files.js';
import { type LoadingState, type StatusSupport, ThreadStatus } from './thread-status.js';
import { postMessageSplitting, withRateLimitRetry } from './web-api-calls.js';

/** Options of {@link ThreadWriter.open}. */
export interface ThreadWriterOptions {
  client: webApi.WebClient;
  channel: string;
  /** Normalised ticker. */
  ticker: string;
  /** Slack user id of the person who asked. */
  requester?: string;
  logger: Logger;
  /** Longest time without a visible change while the run works, ms. @default 5000 */
  heartbeatMs?: number;
  /** Least time between two edits of the parent (and of a live section), ms. @default 1000 */
  minEditIntervalMs?: number;
  /** A section still being written after this long gets a live reply that grows with its text, ms. @default 1500 */
  liveSectionAfterMs?: number;
  /** Set → live replies are Slack text streams to this recipient (`SLACK_STREAMING`); else they are edited. */
  stream?: { teamId: string; userId: string };
  /**
   * Draws the run's price chart from its data (started at `bundleReady`, uploaded right after the Technicals
   * section; a failure becomes a note). `false` leaves the chart out. @default renderRunChart
   */
  chart?: false | ((run: RunChartSource) => Promise<PriceChart>);
  /** Attach the whole report as a Markdown file at the end of the thread (`/research-stock TICKER --file`). */
  attachReport?: boolean;
  /**
   * When this returns true for the error of a failed run that put nothing in the thread (an unknown ticker), the
   * parent is deleted instead of showing the failure, and {@link ThreadWriter.retracted} is set; the caller tells
   * the person privately.
   */
  retractOn?: (error: TickerdeskError) => boolean;
  /** Back-off for the parent's last state. @default 2 retries, 500 ms then 1 s */
  finalRetry?: SettleRetry;
  /**
   * Buttons on the parent (`blocks/run-actions.ts`): Cancel while the run works, then Refresh, Compare with… (the
   * peers `peers` answers; none → no picker) and Report file on the finished report. Unset: no buttons.
   */
  buttons?: { peers?: (result: RunResult) => Promise<readonly PeerOption[]> };
  /** Each section ends with feedback buttons (thumbs up / down): set when an LLM writes the sections. */
  feedback?: boolean;
  /** The app's Web API budget ({@link SlackMethodBudget}), bound to this workspace and channel. @default openGate */
  gate?: Gate;
  /**
   * Set → the thread's loading state (`assistant.threads.setStatus`) carries the "still working" beat where the
   * workspace allows it, instead of an edit of the parent every `heartbeatMs`; refused once, edits carry it there.
   */
  status?: { support: StatusSupport; workspace: string };
  /**
   * With `stream` set: the run's progress is one plan streamed in the thread (stages, tool calls with their SEC
   * filings and news as sources, sections), and the parent is edited only when a stage starts or ends. @default true
   */
  progressStream?: boolean;
}

/** A shown loading state is set again after this long, within Slack's two-minute timeout, ms. */
export const STATUS_REFRESH_MS = 90_000;
/** After a reply removed the loading state, it is set again this much later (unless another reply came), ms. */
export const STATUS_AFTER_REPLY_MS = 3000;

/** What Slack took away during a run: the whole channel, the parent message, or the parent and its thread. */
type Lost = { scope: 'channel' | 'parent' | 'thread'; code: string };

const EVENTS: readonly (keyof RunEvents)[] = [
  'runStarted',
  'stageStarted',
  'stageFinished',
  'toolCallFinished',
  'companyIdentified',
  'bundleReady',
  'analystFinished',
  'sectionStarted',
  'sectionDelta',
  'sectionReady',
  'runFinished',
  'runFailed',
];

/** The parent's first edit waits this long after it was posted, ms: a warm run shows its verdict at once. */
const FIRST_EDIT_AFTER_MS = 300;

/** A run's parent message and thread. */
export class ThreadWriter {
  /** Channel of the parent message. */
  readonly channel: string;
  /** `ts` of the parent message (the thread's id). */
  readonly ts: string;
  private state: ProgressState;
  private readonly client: webApi.WebClient;
  private readonly logger: Logger;
  private readonly updater: CoalescedUpdater;
  private readonly heartbeatMs: number;
  private readonly ready = new Map<number, Section>();
  private nextIndex = 0;
  private replies: Promise<void> = Promise.resolve();
  private readonly options: ThreadWriterOptions;
  /** The section being written now: its streamed text, the timer that makes it live, its live reply. */
  private writing: { index: number; text: string; timer: NodeJS.Timeout; live?: LiveSection } | undefined;
  /** Live replies of sections already written, waiting for their final edit, by index. */
  private readonly liveDone = new Map<number, LiveSection>();
  /** `ts` of every thread reply, in order. */
  readonly replyTs: string[] = [];
  /** The price chart being drawn since the run's data arrived. */
  private chart: Promise<PriceChart> | undefined;
  /** Sections Slack refused for good (not rate limits, which are retried), with the error code. */
  private readonly unposted: { title: string; code: string }[] = [];
  /** The error for which the parent was deleted (see {@link ThreadWriterOptions.retractOn}). */
  retracted: TickerdeskError | undefined;
  /** Set when Slack took the channel, the parent or the thread away (first refusal only). */
  private lost: Lost | undefined;
  private handle: RunHandle | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  /** Sets the loading state again a moment after a reply removed it. */
  private statusAgain: NodeJS.Timeout | undefined;
  /** Stages and phase last shown on the parent while the loading state carries the beat. */
  private milestone: string | undefined;
  private readonly gate: Gate;
  /** The thread's loading state, when the writer was given status support. */
  readonly status: ThreadStatus | undefined;
  /** The run's plan streamed in the thread (`SLACK_STREAMING`). */
  readonly progress: ProgressStream | undefined;
  /** Tool calls finished so far, for the plan. */
  private readonly toolCalls: ToolCallDone[] = [];
  /** The run's data, once prefetched (its SEC filings and news are the plan's sources). */
  private bundle: DataBundle | undefined;
  /**
   * What the requester must be told privately because the channel or the thread could not show it (the channel
   * gone, the parent and its thread deleted); `undefined` when the thread showed the outcome.
   */
  privateNote: string | undefined;

  private constructor(options: ThreadWriterOptions, ts: string, state: ProgressState, first: SlackMessage) {
    this.options = options;
    this.channel = options.channel;
    this.ts = ts;
    this.state = state;
    this.client = options.client;
    this.logger = options.logger;
    this.heartbeatMs = options.heartbeatMs ?? 5000;
    const gate = options.gate ?? openGate;
    this.gate = gate;
    this.status = options.status
      ? new ThreadStatus({
          client: options.client,
          channel: this.channel,
          threadTs: ts,
          workspace: options.status.workspace,
          support: options.status.support,
          logger: options.logger,
          gate,
        })
      : undefined;
    this.progress =
      options.stream && options.progressStream !== false
        ? new ProgressStream({
            client: options.client,
            channel: this.channel,
            threadTs: ts,
            recipient: options.stream,
            logger: options.logger,
            gate,
            ...(options.minEditIntervalMs === undefined ? {} : { minIntervalMs: options.minEditIntervalMs }),
          })
        : undefined;
    this.updater = new CoalescedUpdater({
      logger: options.logger,
      minIntervalMs: options.minEditIntervalMs ?? 1000,
      schedule: (edit, o) => gate('chat.update', edit, o),
      refresh: () => (this.isLive() ? this.liveMessage() : undefined),
      onFailure: (failure) => this.refused(failure, 'parent'),
      send: async (message) => {
        await this.client.chat.update({
          channel: this.channel,
          ts: this.ts,
          text: message.text,
          blocks: message.blocks,
        });
      },
    });
    this.updater.markSent(first, FIRST_EDIT_AFTER_MS);
  }

  /**
   * Post the parent message (progress at zero) in `channel`.
   * @throws the Web API error when Slack refuses it (`not_in_channel`, `missing_scope`, …); rate limits are retried.
   */
  static async open(options: ThreadWriterOptions): Promise<ThreadWriter> {
    const state = initialProgress(options.ticker, Date.now(), options.requester);
    const first = progressMessage(state, Date.now());
    const gate = options.gate ?? openGate;
    const res = await withRateLimitRetry(
      () =>
        gate('chat.postMessage', () =>
          options.client.chat.postMessage({ channel: options.channel, text: first.text, blocks: first.blocks }),
        ),
      options.logger,
      'chat.postMessage (parent)',
    );
    if (!res.ts) throw new Error('Slack did not return the message timestamp.');
    return new ThreadWriter({ ...options, channel: res.channel ?? options.channel }, res.ts, state, first);
  }

  /** Best-effort link to the parent message (`undefined` when Slack does not give one). */
  async permalink(): Promise<string | undefined> {
    try {
      const res = await this.client.chat.getPermalink({ channel: this.channel, message_ts: this.ts });
      return res.permalink;
    } catch (err) {
      this.logger.debug({ code: classifySlackError(err).code }, 'No permalink for the parent message');
      return undefined;
    }
  }

  /**
   * Follow `handle` until the run ends and everything is shown: progress edits, section replies in order, the
   * final parent. Never rejects; a failed run ends with the failed parent.
   */
  async follow(handle: RunHandle): Promise<RunResult | undefined> {
    this.handle = handle;
    const listeners = EVENTS.map((type) => {
      const listener = (payload: unknown) => this.onEvent({ type, payload } as TaggedRunEvent);
      handle.on(type, listener);
      return [type, listener] as const;
    });
    await this.status?.set(this.loadingState());
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs);
    try {
      const result = await handle.result;
      for (const section of result.sections) if (!this.ready.has(section.index)) this.queueSection(section);
      await this.replies;
      if (this.options.attachReport && !this.threadGone()) await this.attachReport(result);
      this.state = applyRunEvent(this.state, { type: 'runFinished', payload: { result } }, Date.now());
      if (!this.threadGone()) await this.finishProgress();
      const final = finalMessage(result, this.state.requester);
      if (this.unposted.length > 0) {
        const list = this.unposted.map((u) => `${u.title} (${u.code})`).join(', ');
        final.blocks.push(mrkdwnSection(`:warning: Slack refused to post ${list} in the thread.`));
      }
      const short = shortFinalMessage(result, this.state.requester);
      const buttons = await this.finishedButtons(result);
      if (buttons) {
        final.blocks.push(buttons);
        short.blocks.push(buttons);
      }
      await this.conclude(final, short, closingReply(result));
      return result;
    } catch (err) {
      const error = asTickerdeskError(err);
      await this.replies;
      const live = this.writing?.live;
      if (live && !this.threadGone())
        await live.abandon('The run stopped while this section was being written; the text above is partial.');
      if (this.state.phase !== 'failed') {
        const payload = { runId: handle.runId, ticker: handle.ticker, error, durationMs: 0 };
        this.state = applyRunEvent(this.state, { type: 'runFailed', payload }, Date.now());
      }
      if (!this.threadGone()) await this.finishProgress();
      if (!this.lost && this.replyTs.length === 0 && this.options.retractOn?.(error) && (await this.deleteParent())) {
        this.retracted = error;
        return undefined;
      }
      const now = Date.now();
      const failed = failedMessage(this.state, now);
      await this.conclude(failed, shortFailedMessage(this.state, now), failed.text);
      return undefined;
    } finally {
      clearInterval(this.heartbeat);
      clearTimeout(this.statusAgain);
      if (this.writing) clearTimeout(this.writing.timer);
      for (const [type, listener] of listeners) handle.off(type, listener);
      await this.updater.flush();
      if (!this.threadGone()) await this.status?.clear();
    }
  }

  /**
   * Show how the run ended: the parent's last state (`full`, retried with back-off), else a shorter one (`short`),
   * else a closing reply in the thread (`closing`), else a private note for the requester ({@link privateNote}).
   */
  private async conclude(full: SlackMessage, short: SlackMessage, closing: string): Promise<void> {
    if (!this.lost) {
      const retry = this.options.finalRetry ?? {};
      let failure = await this.updater.settle(full, retry);
      if (failure && failure.kind !== 'not_in_channel' && failure.kind !== 'message_gone') {
        this.logger.warn({ code: failure.code }, 'The last state of the parent was refused; trying a shorter one');
        failure = await this.updater.settle(short, retry);
      }
      if (!failure) return;
      this.refused(failure, 'parent');
      this.lost ??= { scope: 'parent', code: failure.code };
    }
    if (this.lost?.scope === 'parent') {
      try {
        await withRateLimitRetry(
          () =>
            this.client.chat.postMessage({
              channel: this.channel,
              thread_ts: this.ts,
              text: closing,
              blocks: [mrkdwnSection(closing)],
            }),
          this.logger,
          'chat.postMessage (closing reply)',
        );
        this.logger.info({ code: this.lost.code }, 'The parent could not show the outcome; a thread reply does');
        return;
      } catch (err) {
        const failure = classifySlackError(err);
        this.refused(failure, 'reply');
        if (this.lost?.scope === 'parent') this.lost = { scope: 'thread', code: failure.code };
      }
    }
    const lost = this.lost ?? { scope: 'thread', code: 'unknown' };
    this.privateNote =
      lost.scope === 'channel'
        ? lostChannelNotice(this.options.ticker, this.channel, lost.code)
        : lostThreadNotice(this.channel, lost.code, closing);
  }

  /**
   * Take in a refusal for good from Slack. The channel gone: stop everything there and cancel the run. The parent
   * gone (`what` = parent): stop editing it. The thread gone (a reply refused with `message_not_found`): stop
   * replying. Other refusals change nothing here.
   */
  private refused(failure: SlackFailure, what: 'parent' | 'reply'): void {
    if (this.lost?.scope === 'channel') return;
    if (failure.kind === 'not_in_channel') {
      this.lost = { scope: 'channel', code: failure.code };
      this.logger.warn({ code: failure.code }, 'Slack refused the channel: stopping the run and telling the requester');
      this.stopShowing();
      this.writing?.live?.halt();
      this.handle?.cancel(`Slack refused the channel (${failure.code})`);
      return;
    }
    if (failure.kind !== 'message_gone') return;
    if (what === 'parent' && !this.lost) {
      this.lost = { scope: 'parent', code: failure.code };
      this.logger.warn(
        { code: failure.code },
        'The parent message is gone: no more edits; the outcome goes to the thread',
      );
      this.stopShowing();
    } else if (what === 'reply') {
      this.lost = { scope: 'thread', code: failure.code };
      this.logger.warn({ code: failure.code }, 'The thread is gone: the outcome goes to the requester privately');
      this.stopShowing();
    }
  }

  /** No more parent edits, no heartbeat. */
  private stopShowing(): void {
    clearInterval(this.heartbeat);
    this.updater.stop();
  }

  /** True when replies can no longer be posted (the channel or the thread is gone). */
  private threadGone(): boolean {
    return this.lost !== undefined && this.lost.scope !== 'parent';
  }

  /** Delete the parent once pending edits are done. True when Slack deleted it. */
  private async deleteParent(): Promise<boolean> {
    this.updater.discardPending();
    await this.updater.flush();
    try {
      await withRateLimitRetry(
        () => this.client.chat.delete({ channel: this.channel, ts: this.ts }),
        this.logger,
        'chat.delete',
      );
      return true;
    } catch (err) {
      this.logger.warn({ code: classifySlackError(err).code }, 'Could not delete the parent; showing the failure');
      return false;
    }
  }

  /**
   * The heartbeat: where the thread's loading state shows, Slack animates it and only a refresh within its
   * two-minute timeout is due; elsewhere the parent is edited so elapsed time moves.
   */
  private beat(): void {
    if (this.progress?.showing) this.showProgress();
    const status = this.status;
    if (status && this.statusShown()) {
      if (Date.now() - status.shownAt >= STATUS_REFRESH_MS) void status.set(this.loadingState(), true);
      return;
    }
    if (this.progress?.showing) return;
    this.render();
  }

  /** The loading state for the run's current stage: what Slack shows and rotates under the thread. */
  private loadingState(): LoadingState {
    const { ticker, stages, sections } = this.state;
    const status = `is researching ${ticker}…`;
    if (stages.sections.status !== 'pending') {
      const titles = sections.map((s) => s.title);
      return { status, loadingMessages: [`Writing the report: ${titles.join(', ')}…`] };
    }
    if (stages.analysts.status !== 'pending')
      return { status, loadingMessages: ['Four analysts at work: fundamentals, technicals, news, risk…'] };
    return {
      status,
      loadingMessages: [
        `Fetching ${ticker}'s SEC filings, prices, analyst ratings and news…`,
        'Reading what the cache already holds…',
      ],
    };
  }

  /** Send the plan's current state to the progress stream (only what changed goes out). */
  private showProgress(): void {
    this.progress?.show(planTitle(this.state, Date.now()), progressTasks(this.state, this.toolCalls, this.bundle));
  }

  /** End the progress stream with the run's last state. */
  private async finishProgress(): Promise<void> {
    if (!this.progress?.showing) return;
    await this.progress.finish(
      planTitle(this.state, Date.now()),
      progressTasks(this.state, this.toolCalls, this.bundle),
    );
  }

  private onEvent(event: TaggedRunEvent): void {
    this.state = applyRunEvent(this.state, event, Date.now());
    if (event.type === 'toolCallFinished') {
      const { request, part, cache, ms, error, unavailable } = event.payload;
      this.toolCalls.push({
        tool: request.tool,
        part,
        cache,
        ms,
        ...(error === undefined ? {} : { error }),
        ...(unavailable === undefined ? {} : { unavailable }),
      });
    }
    if (event.type === 'bundleReady') this.bundle = event.payload.bundle;
    if (this.progress && this.state.phase === 'running' && !this.lost) this.showProgress();
    if (this.statusShown() && this.isLive()) void this.status?.set(this.loadingState());
    if (event.type === 'bundleReady') this.startChart(event.payload.bundle);
    if (event.type === 'sectionStarted') this.sectionStarted(event.payload);
    if (event.type === 'sectionDelta') this.sectionDelta(event.payload);
    if (event.type === 'sectionReady') this.queueSection(event.payload.section);
    if (event.type !== 'runFinished' && event.type !== 'runFailed' && event.type !== 'sectionDelta') this.render();
  }

  /** Start the clock on a section whose turn it is: still unwritten after a while, it gets a live reply. */
  private sectionStarted({ section, index, title }: RunEvents['sectionStarted']): void {
    if (index !== this.nextIndex || this.writing) return;
    const timer = setTimeout(() => {
      const writing = this.writing;
      if (!writing || writing.index !== index || this.ready.has(index) || this.threadGone()) return;
      const live = new LiveSection({
        client: this.client,
        channel: this.channel,
        threadTs: this.ts,
        id: section,
        title,
        index,
        logger: this.logger,
        ...(this.options.minEditIntervalMs === undefined ? {} : { minEditIntervalMs: this.options.minEditIntervalMs }),
        ...(this.options.stream ? { stream: this.options.stream } : {}),
        decorate: (messages) => this.withFeedback(messages, section),
        gate: this.gate,
        onPosted: () => this.replied(),
      });
      live.append(writing.text);
      writing.live = live;
      this.replies = this.replies.then(() => live.open());
    }, this.options.liveSectionAfterMs ?? 1500);
    this.writing = { index, text: '', timer };
  }

  private sectionDelta({ index, text }: RunEvents['sectionDelta']): void {
    if (this.writing?.index !== index) return;
    this.writing.text += text;
    this.writing.live?.append(text);
  }

  /** Start drawing the price chart from the run's data, off the path of the report. */
  private startChart(bundle: DataBundle): void {
    const render = this.options.chart ?? renderRunChart;
    if (render === false || this.chart) return;
    this.chart = Promise.resolve().then(() => render({ ticker: this.options.ticker, bundle }));
    // Settled when posted, after the Technicals section; a run that ends earlier never shows it.
    this.chart.catch(() => undefined);
  }

  private fileTarget(): ThreadTarget {
    return {
      client: this.client,
      channel: this.channel,
      threadTs: this.ts,
      logger: this.logger,
      onRefused: (failure) => {
        this.refused(failure, 'reply');
        return this.threadGone();
      },
    };
  }

  /** Upload the chart after the Technicals section (or a note in its place); never throws. */
  private async postChartAfter(section: Section): Promise<void> {
    if (section.id !== 'technicals' || !this.chart || this.threadGone()) return;
    const outcome = await postChart(this.fileTarget(), this.options.ticker, this.chart);
    this.replied();
    this.logger.info({ outcome: outcome.kind }, 'Price chart in the thread');
  }

  private async attachReport(result: RunResult): Promise<void> {
    await postRunReport(this.fileTarget(), result);
  }

  private isLive(): boolean {
    return this.state.phase !== 'finished' && this.state.phase !== 'failed' && !this.lost;
  }

  private render(): void {
    if (!this.isLive()) return;
    if (this.statusShown() || this.progress?.showing) {
      // The loading state or the streamed plan shows that the run works; the parent changes only at stages.
      const milestone = JSON.stringify([this.state.phase, this.state.stages, this.state.companyName]);
      if (milestone === this.milestone) return;
      this.milestone = milestone;
    }
    this.updater.set(this.liveMessage());
  }

  /** The parent while the run works: its progress, and the Cancel button once the run is known. */
  private liveMessage(): SlackMessage {
    const message = progressMessage(this.state, Date.now());
    if (this.options.buttons && this.handle) message.blocks.push(cancelActions(this.handle.runId));
    return message;
  }

  /** A section's messages, ending with its feedback buttons when an LLM wrote them. */
  private withFeedback(messages: SlackMessage[], section: SectionId): SlackMessage[] {
    if (!this.options.feedback || !this.handle) return messages;
    return withTrailingBlock(messages, feedbackBlock(this.handle.runId, `section:${section}`));
  }

  /** The finished report's buttons (Refresh, Compare with…, Report file); never rejects. */
  private async finishedButtons(result: RunResult): Promise<types.ActionsBlock | undefined> {
    const buttons = this.options.buttons;
    if (!buttons) return undefined;
    const peers = await (buttons.peers?.(result) ?? Promise.resolve([])).catch((err: unknown) => {
      this.logger.debug({ err }, 'No peers for Compare with…');
      return [];
    });
    return finishedActions(result.runId, peers);
  }

  /** True while the thread's loading state is on show (set, and not removed by a reply since). */
  private statusShown(): boolean {
    return (this.status?.available ?? false) && (this.status?.shownAt ?? 0) > 0;
  }

  /** Remember a finished section; post every section whose turn has come, in report order. */
  private queueSection(section: Section): void {
    if (this.ready.has(section.index)) return;
    if (this.writing?.index === section.index) {
      clearTimeout(this.writing.timer);
      if (this.writing.live) this.liveDone.set(section.index, this.writing.live);
      this.writing = undefined;
    }
    this.ready.set(section.index, section);
    while (this.ready.has(this.nextIndex)) {
      const next = this.ready.get(this.nextIndex) as Section;
      this.nextIndex++;
      this.replies = this.replies.then(() => this.postSection(next)).then(() => this.postChartAfter(next));
    }
  }

  /** A reply was posted: Slack removed the loading state; show it again while sections remain to be posted. */
  private replied(): void {
    const status = this.status;
    if (!status?.available) return;
    status.shownAt = 0;
    clearTimeout(this.statusAgain);
    // A reply is itself news for a while; replies in a burst (a warm run) set the state again once, after it.
    // Also after the run finished: its replies may still be waiting for the channel's posting budget.
    this.statusAgain = setTimeout(() => {
      const more = this.state.sections.some((s) => s.status !== 'posted');
      if (more && this.state.phase !== 'failed' && !this.lost) void status.set(this.loadingState(), true);
    }, STATUS_AFTER_REPLY_MS);
  }

  private async postSection(section: Section): Promise<void> {
    const live = this.liveDone.get(section.index);
    this.liveDone.delete(section.index);
    if (this.threadGone()) return;
    try {
      if (live) {
        this.replyTs.push(...(await live.finish(section)));
        this.state = markSectionPosted(this.state, section.id);
        this.replied();
        this.render();
        return;
      }
      for (const message of this.withFeedback(sectionMessages(section), section.id)) {
        const ts = await postMessageSplitting(
          this.client,
          { channel: this.channel, threadTs: this.ts },
          message,
          this.logger,
          this.gate,
        );
        this.replyTs.push(...ts);
      }
      this.state = markSectionPosted(this.state, section.id);
      this.replied();
      this.render();
    } catch (err) {
      const failure = classifySlackError(err);
      this.refused(failure, 'reply');
      if (this.threadGone()) return;
      this.unposted.push({ title: section.title, code: failure.code });
      this.logger.error({ section: section.id, code: failure.code }, 'A section could not be posted in the thread');
    }
  }
}
