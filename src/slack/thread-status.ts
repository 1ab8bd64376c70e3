/**
 * The thread's loading state (`assistant.threads.setStatus` with `loading_messages`): Slack shows "tickerdesk is
 * researching NVDA…" under the thread and rotates the loading messages itself, so the "still working" beat costs
 * no `chat.update` of the parent. Slack removes a status when the app posts in the thread, and after two minutes
 * without a message; the thread writer sets it again after each reply and refreshes it well within two minutes.
 *
 * Where Slack refuses the method to the app (no scope, not a thread it serves, an older workspace:
 * {@link isUnsupportedHere}), the workspace is remembered in {@link StatusSupport} and no further call is made there;
 * the writer falls back to heartbeat edits. Statuses are coalesced: only the newest one waiting is sent.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../log.js';
import { type Gate, openGate } from './method-budget.js';
import { classifySlackError, isUnsupportedHere } from './slack-errors.js';
import { withRateLimitRetry } from './web-api-calls.js';

/** Workspaces where Slack refused loading states to the app, with the code; kept for the process. */
export class StatusSupport {
  private readonly refused = new Map<string, string>();

  /** The code Slack refused loading states with in `workspace`, or `undefined` when they were not refused. */
  refusedIn(workspace: string): string | undefined {
    return this.refused.get(workspace);
  }

  /** Remember that `workspace` refused loading states with `code`. */
  refuse(workspace: string, code: string): void {
    this.refused.set(workspace, code);
  }
}

/** Most loading messages Slack rotates through. */
export const MAX_LOADING_MESSAGES = 10;

/** A status to show: the line after the app's name, and the messages Slack rotates while it shows. */
export interface LoadingState {
  /** e.g. `is researching NVDA…` ('' clears the status). */
  status: string;
  loadingMessages?: string[];
}

/** Options of a {@link ThreadStatus}. */
export interface ThreadStatusOptions {
  client: webApi.WebClient;
  channel: string;
  /** The parent's `ts`. */
  threadTs: string;
  /** Team id (or another stable key of the installation) the memory of refusals is kept under. */
  workspace: string;
  support: StatusSupport;
  logger: Logger;
  /** @default openGate */
  gate?: Gate;
}

/** One thread's loading state. */
export class ThreadStatus {
  private desired: LoadingState | undefined;
  private shownKey: string | undefined;
  private pump: Promise<void> | undefined;
  /** When Slack last accepted a status, epoch ms (0: never). */
  shownAt = 0;
  /** Calls Slack accepted. */
  calls = 0;

  constructor(private readonly options: ThreadStatusOptions) {}

  /** False once Slack refused loading states in this workspace (by this thread or another). */
  get available(): boolean {
    return this.options.support.refusedIn(this.options.workspace) === undefined;
  }

  /**
   * Show `state` (after any status being sent). Resolves true when Slack shows it (or a newer one), false when the
   * workspace refuses loading states. Never rejects: other failures are logged and leave the status as it was.
   */
  async set(state: LoadingState, force = false): Promise<boolean> {
    if (!this.available) return false;
    this.desired = {
      status: state.status,
      loadingMessages: (state.loadingMessages ?? []).slice(0, MAX_LOADING_MESSAGES),
    };
    if (force) this.shownKey = undefined;
    this.pump ??= this.run().finally(() => {
      this.pump = undefined;
    });
    await this.pump;
    return this.available;
  }

  /** Remove the status (when the run ended without a reply that would have removed it). */
  async clear(): Promise<void> {
    if (this.shownAt > 0) await this.set({ status: '' });
  }

  private async run(): Promise<void> {
    while (this.desired && this.available) {
      const state = this.desired;
      const key = JSON.stringify(state);
      if (key === this.shownKey) return;
      this.desired = undefined;
      const { client, channel, threadTs, logger } = this.options;
      const gate = this.options.gate ?? openGate;
      try {
        await withRateLimitRetry(
          () =>
            gate('assistant.threads.setStatus', () =>
              client.assistant.threads.setStatus({
                channel_id: channel,
                thread_ts: threadTs,
                status: state.status,
                ...(state.loadingMessages?.length ? { loading_messages: state.loadingMessages } : {}),
              }),
            ),
          logger,
          'assistant.threads.setStatus',
        );
        this.shownKey = key;
        this.shownAt = state.status === '' ? 0 : Date.now();
        this.calls++;
      } catch (err) {
        const failure = classifySlackError(err);
        if (isUnsupportedHere(failure)) {
          this.options.support.refuse(this.options.workspace, failure.code);
          logger.info(
            { code: failure.code },
            'Slack refused loading states in this workspace; progress uses message edits there',
          );
          return;
        }
        logger.warn({ code: failure.code }, 'Could not set the thread status');
      }
    }
  }
}
