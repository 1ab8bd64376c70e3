/**
 * Feedback and the App Home tab (issue 14, part 7) on the real runtime (our MCP server on the bundled data, the
 * SQLite run log) behind the real Bolt app; interactivity and events signed as Slack sends them.
 * - sections end with feedback buttons when an LLM writes them; a thumbs-up is stored with the run record, a
 *   thumbs-down opens the form, stored with its reasons and comment when sent, alone when the form is closed;
 * - the feedback is counted in /perf (and the perf report);
 * - `app_home_opened` publishes the person's recent reports with permalinks, the channel's most-researched tickers
 *   and the headline /perf figures;
 * - an LLM-written follow-up answer ends with feedback buttons too, stored with the run's record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FollowUpAnswerer } from '../../src/conversation/types.js';
import { FEEDBACK_INPUTS, FEEDBACK_VIEW } from '../../src/slack/blocks/feedback-modal.js';
import { RUN_ACTIONS } from '../../src/slack/blocks/run-actions.js';
import { STALE_NOTE } from '../../src/slack/listeners/actions/run-button.js';
import { researchInSlack, type SlackOnRuntime, startSlackOnRuntime, waitFor } from '../helpers/slack-runtime.js';

let app: SlackOnRuntime;
let parentTs: string;

/** Stands in for the Claude answerer (its own tests run it against the Anthropic stand-in): answers from the thread. */
const modelDouble: FollowUpAnswerer = {
  name: 'claude',
  async answer(_question, context) {
    const rating = context.record.verdict?.rating ?? 'unknown';
    return {
      text: `The report's verdict is **${rating}**.`,
      figures: [],
      toolCalls: [],
      answerer: 'claude',
      intent: 'other',
    };
  },
};

interface FeedbackElement {
  type: string;
  action_id: string;
  positive_button: { value: string };
  negative_button: { value: string };
}

/** The feedback buttons in the thread of `ts`, by the section they follow (read from the block id). */
function feedbackButtons(ts: string): Map<string, FeedbackElement> {
  const found = new Map<string, FeedbackElement>();
  for (const m of app.standIn.messages.values()) {
    if (m.threadTs !== ts) continue;
    for (const block of m.blocks as { type: string; block_id?: string; elements?: FeedbackElement[] }[]) {
      if (block.type !== 'context_actions') continue;
      const element = block.elements?.find((e) => e.type === 'feedback_buttons');
      if (element) found.set(String(block.block_id).split(':').at(-1) ?? '', element);
    }
  }
  return found;
}

const privateTo = (user: string) =>
  app.standIn.callsOf(`response_url:action:${user}`).map((c) => String(c.args.text ?? ''));
const ephemeralTo = (user: string) =>
  app.standIn
    .callsOf('chat.postEphemeral')
    .filter((c) => c.args.user === user)
    .map((c) => String(c.args.text ?? ''));
const feedbackOf = async (runId: string) => (await app.runtime.metrics.get(runId))?.feedback ?? [];
const runIdOf = (element: FeedbackElement) => element.positive_button.value.split('|')[1] as string;
const pressFeedback = (value: string, user: string) =>
  app.action(
    { action_id: RUN_ACTIONS.feedback, type: 'feedback_buttons', value },
    { channel: 'C0FEED', user, messageTs: parentTs },
  );

beforeAll(async () => {
  app = await startSlackOnRuntime({}, { sectionFeedback: true, answerer: modelDouble });
  parentTs = await researchInSlack(app, 'C0FEED');
}, 90_000);

afterAll(async () => {
  await app?.close();
});

