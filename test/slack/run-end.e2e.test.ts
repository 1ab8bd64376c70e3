/**
 * Every Slack run ends in a state the requester can see (issue 19, items 1–4): the real Bolt app on its HTTP
 * receiver, signed commands, the Web API stand-in answering with Slack's real errors, runs from the research double.
 * - a refused last edit of the parent is retried with back-off, then shortened, then said in a closing reply;
 * - a channel that goes away mid-run stops everything at the first refusal and the requester is told privately;
 * - a deleted parent is no longer edited (no heartbeat) and the outcome goes to the thread;
 * - an expired response_url falls back to chat.postEphemeral (then to a direct message), with no listener error.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackOnDouble, startSlackOnDouble } from '../helpers/slack-double-app.js';
import { SlackResearchDouble } from '../helpers/slack-research-double.js';
import { waitFor } from '../helpers/slack-runtime.js';
import type { RecordedCall, SlackStandIn } from '../helpers/slack-stand-in.js';
import { renderBlocks } from '../helpers/slack-transcript.js';

let app: SlackOnDouble;
let standIn: SlackStandIn;
let research: SlackResearchDouble;
/** Every log line of the app, as JSON text. */
const logLines: string[] = [];

const send = (command: string, text: string, where: { channel: string; user: string; tag?: string }) =>
  app.command(command, text, where);
const parentOf = (channel: string) =>
  standIn.callsOf('chat.postMessage').find((c) => c.args.channel === channel && !c.args.thread_ts && c.ts);
const inChannel = (channel: string) => standIn.calls.filter((c) => c.args.channel === channel);
const text = (c: RecordedCall | undefined) => renderBlocks((c?.args.blocks as unknown[]) ?? []);
const finished = (n: number) => app.runsDone(n);

beforeAll(async () => {
  research = new SlackResearchDouble({ stepMs: 60, checksTickers: true });
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  app = await startSlackOnDouble(research, {
    env: { SLACK_RUNS_PER_USER_PER_MINUTE: '50' },
    logger: pino({ level: 'info' }, sink),
    finalRetry: { minTimeoutMs: 100 },
  });
  standIn = app.standIn;
});

afterAll(async () => {
  await app?.close();
});

describe('A failed last edit of the parent (item 1)', () => {
  it('retries the verdict edit after internal_error, with back-off, and the parent shows the verdict', async () => {
    standIn.failNext(
      'chat.update',
      { kind: 'error', error: 'internal_error' },
      1,
      (a) => a.channel === 'C0RETRY' && JSON.stringify(a.blocks ?? '').includes('first section after'),
    );
    await send('/research-stock', 'INTC', { channel: 'C0RETRY', user: 'U0R1' });
    await finished(research.records.length + 1);
    const parent = parentOf('C0RETRY') as RecordedCall;
    const finals = standIn
      .callsOf('chat.update')
      .filter((c) => c.args.ts === parent.ts && text(c).includes('first section after'));
    expect(finals.map((c) => c.error ?? 'ok')).toEqual(['internal_error', 'ok']);
    expect(finals[1]?.at).toBeGreaterThanOrEqual(finals[0]?.at ?? Number.POSITIVE_INFINITY);
    expect(renderBlocks(standIn.messages.get(parent.ts as string)?.blocks ?? [])).toContain('*Verdict:* Hold');
  });

  it('falls back to a shorter last state when Slack refuses the full one as msg_too_long', async () => {
    standIn.failNext(
      'chat.update',
      { kind: 'error', error: 'msg_too_long' },
      5,
      (a) => a.channel === 'C0TOOLONG' && JSON.stringify(a.blocks ?? '').includes('first section after'),
    );
    await send('/research-stock', 'AMD', { channel: 'C0TOOLONG', user: 'U0R2' });
    await finished(research.records.length + 1);
    const parent = parentOf('C0TOOLONG') as RecordedCall;
    const shown = renderBlocks(standIn.messages.get(parent.ts as string)?.blocks ?? []);
    expect(shown).toContain(
      '*Verdict:* Hold — strong growth, stretched valuation (moderate confidence, 0.62) · report in the thread',
    );
    expect(shown).not.toContain('Researching');
    // msg_too_long is not a passing fault: one try of the full state, then the short one
    const refused = standIn.callsOf('chat.update').filter((c) => c.args.ts === parent.ts && c.error === 'msg_too_long');
    expect(refused).toHaveLength(1);
  });

  it('says the outcome in a closing thread reply when the parent cannot be edited at all', async () => {
    standIn.failNext(
      'chat.update',
      { kind: 'error', error: 'internal_error' },
      50,
      (a) => a.channel === 'C0NOEDIT' && JSON.stringify(a.blocks ?? '').includes('Verdict'),
    );
    await send('/research-stock', 'QCOM', { channel: 'C0NOEDIT', user: 'U0R3' });
    await finished(research.records.length + 1);
    const parent = parentOf('C0NOEDIT') as RecordedCall;
    const attempts = standIn.callsOf('chat.update').filter((c) => c.args.ts === parent.ts && c.error);
    expect(attempts).toHaveLength(6); // full state: 1 + 2 retries; short state: 1 + 2 retries
    const replies = [...standIn.messages.values()].filter((m) => m.threadTs === parent.ts);
    expect(replies).toHaveLength(7);
    expect(replies.at(-1)?.text).toBe(
      'QCOM research done — verdict: Hold — strong growth, stretched valuation (moderate confidence, 0.62). The message above could not be updated.',
    );
  });
});

