/**
 * Coalesced edits of one Slack message: at most one `chat.update` per interval, identical states skipped, the
 * latest state always delivered in the end. A `ratelimited` answer waits its `Retry-After` and then sends the
 * newest state (not the stale one), so nothing is lost and nothing out of date is shown. The last state of a
 * message goes through {@link CoalescedUpdater.settle}, which also retries passing faults with back-off (p-retry)
 * and says whether it was shown.
 */
import pRetry from 'p-retry';
import type { Logger } from '../log.js';
import type { SlackMessage } from './blocks/index.js';
import type { GateOptions, SlackMethodBudget } from './method-budget.js';
import { classifySlackError, type SlackFailure } from './slack-errors.js';
import { sleep, withRateLimitRetry } from './web-api-calls.js';

/** Options of a {@link CoalescedUpdater}. */
export interface CoalescedUpdaterOptions {
  /** Sends one edit (e.g. `chat.update`); throws the Web API error. */
  send: (message: SlackMessage) => Promise<void>;
  logger: Logger;
  /**
   * Least time from the end of one edit (Slack's answer) to the start of the next, ms. Measured from the answer,
   * not from the send, so two edits never reach Slack closer than this even when one was slow to leave. @default 1000
   */
  minIntervalMs?: number;
  /**
   * Called just before an edit is sent; a message returned replaces the pending one, so time-dependent content
   * (elapsed, ETA) is current when it reaches Slack. Return `undefined` to send the pending message as set.
   */
  refresh?: () => SlackMessage | undefined;
  /** Told of every edit that failed for good (not rate limits), e.g. to stop editing a deleted message. */
  onFailure?: (failure: SlackFailure) => void;
  /**
   * Runs each edit when the workspace's `chat.update` budget allows ({@link SlackMethodBudget}); the state sent is
   * chosen when the turn comes, so waiting never sends a stale one. The last state asks for priority 1.
   * @default run at once
   */
  schedule?: (edit: () => Promise<void>, options: GateOptions) => Promise<void>;
}

/** How {@link CoalescedUpdater.settle} retries passing faults (`internal_error`, network errors, HTTP 5xx). */
export interface SettleRetry {
  /** Tries after the first. @default 2 */
  retries?: number;
  /** Wait before the first retry, ms; doubled for each next one. @default 500 */
  minTimeoutMs?: number;
}

/** Holds the desired state of one message and keeps Slack in step with it. */
export class CoalescedUpdater {
  private readonly send: (message: SlackMessage) => Promise<void>;
  private readonly logger: Logger;
  private readonly minIntervalMs: number;
  private readonly refresh: (() => SlackMessage | undefined) | undefined;
  private readonly onFailure: ((failure: SlackFailure) => void) | undefined;
  private readonly schedule: (edit: () => Promise<void>, options: GateOptions) => Promise<void>;
  /** Set by {@link stop}: further states are ignored. */
  private stopped = false;
  private desired: { key: string; message: SlackMessage } | undefined;
  private sentKey: string | undefined;
  /** When the last edit ended (or the message was posted), epoch ms. */
  private lastEditMs = Number.NEGATIVE_INFINITY;
  private pump: Promise<void> | undefined;
  /** Edits Slack accepted. */
  edits = 0;
  /** Edits that failed for good (not rate limits, which are retried). */
  failures = 0;

  constructor(options: CoalescedUpdaterOptions) {
    this.send = options.send;
    this.logger = options.logger;
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.refresh = options.refresh;
    this.onFailure = options.onFailure;
    this.schedule = options.schedule ?? ((edit) => edit());
  }

  /**
   * Treat `message` as already shown (the message was just posted with it). Posting is not an edit, so the first
   * edit may follow sooner than the interval: after `firstEditAfterMs` (a run that ends within it, e.g. one served
   * from the cache, goes straight to its final state).
   */
  markSent(message: SlackMessage, firstEditAfterMs = 0): void {
    this.sentKey = JSON.stringify(message);
    this.lastEditMs = Date.now() - this.minIntervalMs + Math.min(firstEditAfterMs, this.minIntervalMs);
  }

