/**
 * A section reply that shows its text while it is being written (LLM writers stream Markdown through
 * `sectionDelta`). Two ways:
 * - **edit** (default): the reply is posted with the text so far and edited as text arrives, coalesced to at most
 *   one `chat.update` per second ({@link CoalescedUpdater});
 * - **stream** (`SLACK_STREAMING=true`): the reply is a Slack text stream (`chat.startStream`, `chat.appendStream`
 *   at most once a second with everything new, `chat.stopStream`). Streams stop accepting text about 5 minutes
 *   after they start, and some workspaces refuse them: past {@link STREAM_MAX_MS}, or on any stream error, the
 *   reply carries on with `chat.update` on the same `ts`.
 * At the end the reply becomes the finished section (converted mrkdwn); what does not fit in one message follows
 * as further replies. Nothing is dropped: when the final edit fails, the whole section is posted anew.
 */
import type { types, webApi } from '@slack/bolt';
import type { Logger } from '../log.js';
import type { Section, SectionId } from '../research/types.js';
import {
  contextLine,
  MAX_BLOCKS,
  mrkdwnSection,
  type SlackMessage,
  sectionMessages,
  sectionTitle,
} from './blocks/index.js';
import { CoalescedUpdater } from './coalesced-updater.js';
import { type Gate, openGate } from './method-budget.js';
import { classifySlackError } from './slack-errors.js';
import { postMessageSplitting, sleep, withRateLimitRetry } from './web-api-calls.js';

/** After this long a stream is stopped and the reply continues with edits, ms (Slack's limit is about 5 min). */
export const STREAM_MAX_MS = 4.5 * 60_000;

/** Options of a {@link LiveSection}. */
export interface LiveSectionOptions {
  client: webApi.WebClient;
  channel: string;
  /** The parent's `ts`. */
  threadTs: string;
  id: SectionId;
  title: string;
  index: number;
  logger: Logger;
  /** @default 1000 */
  minEditIntervalMs?: number;
  /** Set → stream the text with `chat.startStream` to this recipient (required by Slack outside DMs). */
  stream?: { teamId: string; userId: string };
  /** Adds to the finished section's messages (the feedback buttons). */
  decorate?: (messages: SlackMessage[]) => SlackMessage[];
  /** The app's Web API budget for this workspace and channel. @default openGate */
  gate?: Gate;
  /** Told when the reply is posted in the thread (which removes the thread's loading state). */
  onPosted?: () => void;
}

/** One section reply, live while written. */
export class LiveSection {
  readonly index: number;
  private text = '';
  private ts: string | undefined;
  private mode: 'edit' | 'stream' = 'edit';
  private streamStartedAt = 0;
  private streamed = 0;
  private lastAppendAt = Number.NEGATIVE_INFINITY;
  private streamPump: Promise<void> | undefined;
  private readonly updater: CoalescedUpdater;
  private readonly minIntervalMs: number;
  private readonly gate: Gate;

  constructor(private readonly options: LiveSectionOptions) {
    this.index = options.index;
    this.minIntervalMs = options.minEditIntervalMs ?? 1000;
    const gate = options.gate ?? openGate;
    this.gate = gate;
    this.updater = new CoalescedUpdater({
      logger: options.logger,
      minIntervalMs: this.minIntervalMs,
      schedule: (edit, o) => gate('chat.update', edit, o),
      send: async (message) => {
        await options.client.chat.update({
          channel: options.channel,
          ts: this.ts as string,
          text: message.text,
          blocks: message.blocks,
        });
      },
    });
  }

  /** Add streamed Markdown; shown with the next edit or append once the reply exists. */
  append(text: string): void {
    this.text += text;
    if (!this.ts) return;
    if (this.mode === 'stream') this.kickStream();
    else this.updater.set(this.render());
  }

  /** Post the reply (or start the stream) with the text so far. Failures are logged; {@link finish} then posts anew. */
  async open(): Promise<void> {
    if (this.options.stream && (await this.startStream(this.options.stream))) return;
    const message = this.render();
    try {
      const res = await withRateLimitRetry(
        () =>
          this.gate('chat.postMessage', () =>
            this.options.client.chat.postMessage({
              channel: this.options.channel,
              thread_ts: this.options.threadTs,
              text: message.text,
              blocks: message.blocks,
            }),
          ),
        this.options.logger,
        'chat.postMessage (live section)',
      );
      this.ts = res.ts;
      this.options.onPosted?.();
      this.updater.markSent(message);
      this.updater.set(this.render());
    } catch (err) {
      this.options.logger.warn({ code: classifySlackError(err).code }, 'Could not open a live section reply');
    }
  }