describe('Feedback buttons', () => {
  it('end every section of the report', () => {
    const buttons = feedbackButtons(parentTs);
    expect([...buttons.keys()].sort()).toEqual(['fundamentals', 'news', 'risks', 'summary', 'technicals', 'verdict']);
    const summary = buttons.get('summary') as FeedbackElement;
    expect(summary.action_id).toBe(RUN_ACTIONS.feedback);
    expect(summary.positive_button.value).toMatch(/^up\|.+\|section:summary$/);
    expect(summary.negative_button.value).toMatch(/^down\|.+\|section:summary$/);
  });

  it('a thumbs-up is stored with the run record and acknowledged privately', async () => {
    const summary = feedbackButtons(parentTs).get('summary') as FeedbackElement;
    const runId = runIdOf(summary);
    const res = await pressFeedback(summary.positive_button.value, 'U0BOB');
    expect(res.status).toBe(200);
    await waitFor(() => privateTo('U0BOB').length === 1, 'the thank-you');
    expect(privateTo('U0BOB')[0]).toBe(':+1: Thanks! Your feedback is stored with this report.');
    expect(await feedbackOf(runId)).toEqual([
      expect.objectContaining({ vote: 'up', user: 'U0BOB', target: 'section:summary' }),
    ]);
  });

  it('a thumbs-down opens the form; sent, it is stored with its reasons and comment', async () => {
    const fundamentals = feedbackButtons(parentTs).get('fundamentals') as FeedbackElement;
    const runId = runIdOf(fundamentals);
    const opened = app.standIn.openedViews.length;
    await pressFeedback(fundamentals.negative_button.value, 'U0CAROL');
    await waitFor(() => app.standIn.openedViews.length === opened + 1, 'the form');
    const form = app.standIn.openedViews.at(-1)?.view as { callback_id: string; private_metadata: string };
    expect(form.callback_id).toBe(FEEDBACK_VIEW);
    // Nothing is stored until the form is sent or closed.
    expect((await feedbackOf(runId)).filter((f) => f.vote === 'down')).toEqual([]);

    const res = await app.view(
      'view_submission',
      {
        callback_id: FEEDBACK_VIEW,
        private_metadata: form.private_metadata,
        values: {
          [FEEDBACK_INPUTS.reasons.block]: {
            [FEEDBACK_INPUTS.reasons.action]: {
              type: 'checkboxes',
              selected_options: [
                { text: { type: 'plain_text', text: 'A figure is wrong' }, value: 'wrong-figure' },
                { text: { type: 'plain_text', text: 'Out of date' }, value: 'out-of-date' },
              ],
            },
          },
          [FEEDBACK_INPUTS.comment.block]: {
            [FEEDBACK_INPUTS.comment.action]: { type: 'plain_text_input', value: '  FY2025 revenue looks off  ' },
          },
        },
      },
      'U0CAROL',
    );
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    await waitFor(() => ephemeralTo('U0CAROL').length === 1, 'the thank-you');
    const down = (await feedbackOf(runId)).filter((f) => f.vote === 'down');
    expect(down).toEqual([
      expect.objectContaining({
        user: 'U0CAROL',
        target: 'section:fundamentals',
        reasons: ['wrong-figure', 'out-of-date'],
        comment: 'FY2025 revenue looks off',
      }),
    ]);
  });

  it('a thumbs-down whose form is closed without sending still counts', async () => {
    const risks = feedbackButtons(parentTs).get('risks') as FeedbackElement;
    const runId = runIdOf(risks);
    const opened = app.standIn.openedViews.length;
    await pressFeedback(risks.negative_button.value, 'U0DAN');
    await waitFor(() => app.standIn.openedViews.length === opened + 1, 'the form');
    const form = app.standIn.openedViews.at(-1)?.view as { private_metadata: string };
    await app.view('view_closed', { callback_id: FEEDBACK_VIEW, private_metadata: form.private_metadata }, 'U0DAN');
    await waitFor(() => ephemeralTo('U0DAN').length === 1, 'the thank-you');
    const mine = (await feedbackOf(runId)).filter((f) => f.user === 'U0DAN');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ vote: 'down', target: 'section:risks' });
    expect(mine[0]?.reasons).toBeUndefined();
  });

  it('for a run the run log does not know: a private, plain answer, nothing stored', async () => {
    await pressFeedback('up|run-unknown|section:summary', 'U0ERIN');
    await waitFor(() => privateTo('U0ERIN').length === 1, 'the stale answer');
    expect(privateTo('U0ERIN')[0]).toBe(STALE_NOTE);
  });

  it('is counted in /perf and in the perf report', async () => {
    const report = await app.runtime.metrics.perfReport();
    expect(report.feedback).toMatchObject({ up: 1, down: 2, runs: 1 });
    await app.command('/perf', '', { channel: 'C0FEED', tag: 'perf' });
    await waitFor(() => app.standIn.callsOf('response_url:perf').length === 1, 'the /perf answer');
    const blocks = JSON.stringify(app.standIn.callsOf('response_url:perf')[0]?.args.blocks ?? '');
    expect(blocks).toContain('Feedback: 1 :+1:, 2 :-1: on 1 run · Out of date ×1, A figure is wrong ×1');
  });
});

