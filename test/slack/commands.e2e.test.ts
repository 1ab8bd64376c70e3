/**
 * The commands people type (issue 19, items 6–8), through the real Bolt app, signed requests and the Web API
 * stand-in: only runs that start count for the per-user limit; `help` answers a short private guide for both
 * commands and the mention; a mention sentence naming one ticker researches it; a 1:1 DM between people gets a plain
 * answer; a direct message to the bot (Messages tab) is answered there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.js';
import { type SlackOnDouble, startSlackOnDouble } from '../helpers/slack-double-app.js';
import { SlackResearchDouble } from '../helpers/slack-research-double.js';
import { waitFor } from '../helpers/slack-runtime.js';
import type { RecordedCall, SlackStandIn } from '../helpers/slack-stand-in.js';
import { renderBlocks } from '../helpers/slack-transcript.js';

let app: SlackOnDouble;
let standIn: SlackStandIn;
let research: SlackResearchDouble;

const GUIDE = /`\/research-stock NVDA` — a live report in this channel/;
const noteText = (c: RecordedCall | undefined) =>
  `${String(c?.args.text ?? '')}\n${renderBlocks((c?.args.blocks as unknown[]) ?? [])}`;
const parentsIn = (channel: string) =>
  standIn.callsOf('chat.postMessage').filter((c) => c.args.channel === channel && !c.args.thread_ts && c.ts);
const ephemeralsIn = (channel: string) =>
  standIn.callsOf('chat.postEphemeral').filter((c) => c.args.channel === channel);

beforeAll(async () => {
  research = new SlackResearchDouble({
    stepMs: 20,
    checksTickers: true,
    unknownTickers: ['NVDX', 'APPL', 'MSTF', 'GOGL'],
    knownTickers: ['NVDA', 'AMD', 'AAPL', 'INTC', 'MSFT', 'IT', 'NOW', 'A', 'ALL', 'KEY', 'BRK.B'],
  });
  app = await startSlackOnDouble(research, { env: { SLACK_RUNS_PER_USER_PER_MINUTE: '3' } });
  standIn = app.standIn;
});

afterAll(async () => {
  await app?.close();
});

describe('The per-user limit (item 6)', () => {
  it('counts only runs that start: four typos, then three runs start, the fourth run is limited', async () => {
    const user = 'U0TYPIST';
    for (const [i, typo] of ['NVDX', 'APPL', 'MSTF', 'GOGL'].entries()) {
      await app.command('/research-stock', typo, { channel: 'C0TYPOS', user, tag: `typo${i}` });
      await waitFor(() => standIn.callsOf(`response_url:typo${i}`).length > 0, `the note for ${typo}`);
      expect(noteText(standIn.callsOf(`response_url:typo${i}`)[0])).toContain(`Unknown ticker "${typo}"`);
    }
    expect(parentsIn('C0TYPOS')).toHaveLength(0);
    const before = research.records.length;
    const started = [];
    for (const ticker of ['NVDA', 'AMD', 'INTC']) {
      started.push(await app.command('/research-stock', ticker, { channel: 'C0TYPOS', user }));
    }
    expect(started.map((r) => r.body)).toEqual(['', '', '']);
    const fourth = await app.command('/research-stock', 'MSFT', { channel: 'C0TYPOS', user });
    expect(String(fourth.json?.text)).toContain('You have started 3 research runs in the last minute');
    await app.runsDone(before + 3);
    expect(parentsIn('C0TYPOS')).toHaveLength(3);
  });
});

describe('help (item 7)', () => {
  it('/research-stock help answers the guide privately, starts and checks nothing', async () => {
    const starts = research.starts.length;
    for (const text of ['help', 'HELP', '?']) {
      const res = await app.command('/research-stock', text, { channel: 'C0HELP', user: 'U0HELP' });
      expect(res.json?.response_type).toBe('ephemeral');
      expect(noteText({ args: res.json ?? {} } as RecordedCall)).toMatch(GUIDE);
    }
    expect(research.starts.length).toBe(starts);
    expect(research.checked).not.toContain('HELP');
    expect(parentsIn('C0HELP')).toHaveLength(0);
  });

  it('/perf help answers the guide, not the statistics', async () => {
    const res = await app.command('/perf', 'help', { channel: 'C0HELP', user: 'U0HELP', tag: 'perf-help' });
    expect(res.json?.response_type).toBe('ephemeral');
    const text = noteText({ args: res.json ?? {} } as RecordedCall);
    expect(text).toMatch(GUIDE);
    expect(text).not.toContain('tickerdesk performance');
    expect(standIn.callsOf('response_url:perf-help')).toHaveLength(0);
  });

  it('@tickerdesk help and an empty mention get the guide privately', async () => {
    await app.mention('<@U0BOT> help', { channel: 'C0MHELP', user: 'U0M1' });
    await app.mention('<@U0BOT>', { channel: 'C0MHELP', user: 'U0M2' });
    await waitFor(() => ephemeralsIn('C0MHELP').length === 2, 'two guides');
    for (const note of ephemeralsIn('C0MHELP')) expect(noteText(note)).toMatch(GUIDE);
    expect(ephemeralsIn('C0MHELP').map((c) => c.args.user)).toEqual(['U0M1', 'U0M2']);
    expect(parentsIn('C0MHELP')).toHaveLength(0);
  });

  it('a mention sentence naming one ticker researches it; none or several are answered privately', async () => {
    const before = research.records.length;
    await app.mention('<@U0BOT> what do you think of nvda?', { channel: 'C0SENTENCE', user: 'U0S1' });
    await app.runsDone(before + 1);
    expect(research.starts.at(-1)?.ticker).toBe('NVDA');
    expect(parentsIn('C0SENTENCE')).toHaveLength(1);

    await app.mention('<@U0BOT> is it a good time to buy?', { channel: 'C0SENTENCE', user: 'U0S2' });
    await app.mention('<@U0BOT> AMD or INTC?', { channel: 'C0SENTENCE', user: 'U0S3' });
    await waitFor(() => ephemeralsIn('C0SENTENCE').length === 2, 'two notes');
    const [none, several] = ephemeralsIn('C0SENTENCE');
    expect(noteText(none)).toContain('I didn’t find a ticker in that');
    expect(noteText(several)).toContain('One ticker at a time: I saw AMD and INTC');
    expect(research.starts.length).toBe(research.records.length);
  });
});

describe('Direct messages (item 8)', () => {
  it('a command in a 1:1 DM between two people gets a plain answer that says where it works', async () => {
    const starts = research.starts.length;
    await app.command('/research-stock', 'NVDA', {
      channel: 'D0PEOPLE',
      user: 'U0DM1',
      tag: 'dm',
      channelName: 'directmessage',
    });
    await waitFor(() => standIn.callsOf('response_url:dm').length > 0, 'the private answer');
    const text = noteText(standIn.callsOf('response_url:dm')[0]);
    expect(text).toContain('I can’t post in a direct message between people');
    expect(text).toContain('in a direct message with me');
    expect(text).not.toContain('I can’t post in this channel yet');
    expect(research.starts.length).toBe(starts);
  });

  it('the manifest turns the Messages tab on and subscribes to message.im with im:history', () => {
    const manifest = fs.readFileSync(path.join(REPO_ROOT, 'manifest.yml'), 'utf8');
    expect(manifest).toMatch(/app_home:\n(?: {4}.*\n)*? {4}messages_tab_enabled: true\n/);
    expect(manifest).toMatch(/ {4}messages_tab_read_only_enabled: false\n/);
    expect(manifest).toMatch(/bot_events:\n {6}- app_mention\n(?: {6}- message\.\w+\n)*? {6}- message\.im\n/);
    expect(manifest).toMatch(/\n {6}- im:history\n/);
  });

  it('a direct message to the bot is answered there: a ticker starts a report, help gets the guide', async () => {
    const before = research.records.length;
    const dm = (text: string, user: string) =>
      app.event({ type: 'message', channel: 'D0BOTDM', channel_type: 'im', user, text, ts: `${Date.now() / 1000}` });
    await dm('help', 'U0DM2');
    await dm('nvda please', 'U0DM3');
    await app.runsDone(before + 1);
    const parents = parentsIn('D0BOTDM');
    expect(parents).toHaveLength(1);
    const replies = standIn.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === parents[0]?.ts && c.ts);
    expect(replies).toHaveLength(6);
    expect(renderBlocks(standIn.messages.get(parents[0]?.ts as string)?.blocks ?? [])).toContain('*Verdict:* Hold');
    const guide = ephemeralsIn('D0BOTDM').find((c) => c.args.user === 'U0DM2');
    expect(noteText(guide)).toMatch(GUIDE);
  });
});