  /**
   * Show the finished `section`: the live reply becomes its first message, further messages follow in the thread.
   * Returns the `ts` of every reply that carries the section.
   * @throws the Web API error when a follow-up reply cannot be posted.
   */
  async finish(section: Section): Promise<string[]> {
    await this.endStream(false);
    const messages = this.options.decorate ? this.options.decorate(sectionMessages(section)) : sectionMessages(section);
    const to = { channel: this.options.channel, threadTs: this.options.threadTs };
    const posted: string[] = [];
    let rest = messages;
    if (this.ts && messages[0]) {
      const failures = this.updater.failures;
      this.updater.set(messages[0], { priority: 1 });
      await this.updater.flush();
      if (this.updater.failures === failures) {
        posted.push(this.ts);
        rest = messages.slice(1);
      } else {
        this.options.logger.warn({ section: section.id }, 'The final edit of a live section failed; posting it anew');
      }
    }
    for (const message of rest) {
      posted.push(...(await postMessageSplitting(this.options.client, to, message, this.options.logger, this.gate)));
    }
    return posted;
  }

  /** Send nothing more (the channel is gone): no edits, no stream appends. */
  halt(): void {
    this.mode = 'edit';
    this.updater.stop();
  }

  /** The run stopped while this section was written: keep the text so far, with `note` instead of "writing…". */
  async abandon(note: string): Promise<void> {
    await this.endStream(false);
    if (!this.ts) return;
    const message = this.render();
    this.updater.set({
      text: message.text,
      blocks: [...message.blocks.slice(0, -1), contextLine(`:warning: ${note}`)],
    });
    await this.updater.flush();
  }

  private async startStream(recipient: { teamId: string; userId: string }): Promise<boolean> {
    const markdown = `**${this.options.index + 1}/6 · ${this.options.title}**\n\n${this.text}`;
    try {
      const res = await withRateLimitRetry(
        () =>
          this.gate('chat.startStream', () =>
            this.options.client.chat.startStream({
              channel: this.options.channel,
              thread_ts: this.options.threadTs,
              recipient_team_id: recipient.teamId,
              recipient_user_id: recipient.userId,
              markdown_text: markdown,
            }),
          ),
        this.options.logger,
        'chat.startStream',
      );
      if (!res.ts) return false;
      this.ts = res.ts;
      this.options.onPosted?.();
      this.mode = 'stream';
      this.streamStartedAt = Date.now();
      this.lastAppendAt = Date.now();
      this.streamed = this.text.length;
      this.kickStream();
      return true;
    } catch (err) {
      this.options.logger.warn({ code: classifySlackError(err).code }, 'Slack refused a text stream; using edits');
      return false;
    }
  }

  private kickStream(): void {
    if (this.streamPump) return;
    this.streamPump = this.pumpStream().finally(() => {
      this.streamPump = undefined;
      if (this.mode === 'stream' && this.streamed < this.text.length) this.kickStream();
    });
  }

  /** Append everything new, at most once per interval; past the stream's age limit or on an error, switch to edits. */
  private async pumpStream(): Promise<void> {
    while (this.mode === 'stream' && this.streamed < this.text.length) {
      const wait = this.lastAppendAt + this.minIntervalMs - Date.now();
      if (wait > 0) await sleep(wait);
      if (this.mode !== 'stream') return;
      if (Date.now() - this.streamStartedAt > STREAM_MAX_MS) {
        await this.endStream(true);
        return;
      }
      const chunk = this.text.slice(this.streamed);
      this.lastAppendAt = Date.now();
      try {
        await withRateLimitRetry(
          () =>
            this.gate('chat.appendStream', () =>
              this.options.client.chat.appendStream({
                channel: this.options.channel,
                ts: this.ts as string,
                markdown_text: chunk,
              }),
            ),
          this.options.logger,
          'chat.appendStream',
        );
        this.streamed += chunk.length;
      } catch (err) {
        this.options.logger.warn({ code: classifySlackError(err).code }, 'A text stream failed; using edits');
        await this.endStream(true);
        return;
      }
    }
  }

  /** Stop the stream (if any) after pending appends; `showSoFar` then edits the reply with the text so far. */
  private async endStream(showSoFar: boolean): Promise<void> {
    if (this.mode !== 'stream') return;
    if (!showSoFar) while (this.streamPump) await this.streamPump;
    if (this.mode !== 'stream') return;
    this.mode = 'edit';
    try {
      await withRateLimitRetry(
        () =>
          this.gate('chat.stopStream', () =>
            this.options.client.chat.stopStream({ channel: this.options.channel, ts: this.ts as string }),
          ),
        this.options.logger,
        'chat.stopStream',
      );
    } catch (err) {
      this.options.logger.debug({ code: classifySlackError(err).code }, 'chat.stopStream failed');
    }
    if (showSoFar) this.updater.set(this.render());
  }

  private render(): SlackMessage {
    const partial: Section = {
      id: this.options.id,
      title: this.options.title,
      index: this.options.index,
      markdown: this.text,
    };
    if (this.text.trim() === '') {
      const title = sectionTitle(partial);
      return {
        text: `${this.options.title}: writing…`,
        blocks: [mrkdwnSection(title), contextLine(':writing_hand: writing…')],
      };
    }
    const [first] = sectionMessages(partial);
    const blocks: types.KnownBlock[] = [
      ...(first?.blocks ?? []).slice(0, MAX_BLOCKS - 1),
      contextLine(':writing_hand: writing…'),
    ];
    return { text: first?.text ?? this.options.title, blocks };
  }
}
