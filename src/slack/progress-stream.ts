/**
 * The run as one Slack stream in its thread (`SLACK_STREAMING=true`): a plan (`task_display_mode: plan`) whose
 * tasks are the run's stages, tool calls and sections ({@link progressTasks}), sent through `client.chatStream()` —
 * `chat.startStream` with the first chunks, then `chat.appendStream` with only the tasks that changed, at most once
 * per `minIntervalMs`, and `chat.stopStream` with the last ones. Slack animates the plan, so the parent needs no
 * heartbeat edits while it streams.
 *
 * A stream accepts appends for about five minutes: past that Slack answers `message_not_in_streaming_state`, and
 * the plan carries on as a message edited with `chat.update` on the stream's `ts` (coalesced, within the budget).
 * A stream Slack will not start (a workspace without streaming, no recipient) is given up: the parent's edits show
 * the progress instead.
 */
import type { types, webApi } from '@slack/bolt';
import type { Logger } from '../log.js';
import { clip, contextLine, escapeMrkdwn, mrkdwnSection, type SlackMessage } from './blocks/format.js';
import { CoalescedUpdater } from './coalesced-updater.js';
import { type Gate, openGate } from './method-budget.js';
import type { TaskChunk } from './progress-chunks.js';
import { classifySlackError } from './slack-errors.js';
import { sleep, withRateLimitRetry } from './web-api-calls.js';

/** Options of a {@link ProgressStream}. */
export interface ProgressStreamOptions {
  client: webApi.WebClient;
  channel: string;
  /** The parent's `ts`: the stream is a reply in its thread. */
  threadTs: string;
  /** Who the stream is shown to as it streams (Slack requires one outside direct messages). */
  recipient: { teamId: string; userId: string };
  logger: Logger;
  /** @default openGate */
  gate?: Gate;
  /** Least time between two appends (or fallback edits), ms. @default 1000 */
  minIntervalMs?: number;
}

/** What the stream should show: the plan's title and every task. */
interface Shown {
  plan: string;
  tasks: TaskChunk[];
}

const ICON: Record<TaskChunk['status'], string> = {
  pending: ':white_small_square:',
  in_progress: ':hourglass_flowing_sand:',
  complete: ':white_check_mark:',
  error: ':x:',
};

/** The plan as an ordinary message, for the edits after the stream expired. */
export function planMessage(shown: Shown): SlackMessage {
  const lines = shown.tasks.map((t) => {
    const links = (t.sources ?? []).map((s) => `<${s.url}|${escapeMrkdwn(s.text)}>`).join(' · ');
    const details = t.details ? ` — ${escapeMrkdwn(t.details)}` : '';
    return `${ICON[t.status]} ${escapeMrkdwn(t.title)}${details}${links ? `\n      ${links}` : ''}`;
  });
  const blocks: types.KnownBlock[] = [
    mrkdwnSection(`*${escapeMrkdwn(shown.plan)}*`),
    mrkdwnSection(clip(lines.join('\n'), 3000)),
    contextLine('The live plan stopped streaming after five minutes; this message keeps it up to date.'),
  ];
  return { text: clip(shown.plan), blocks };
}

/** One run's plan, streamed in its thread. */
export class ProgressStream {
  private readonly streamer: webApi.ChatStreamer;
  private readonly gate: Gate;
  private readonly minIntervalMs: number;
  private readonly updater: CoalescedUpdater;
  /** `stream` while Slack takes appends; `edit` once it expired; `off` when it never started. */
  mode: 'stream' | 'edit' | 'off' = 'stream';
  private desired: Shown | undefined;
  private readonly sent = new Map<string, string>();
  private sentPlan: string | undefined;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private pump: Promise<void> | undefined;
  /** Appends and starts Slack accepted. */
  appends = 0;