describe('The channel goes away mid-run (item 2)', () => {
  it('stops at the first channel_not_found, cancels the run and tells the requester privately', async () => {
    const before = research.records.length;
    await send('/research-stock', 'ADBE', { channel: 'C0GONE', user: 'U0R4', tag: 'gone' });
    await waitFor(() => parentOf('C0GONE') !== undefined, 'the parent in C0GONE');
    standIn.goneChannels.add('C0GONE');
    await finished(before + 1);
    await waitFor(() => standIn.callsOf('response_url:gone').length > 0, 'the private note');
    const parentTs = parentOf('C0GONE')?.ts;
    const afterParent = inChannel('C0GONE').filter((c) => c.method !== 'chat.getPermalink' && c.ts !== parentTs);
    const firstRefusal = afterParent.findIndex((c) => c.error);
    expect(afterParent.slice(firstRefusal).map((c) => c.error)).toEqual(['channel_not_found']);
    const note = standIn.callsOf('response_url:gone')[0] as RecordedCall;
    expect(note.args.response_type).toBe('ephemeral');
    expect(String(note.args.text)).toContain('I stopped researching ADBE in <#C0GONE>');
    expect(String(note.args.text)).toContain('`channel_not_found`');
    expect(research.records.at(-1)).toMatchObject({ ticker: 'ADBE', outcome: 'cancelled' });
    expect(app.slack.launcher.runningKeys()).not.toContain('C0GONE:ADBE');
  });
});

describe('The parent is deleted mid-run (item 3)', () => {
  it('stops editing it after the first message_not_found; the sections and the outcome go to the thread', async () => {
    const before = research.records.length;
    await send('/research-stock', 'ORCL', { channel: 'C0DELETED', user: 'U0R5' });
    await waitFor(() => parentOf('C0DELETED') !== undefined, 'the parent in C0DELETED');
    const parentTs = parentOf('C0DELETED')?.ts as string;
    standIn.messages.delete(parentTs);
    await finished(before + 1);
    const edits = standIn.callsOf('chat.update').filter((c) => c.args.ts === parentTs);
    const firstRefusal = edits.findIndex((c) => c.error);
    expect(edits.slice(firstRefusal).map((c) => c.error)).toEqual(['message_not_found']);
    const replies = [...standIn.messages.values()].filter((m) => m.threadTs === parentTs);
    expect(replies.map((r) => renderBlocks(r.blocks).match(/^\*(\d)\/6/)?.[1] ?? 'closing')).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      'closing',
    ]);
    expect(replies.at(-1)?.text).toContain('ORCL research done — verdict: Hold');
  });
});

describe('An expired response_url (item 4)', () => {
  it('sends the unknown-ticker note with chat.postEphemeral instead', async () => {
    standIn.expiredResponseUrls.add('typo-expired');
    await send('/research-stock', 'NVDQ', { channel: 'C0EXP1', user: 'U0R6', tag: 'typo-expired' });
    await waitFor(
      () => standIn.callsOf('chat.postEphemeral').some((c) => c.args.channel === 'C0EXP1'),
      'the ephemeral fallback',
    );
    const dead = standIn.callsOf('response_url:typo-expired');
    expect(dead.map((c) => c.status)).toEqual([404]);
    const note = standIn.callsOf('chat.postEphemeral').find((c) => c.args.channel === 'C0EXP1') as RecordedCall;
    expect(note.args.user).toBe('U0R6');
    expect(String(note.args.text)).toContain('Unknown ticker "NVDQ"');
  });

  it('sends the not-in-channel note as a direct message when the channel refuses ephemerals too', async () => {
    standIn.expiredResponseUrls.add('private-expired');
    standIn.notInChannels.add('C0EXP2');
    await send('/research-stock', 'NVDA', { channel: 'C0EXP2', user: 'U0R7', tag: 'private-expired' });
    await waitFor(() => standIn.callsOf('chat.postMessage').some((c) => c.args.channel === 'U0R7'), 'the DM');
    const dm = standIn.callsOf('chat.postMessage').find((c) => c.args.channel === 'U0R7') as RecordedCall;
    expect(String(dm.args.text)).toContain('/invite @tickerdesk');
    expect(standIn.callsOf('chat.postEphemeral').find((c) => c.args.channel === 'C0EXP2')?.error).toBe(
      'not_in_channel',
    );
  });

  it('answers /perf with chat.postEphemeral, once, and no listener error is logged', async () => {
    standIn.expiredResponseUrls.add('perf-expired');
    await send('/perf', '', { channel: 'C0EXP3', user: 'U0R8', tag: 'perf-expired' });
    await waitFor(
      () => standIn.callsOf('chat.postEphemeral').some((c) => c.args.channel === 'C0EXP3'),
      'the /perf answer',
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(standIn.callsOf('response_url:perf-expired')).toHaveLength(1);
    const answers = standIn.callsOf('chat.postEphemeral').filter((c) => c.args.channel === 'C0EXP3');
    expect(answers).toHaveLength(1);
    expect(text(answers[0])).toContain('tickerdesk performance');
    expect(logLines.join('')).not.toContain('Unhandled error in a Slack listener');
  });
});
