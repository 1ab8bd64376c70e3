/**
 * The report buttons (issue 14, part 5) on the real Bolt app: interactivity payloads signed and form-encoded as Slack
 * sends them (`payload=<JSON>`), the Web API stand-in, runs from the research double.
 * - Cancel while the run works: only the requester or an admin; the run stops, is recorded as cancelled, the thread
 *   says who cancelled; pressed twice, after the end, by someone else: private, plain answers;
 * - every action is acked before its work (the work is held at the stand-in while the ack arrives);
 * - a stale run id or a button pressed from another channel: private, plain answers;
 * - Refresh starts a fresh run (a new report); Report file uploads the report's Markdown into the thread;
 * - with SLACK_AGENT_SESSIONS the thread is an agent session (processing, then active) and Slack's own Stop
 *   (`agent_session_stopped`) cancels like the Cancel button, with the same rule on who may.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.js';
import { RUN_ACTIONS } from '../../src/slack/blocks/run-actions.js';
import { FOREIGN_NOTE, STALE_NOTE } from '../../src/slack/listeners/actions/run-button.js';
import { type SlackOnDouble, startSlackOnDouble } from '../helpers/slack-double-app.js';
import { SlackResearchDouble } from '../helpers/slack-research-double.js';
import { waitFor } from '../helpers/slack-runtime.js';
import type { SlackStandIn, StoredMessage } from '../helpers/slack-stand-in.js';
import { renderBlocks } from '../helpers/slack-transcript.js';

let app: SlackOnDouble;
let standIn: SlackStandIn;
let research: SlackResearchDouble;

interface Element {
  action_id?: string;
  value?: string;
  options?: { value: string }[];
}

const parentIn = (channel: string): StoredMessage | undefined =>
  [...standIn.messages.values()].find((m) => m.channel === channel && !m.threadTs);
/** Every element of the message's action blocks. */
const elementsOf = (message: StoredMessage | undefined): Element[] =>
  ((message?.blocks ?? []) as { type: string; elements?: Element[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? []);
const button = (message: StoredMessage | undefined, actionId: string) =>
  elementsOf(message).find((e) => e.action_id === actionId);
/** What the app told `user` privately in answer to a button (its response_url posts), in order. */
const privateTo = (user: string) =>
  standIn.callsOf(`response_url:action:${user}`).map((c) => String(c.args.text ?? ''));
const repliesTo = (ts: string) => [...standIn.messages.values()].filter((m) => m.threadTs === ts);

/** Start `ticker` in `channel` for `user` and wait until its parent carries the Cancel button. */
async function startWithCancel(ticker: string, channel: string, user: string): Promise<StoredMessage> {
  const res = await app.command('/research-stock', ticker, { channel, user });
  expect(res.status).toBe(200);
  await waitFor(() => button(parentIn(channel), RUN_ACTIONS.cancel) !== undefined, `the Cancel button in ${channel}`);
  return parentIn(channel) as StoredMessage;
}

const press = (actionId: string, value: string, where: { channel: string; user: string; messageTs: string }) =>
  app.action({ action_id: actionId, type: 'button', value }, where);

beforeAll(async () => {
  research = new SlackResearchDouble({ stepMs: 150 });
  app = await startSlackOnDouble(research, {
    env: { SLACK_RUNS_PER_USER_PER_MINUTE: '50', ADMIN_USERS: 'U0ADMIN', SLACK_AGENT_SESSIONS: 'true' },
  });
  standIn = app.standIn;
});

afterAll(async () => {
  await app?.close();
});

describe('Cancel', () => {
  it('by someone else is refused privately and the run goes on; by the requester it stops the run, recorded as cancelled, and the thread says who', async () => {
    const parent = await startWithCancel('NVDA', 'C0CANCEL', 'U0ALICE');
    const runId = String(button(parent, RUN_ACTIONS.cancel)?.value);
    const where = { channel: 'C0CANCEL', messageTs: parent.ts };

    const refused = await press(RUN_ACTIONS.cancel, runId, { ...where, user: 'U0BOB' });
    expect(refused.status).toBe(200);
    await waitFor(() => privateTo('U0BOB').length === 1, 'the refusal');
    expect(privateTo('U0BOB')[0]).toBe(
      'Only the person who asked for this NVDA report, or an admin, can cancel it. It goes on.',
    );
    expect(research.records.find((r) => r.runId === runId)).toBeUndefined();

    // The thread reply saying who cancelled is held at Slack: the ack must arrive while that work waits.
    const release = standIn.hold('chat.postMessage', (a) => String(a.text ?? '').includes('cancelled this'));
    const pressed = await press(RUN_ACTIONS.cancel, runId, { ...where, user: 'U0ALICE' });
    expect(pressed.status).toBe(200);
    expect(pressed.body).toBe('');
    expect(repliesTo(parent.ts).some((m) => m.text.includes('cancelled this'))).toBe(false);
    release();

    await app.runsDone(1);
    expect(research.records.find((r) => r.runId === runId)?.outcome).toBe('cancelled');
    await waitFor(() => repliesTo(parent.ts).some((m) => m.text.includes('cancelled this')), 'the cancelled-by reply');
    expect(repliesTo(parent.ts).map((m) => m.text)).toContain(':octagonal_sign: <@U0ALICE> cancelled this NVDA run.');
    const final = renderBlocks(parentIn('C0CANCEL')?.blocks ?? []);
    // Cancelled, not failed: the parent says so without the red cross, and leaves who to the thread.
    expect(final).toMatch(/^:octagonal_sign: Research on \*NVDA\*.* was cancelled after [^:]+\.$/m);
    expect(final).not.toContain('failed');
    expect(final).not.toContain(':x:');
    // The stopped run's parent has no buttons left.
    expect(elementsOf(parentIn('C0CANCEL'))).toEqual([]);

    await press(RUN_ACTIONS.cancel, runId, { ...where, user: 'U0ALICE' });
    await waitFor(() => privateTo('U0ALICE').length === 1, 'the answer to a second Cancel');
    expect(privateTo('U0ALICE')[0]).toBe('This NVDA run was already cancelled by <@U0ALICE>; nothing more to do.');
    expect(research.records.filter((r) => r.runId === runId)).toHaveLength(1);
  });

  it('an admin (ADMIN_USERS) may cancel anyone’s run', async () => {
    const parent = await startWithCancel('AMD', 'C0ADMIN', 'U0CAROL');
    const runId = String(button(parent, RUN_ACTIONS.cancel)?.value);
    await press(RUN_ACTIONS.cancel, runId, { channel: 'C0ADMIN', user: 'U0ADMIN', messageTs: parent.ts });
    await waitFor(() => research.records.some((r) => r.runId === runId), 'the admin-cancelled run');
    expect(research.records.find((r) => r.runId === runId)?.outcome).toBe('cancelled');
    await waitFor(() => repliesTo(parent.ts).some((m) => m.text.includes('<@U0ADMIN> cancelled')), 'the reply');
  });

  it('after the run finished: a private answer, and the finished parent carries Refresh, Report file instead', async () => {
    const parent = await startWithCancel('MSFT', 'C0DONE', 'U0DAVE');
    const runId = String(button(parent, RUN_ACTIONS.cancel)?.value);
    await waitFor(() => research.records.some((r) => r.runId === runId), 'the finished run');
    await app.slack.launcher.idle();
    const finished = parentIn('C0DONE');
    expect(button(finished, RUN_ACTIONS.cancel)).toBeUndefined();
    expect(button(finished, RUN_ACTIONS.refresh)?.value).toBe(runId);
    expect(button(finished, RUN_ACTIONS.reportFile)?.value).toBe(runId);

    await press(RUN_ACTIONS.cancel, runId, { channel: 'C0DONE', user: 'U0DAVE', messageTs: parent.ts });
    await waitFor(() => privateTo('U0DAVE').length === 1, 'the answer');
    expect(privateTo('U0DAVE')[0]).toBe('This MSFT run has already finished; there is nothing to cancel.');
  });
});

describe("Slack's Stop on an agent session", () => {
  const stop = (channel: string, threadTs: string, user: string) =>
    app.event({
      type: 'agent_session_stopped',
      channel,
      user,
      thread_ts: threadTs,
      streaming_message_ts: [],
      event_ts: `${Math.floor(Date.now() / 1000)}.000300`,
    });
  const sessionStatuses = (ts: string) =>
    standIn
      .callsOf('agents.sessions.setStatus')
      .filter((c) => c.args.thread_ts === ts)
      .map((c) => String(c.args.status));

  it('by someone else is refused privately; by the requester it cancels the run, and the session ends active', async () => {
    const parent = await startWithCancel('INTC', 'C0STOP', 'U0IVY');
    const runId = String(button(parent, RUN_ACTIONS.cancel)?.value);
    expect(sessionStatuses(parent.ts)).toEqual(['processing']);
    expect(standIn.callsOf('agents.sessions.setStatus').at(-1)?.args).toMatchObject({
      channel_id: 'C0STOP',
      title: 'Research: INTC',
      initiator_user_id: 'U0IVY',
    });

    await stop('C0STOP', parent.ts, 'U0JACK');
    const ephemeralTo = (user: string) => standIn.callsOf('chat.postEphemeral').filter((c) => c.args.user === user);
    await waitFor(() => ephemeralTo('U0JACK').length === 1, 'the refusal');
    expect(ephemeralTo('U0JACK')[0]?.args.text).toBe(
      'Only the person who asked for this INTC report, or an admin, can cancel it. It goes on.',
    );

    const res = await stop('C0STOP', parent.ts, 'U0IVY');
    expect(res.status).toBe(200);
    await waitFor(() => research.records.some((r) => r.runId === runId), 'the stopped run');
    expect(research.records.find((r) => r.runId === runId)?.outcome).toBe('cancelled');
    await waitFor(() => repliesTo(parent.ts).some((m) => m.text.includes('<@U0IVY> cancelled')), 'the reply');
    await app.slack.launcher.idle();
    expect(sessionStatuses(parent.ts)).toEqual(['processing', 'active']);
  });
});

describe('Stale and foreign buttons', () => {
  it('a run id this app does not know (e.g. after a restart) gets a private, plain answer', async () => {
    const res = await press(RUN_ACTIONS.cancel, 'run-from-before-a-restart', {
      channel: 'C0CANCEL',
      user: 'U0ERIN',
      messageTs: '1700000000.000100',
    });
    expect(res.status).toBe(200);
    await waitFor(() => privateTo('U0ERIN').length === 1, 'the stale answer');
    expect(privateTo('U0ERIN')[0]).toBe(STALE_NOTE);
  });

  it('a button pressed from another channel than its report’s is answered privately, and nothing is done', async () => {
    const runId = research.records.find((r) => r.ticker === 'MSFT')?.runId as string;
    const before = research.starts.length;
    await press(RUN_ACTIONS.refresh, runId, { channel: 'C0ELSEWHERE', user: 'U0FRANK', messageTs: '1.2' });
    await waitFor(() => privateTo('U0FRANK').length === 1, 'the foreign answer');
    expect(privateTo('U0FRANK')[0]).toBe(FOREIGN_NOTE);
    expect(research.starts.length).toBe(before);
  });
});

describe('Refresh and Report file', () => {
  it('Report file uploads the report as Markdown into the thread, acked before the upload', async () => {
    const parent = parentIn('C0DONE') as StoredMessage;
    const runId = String(button(parent, RUN_ACTIONS.reportFile)?.value);
    const release = standIn.hold('files.getUploadURLExternal');
    const res = await press(RUN_ACTIONS.reportFile, runId, { channel: 'C0DONE', user: 'U0GINA', messageTs: parent.ts });
    expect(res.status).toBe(200);
    expect(standIn.files.filter((f) => f.threadTs === parent.ts)).toHaveLength(0);
    release();
    await waitFor(() => standIn.files.some((f) => f.threadTs === parent.ts), 'the report file');
    const file = standIn.files.find((f) => f.threadTs === parent.ts);
    expect(file?.filename).toMatch(/^MSFT-\d{4}-\d{2}-\d{2}\.md$/);
    expect(file?.channel).toBe('C0DONE');
    expect(file?.data.toString('utf8')).toContain('MSFT');
  });

  it('Refresh starts a fresh run of the same ticker, posted as a new report asked by whoever pressed', async () => {
    const parent = parentIn('C0DONE') as StoredMessage;
    const runId = String(button(parent, RUN_ACTIONS.refresh)?.value);
    const before = research.starts.length;
    const res = await press(RUN_ACTIONS.refresh, runId, { channel: 'C0DONE', user: 'U0HANK', messageTs: parent.ts });
    expect(res.status).toBe(200);
    await waitFor(() => research.starts.length === before + 1, 'the fresh run');
    expect(research.starts.at(-1)).toMatchObject({
      ticker: 'MSFT',
      options: { fresh: true, requester: { user: 'U0HANK', channel: 'C0DONE', via: 'slack' } },
    });
    await waitFor(
      () => [...standIn.messages.values()].filter((m) => m.channel === 'C0DONE' && !m.threadTs).length === 2,
      'the new report',
    );
    await app.slack.launcher.idle();
  });
});

describe('The manifest', () => {
  it('turns interactivity on, so one paste installs the buttons', () => {
    const manifest = fs.readFileSync(path.join(REPO_ROOT, 'manifest.yml'), 'utf8');
    expect(manifest).toMatch(/\n {2}interactivity:\n {4}is_enabled: true\n/);
  });
});
