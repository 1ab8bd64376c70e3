/**
 * A section reply that shows its text while it is being written (LLM writers stream Markdown through
 * `sectionDelta`): the reply is posted with the text so far, edited as text arrives (coalesced, at most one edit
 * per second, through {@link CoalescedUpdater}), and replaced by the finished section at the end; what does not fit
 * in one message follows as further replies. Nothing is dropped: when the final edit fails, the whole section is
 * posted again as new replies.
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
import { classifySlackError } from './slack-errors.js';
import { postMessageSplitting, withRateLimitRetry } from './web-api-calls.js';

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
}

/** One section reply, live while written. */
export class LiveSection {
  readonly index: number;
  private text = '';
  private ts: string | undefined;
  private readonly updater: CoalescedUpdater;

  constructor(private readonly options: LiveSectionOptions) {
    this.index = options.index;
    this.updater = new CoalescedUpdater({
      logger: options.logger,
      minIntervalMs: options.minEditIntervalMs ?? 1000,
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

  /** Add streamed Markdown; shown with the next edit once the reply exists. */
  append(text: string): void {
    this.text += text;
    if (this.ts) this.updater.set(this.render());
  }

  /** Post the reply with the text so far. A failure is logged; {@link finish} then posts the section anew. */
  async open(): Promise<void> {
    const message = this.render();
    try {
      const res = await withRateLimitRetry(
        () =>
          this.options.client.chat.postMessage({
            channel: this.options.channel,
            thread_ts: this.options.threadTs,
            text: message.text,
            blocks: message.blocks,
          }),
        this.options.logger,
        'chat.postMessage (live section)',
      );
      this.ts = res.ts;
      this.updater.markSent(message);
      if (this.render().text !== message.text || JSON.stringify(this.render()) !== JSON.stringify(message)) {
        this.updater.set(this.render());
      }
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
    const messages = sectionMessages(section);
    const to = { channel: this.options.channel, threadTs: this.options.threadTs };
    const posted: string[] = [];
    let rest = messages;
    if (this.ts && messages[0]) {
      const failures = this.updater.failures;
      this.updater.set(messages[0]);
      await this.updater.flush();
      if (this.updater.failures === failures) {
        posted.push(this.ts);
        rest = messages.slice(1);
      } else {
        this.options.logger.warn({ section: section.id }, 'The final edit of a live section failed; posting it anew');
      }
    }
    for (const message of rest)
      posted.push(...(await postMessageSplitting(this.options.client, to, message, this.options.logger)));
    return posted;
  }

  /** The run stopped while this section was written: keep the text so far, with `note` instead of "writing…". */
  async abandon(note: string): Promise<void> {
    if (!this.ts) return;
    const message = this.render();
    this.updater.set({
      text: message.text,
      blocks: [...message.blocks.slice(0, -1), contextLine(`:warning: ${note}`)],
    });
    await this.updater.flush();
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