describe('App Home', () => {
  it('app_home_opened publishes the person’s recent reports with permalinks, the channel’s tickers and /perf', async () => {
    const res = await app.event({
      type: 'app_home_opened',
      user: 'U0ALICE',
      channel: 'D0BOTDM',
      tab: 'home',
      event_ts: `${Math.floor(Date.now() / 1000)}.000200`,
    });
    expect(res.status).toBe(200);
    await waitFor(() => app.standIn.homeViews.has('U0ALICE'), 'the Home tab');
    const home = JSON.stringify(app.standIn.homeViews.get('U0ALICE'));
    const link = `https://tickerdesk-test.slack.com/archives/C0FEED/p${parentTs.replace('.', '')}`;
    expect(home).toContain(`<${link}|*NVDA*> — done`);
    expect(home).toContain('*Most researched in <#C0FEED>*\\nNVDA (1)');
    expect(home).toContain('*The desk* — 1 run');
    expect(home).toContain('Feedback: 1 :+1:, 2 :-1: on 1 run');
  });

  it('someone with no reports gets the tab with none listed', async () => {
    await app.event({ type: 'app_home_opened', user: 'U0NEW', channel: 'D0BOTDM', tab: 'home', event_ts: '1.2' });
    await waitFor(() => app.standIn.homeViews.has('U0NEW'), 'the Home tab');
    const home = JSON.stringify(app.standIn.homeViews.get('U0NEW'));
    expect(home).toContain('*Your recent reports*\\nNone yet.');
    expect(home).not.toContain('Most researched');
  });
});

describe('Feedback on answers', () => {
  it('an LLM-written answer in the thread ends with feedback buttons; a thumbs-up on it is stored with the run', async () => {
    const ts = `${Math.floor(Date.now() / 1000)}.000900`;
    await app.event({
      type: 'message',
      channel: 'C0FEED',
      channel_type: 'channel',
      user: 'U0FAY',
      text: 'what is the verdict?',
      ts,
      thread_ts: parentTs,
      event_ts: ts,
    });
    const answerOf = () =>
      [...app.standIn.messages.values()].find(
        (m) => m.threadTs === parentTs && m.text.includes("The report's verdict is"),
      );
    await waitFor(() => answerOf() !== undefined, 'the answer');
    await app.slack.followUps?.idle();
    const answer = answerOf();
    const block = (answer?.blocks as { type: string; elements?: FeedbackElement[] }[] | undefined)?.find(
      (b) => b.type === 'context_actions',
    );
    const buttons = block?.elements?.[0] as FeedbackElement;
    expect(buttons.positive_button.value).toMatch(new RegExp(`^up\\|.+\\|answer:${ts.replace('.', '\\.')}$`));
    await pressFeedback(buttons.positive_button.value, 'U0FAY');
    await waitFor(() => privateTo('U0FAY').length === 1, 'the thank-you');
    const stored = await feedbackOf(runIdOf(buttons));
    expect(stored).toContainEqual(expect.objectContaining({ vote: 'up', user: 'U0FAY', target: `answer:${ts}` }));
  });
});