  constructor(private readonly options: ProgressStreamOptions) {
    this.gate = options.gate ?? openGate;
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.streamer = options.client.chatStream({
      channel: options.channel,
      thread_ts: options.threadTs,
      recipient_team_id: options.recipient.teamId,
      recipient_user_id: options.recipient.userId,
      task_display_mode: 'plan',
    });
    this.updater = new CoalescedUpdater({
      logger: options.logger,
      minIntervalMs: this.minIntervalMs,
      schedule: (edit, o) => this.gate('chat.update', edit, o),
      send: async (message) => {
        await options.client.chat.update({
          channel: options.channel,
          ts: this.streamer.ts as string,
          text: message.text,
          blocks: message.blocks,
        });
      },
    });
  }

  /** `ts` of the stream's message, once Slack started it. */
  get ts(): string | undefined {
    return this.streamer.ts;
  }

  /** True while the plan is on show in the thread (streaming, or edited after the stream expired). */
  get showing(): boolean {
    return this.mode !== 'off' && this.ts !== undefined;
  }

  /** Show `plan` and `tasks` (sent with the next append: only what changed). */
  show(plan: string, tasks: TaskChunk[]): void {
    if (this.mode === 'off') return;
    this.desired = { plan, tasks };
    if (this.mode === 'edit') {
      this.updater.set(planMessage(this.desired));
      return;
    }
    this.pump ??= this.run().finally(() => {
      this.pump = undefined;
    });
  }

  /** Show the last state and end the stream (`chat.stopStream`, or the last edit after it expired). Never rejects. */
  async finish(plan: string, tasks: TaskChunk[]): Promise<void> {
    if (this.mode === 'off') return;
    this.desired = { plan, tasks };
    while (this.pump) await this.pump;
    if (this.mode === 'stream' && this.ts) {
      const chunks = this.changes(this.desired);
      try {
        await withRateLimitRetry(
          () =>
            this.gate('chat.stopStream', () => this.streamer.stop(chunks.length > 0 ? { chunks } : {}), {
              priority: 1,
            }),
          this.options.logger,
          'chat.stopStream',
        );
        return;
      } catch (err) {
        this.expired(err);
      }
    }
    if (this.mode === 'edit') {
      const failure = await this.updater.settle(planMessage(this.desired));
      if (failure) this.options.logger.warn({ code: failure.code }, 'The last state of the plan was refused');
    }
  }

  /** The chunks that differ from what Slack shows: the plan's title, then each changed task. */
  private changes(shown: Shown): types.AnyChunk[] {
    const chunks: types.AnyChunk[] = [];
    if (shown.plan !== this.sentPlan) chunks.push({ type: 'plan_update', title: shown.plan });
    for (const task of shown.tasks) if (this.sent.get(task.id) !== JSON.stringify(task)) chunks.push(task);
    return chunks;
  }

  private async run(): Promise<void> {
    while (this.mode === 'stream' && this.desired) {
      const shown = this.desired;
      const chunks = this.changes(shown);
      if (chunks.length === 0) return;
      const wait = this.lastSentAt + this.minIntervalMs - Date.now();
      if (wait > 0) {
        await sleep(wait);
        continue;
      }
      const method = this.ts ? 'chat.appendStream' : 'chat.startStream';
      this.lastSentAt = Date.now();
      try {
        await withRateLimitRetry(
          () => this.gate(method, () => this.streamer.append({ chunks })),
          this.options.logger,
          method,
        );
        this.appends++;
        this.sentPlan = shown.plan;
        for (const chunk of chunks) if (chunk.type === 'task_update') this.sent.set(chunk.id, JSON.stringify(chunk));
      } catch (err) {
        this.expired(err);
      }
    }
  }

  /** The stream refused a call: never started → give it up; started → carry on with edits on its `ts`. */
  private expired(err: unknown): void {
    const failure = classifySlackError(err);
    if (!this.ts) {
      this.mode = 'off';
      this.options.logger.warn(
        { code: failure.code },
        'Slack would not start the progress stream; the parent shows it',
      );
      return;
    }
    this.mode = 'edit';
    this.options.logger.info({ code: failure.code }, 'The progress stream ended; its message is edited from now on');
    if (this.desired) this.updater.set(planMessage(this.desired));
  }
}