  /**
   * Make `message` the state to show; sent when the interval allows, skipped if identical to the last one.
   * `options.priority` 1 marks a message's last state, which goes first when edits wait for the budget.
   */
  set(message: SlackMessage, options: GateOptions = {}): void {
    if (this.stopped) return;
    const key = JSON.stringify(message);
    if (this.desired?.key === key) return;
    this.desired = { key, message };
    this.priority = options.priority ?? 0;
    this.kick();
  }

  /** Priority of the state waiting to be sent. */
  private priority = 0;

  /** Forget the state not yet sent (an edit already in flight still completes). */
  discardPending(): void {
    this.desired = undefined;
  }

  /** Send nothing more: the pending state is dropped and later ones ignored (an edit in flight completes). */
  stop(): void {
    this.stopped = true;
    this.desired = undefined;
  }

  /**
   * Show `message` as the message's last state, and say whether it was shown. States not yet sent are dropped; the
   * interval is kept; `ratelimited` waits `Retry-After`; a passing fault is tried again with back-off (`retry`).
   * Afterwards the updater is stopped. Works after {@link stop} too, so a shorter last state can follow a refused one.
   * @returns `undefined` when Slack accepted the edit, else the failure (e.g. `too_long`, `message_gone`).
   */
  async settle(message: SlackMessage, retry: SettleRetry = {}): Promise<SlackFailure | undefined> {
    this.stop();
    await this.flush();
    const wait = this.lastEditMs + this.minIntervalMs - Date.now();
    if (wait > 0) await sleep(wait);
    try {
      const send = () => this.schedule(() => this.send(message), { priority: 1 });
      await pRetry(() => withRateLimitRetry(send, this.logger, 'chat.update (last state)'), {
        retries: retry.retries ?? 2,
        minTimeout: retry.minTimeoutMs ?? 500,
        factor: 2,
        shouldRetry: ({ error }) => classifySlackError(error).kind === 'transient',
        onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
          const failure = classifySlackError(error);
          this.logger.warn({ code: failure.code, attemptNumber, retriesLeft }, 'The last state of a message failed');
        },
      });
      this.lastEditMs = Date.now();
      this.sentKey = JSON.stringify(message);
      this.edits++;
      return undefined;
    } catch (err) {
      this.lastEditMs = Date.now();
      this.failures++;
      return classifySlackError(err);
    }
  }

  /** Resolves once the latest state set so far has been delivered (or failed for good). */
  async flush(): Promise<void> {
    while (this.pump) await this.pump;
  }

  private kick(): void {
    if (this.pump) return;
    this.pump = this.run().finally(() => {
      this.pump = undefined;
      if (this.desired && this.desired.key !== this.sentKey) this.kick();
    });
  }

  private async run(): Promise<void> {
    while (this.desired && this.desired.key !== this.sentKey) {
      const wait = this.lastEditMs + this.minIntervalMs - Date.now();
      if (wait > 0) await sleep(wait);
      if (!this.desired || this.desired.key === this.sentKey) break;
      try {
        await this.schedule(() => this.sendLatest(), { priority: this.priority });
      } catch (err) {
        this.lastEditMs = Date.now();
        const failure = classifySlackError(err);
        if (failure.kind === 'ratelimited') {
          this.logger.warn(
            { retryAfterMs: failure.retryAfterMs },
            'chat.update rate limited; will send the latest state',
          );
          await sleep(failure.retryAfterMs);
          continue;
        }
        this.failures++;
        this.sentKey = this.attempted;
        this.logger.error({ code: failure.code }, 'A message edit failed; the next state will be tried');
        this.onFailure?.(failure);
      }
    }
  }

  /** Key of the state last handed to `send` (marked as sent when it fails for good, so it is not retried). */
  private attempted: string | undefined;

  /** Send the newest state (refreshed now that the turn has come), unless it is already shown. */
  private async sendLatest(): Promise<void> {
    const fresh = this.refresh?.();
    if (fresh) this.desired = { key: JSON.stringify(fresh), message: fresh };
    const target = this.desired;
    if (!target || target.key === this.sentKey || this.stopped) return;
    this.attempted = target.key;
    await this.send(target.message);
    this.lastEditMs = Date.now();
    this.sentKey = target.key;
    this.edits++;
  }
}
