/**
 * The Slack app end to end: the real Bolt app on its HTTP receiver, requests signed as Slack signs them, the Web
 * API answered by a local stand-in, runs driven by a research double that emits the pipeline's events on timers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../src/log.js';
import { createSlackApp, type SlackApp } from '../../src/slack/app.js';
import { SlackMethodBudget } from '../../src/slack/method-budget.js';
import { appMentionBody, commandBody, postSigned } from '../helpers/slack-request.js';
import { SlackResearchDouble } from '../helpers/slack-research-double.js';
import { type RecordedCall, SlackStandIn } from '../helpers/slack-stand-in.js';
import { callTranscript, renderBlocks, threadView } from '../helpers/slack-transcript.js';
import { bundledConfig } from '../helpers/test-config.js';

const SECRET = 'test-signing-secret-0123456789abcdef';
const FORM = 'application/x-www-form-urlencoded';

let standIn: SlackStandIn;
let research: SlackResearchDouble;
let slack: SlackApp;
let appUrl: string;
let home: string;
/** When each response of the app's HTTP server was handed to the OS (epoch ms), in order. */
const acks: number[] = [];

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function command(text: string, options: { channel?: string; user?: string; triggerId?: string; tag?: string } = {}) {
  return commandBody({
    command: '/research-stock',
    text,
    responseUrl: standIn.responseUrl(options.tag ?? 'cmd'),
    ...(options.channel ? { channelId: options.channel } : {}),
    ...(options.user ? { userId: options.user } : {}),
    ...(options.triggerId ? { triggerId: options.triggerId } : {}),
  });
}

/** Wait for `n` finished runs of the double, then until the app has shown everything. */
async function runsDone(n: number): Promise<void> {
  await waitFor(() => research.records.length >= n, `${n} finished runs`);
  await slack.launcher.idle();
}

const parentsIn = (channel: string) =>
  standIn.callsOf('chat.postMessage').filter((c) => c.args.channel === channel && !c.args.thread_ts && c.ts);
const repliesTo = (ts: string) => standIn.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === ts && c.ts);
const updatesOf = (ts: string) => standIn.callsOf('chat.update').filter((c) => c.args.ts === ts);
const blocksText = (c: RecordedCall) => renderBlocks((c.args.blocks as unknown[]) ?? []);

beforeAll(async () => {
  standIn = await new SlackStandIn().start();
  research = new SlackResearchDouble({ stepMs: 80, failAfterSections: { FAIL: 2 } });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-slack-'));
  const config = bundledConfig({
    TICKERDESK_HOME: home,
    CACHE_OP_TIMEOUT_MS: '10000',
    SLACK_BOT_TOKEN: standIn.token,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: standIn.apiUrl,
    SLACK_RUNS_PER_USER_PER_MINUTE: '3',
    PORT: '0',
  });
  // Many runs in one workspace within a minute, on a stand-in that does not limit: the tiers are tested apart.
  slack = createSlackApp({
    config,
    research,
    metrics: research,
    logger,
    budget: new SlackMethodBudget({ share: 100 }),
  });
  const { port, server } = await slack.start(0);
  server?.on('request', (_req, res) => res.on('finish', () => acks.push(Date.now())));
  appUrl = `http://127.0.0.1:${port}/slack/events`;
});

afterAll(async () => {
  await slack?.stop(5000);
  await standIn?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('Slack app (HTTP receiver, signed requests, Web API stand-in)', () => {
  it('runs /research-stock NVDA: ack first, one parent, edits ≤ 1/s, sections in order in the thread, final edit', async () => {
    const since = Date.now();
    const acksBefore = acks.length;
    const res = await postSigned(appUrl, command('nvda'), FORM, { secret: SECRET });
    expect(res.status).toBe(200);
    await runsDone(1);

    // Slack's 3 s rule, asserted by order rather than by a measured time: the ack left before any Web API call.
    const ackAt = acks[acksBefore] as number;
    const calls = standIn.calls.filter((c) => c.at >= since && c.method !== 'auth.test');
    expect(calls.length).toBeGreaterThan(0);
    expect(calls[0]?.at).toBeGreaterThanOrEqual(ackAt);

    const parents = parentsIn('C0MARKETS');
    expect(parents).toHaveLength(1);
    const parentTs = parents[0]?.ts as string;
    expect(blocksText(parents[0] as RecordedCall)).toMatch(/Researching \*NVDA\*/);

    const edits = updatesOf(parentTs);
    expect(edits.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < edits.length; i++) {
      expect((edits[i]?.at ?? 0) - (edits[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    }
    expect(edits.some((e) => /Tools \d\/9 · elapsed \d+ s/.test(blocksText(e)))).toBe(true);

    const replies = repliesTo(parentTs);
    const titles = replies.map((r) => blocksText(r).match(/^\*(\d)\/6 · ([^*]+)\*/)?.[2]).filter(Boolean);
    expect(titles).toEqual([
      'Executive summary',
      'Fundamentals',
      'Technicals',
      'News &amp; events',
      'Risks',
      'Verdict',
    ]);
    for (const r of replies) {
      expect(String(r.args.text).length).toBeLessThan(4000);
      const blocks = r.args.blocks as { type: string; text?: string | { text: string } }[];
      expect(blocks.length).toBeLessThanOrEqual(50);
      for (const b of blocks) {
        if (b.type === 'section') expect(typeof b.text === 'object' ? b.text.text.length : 0).toBeLessThanOrEqual(3000);
      }
      const markdown = blocks.map((b) => (b.type === 'markdown' && typeof b.text === 'string' ? b.text.length : 0));
      expect(markdown.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(12_000);
    }
    // The table is a table block; the news, longer than a mrkdwn section holds, one markdown block.
    const fundamentals = blocksText(replies[1] as RecordedCall);
    expect(fundamentals).toContain('| *Metric* | *FY2024* | *FY2025* |\n| Revenue | $60.9B | $130.5B |');
    const news = blocksText(replies[3] as RecordedCall);
    for (let i = 1; i <= 40; i++) expect(news).toContain(`item ${i}:`);
    const newsBlocks = (replies[3] as RecordedCall).args.blocks as { type: string; text?: unknown }[];
    expect(newsBlocks.some((b) => b.type === 'markdown' && String(b.text).length > 3000)).toBe(true);

    const final = edits.at(-1) as RecordedCall;
    const finalText = blocksText(final);
    expect(finalText).toContain('*Verdict:* Hold — strong growth, stretched valuation (moderate confidence, 0.62)');
    expect(finalText).toMatch(/Done in \d+(\.\d)? s · first section after [\d.]+ (s|ms) · 9 tools: 0 cached, 9 called/);
    expect(final.at).toBeGreaterThanOrEqual(replies.at(-1)?.at ?? 0);

    console.log(`\n${callTranscript(standIn.calls, since)}\n\n${threadView(standIn, parentTs)}\n`);
  });

  it('waits Retry-After on an injected ratelimited (HTTP 429 and ok:false) and still ends in the right state', async () => {
    const since = Date.now();
    standIn.failNext(
      'chat.postMessage',
      { kind: 'ratelimited-ok-false', retryAfterS: 1 },
      1,
      (a) => a.channel === 'C0RATE',
    );
    standIn.failNext('chat.update', { kind: 'ratelimited-429', retryAfterS: 1 }, 1, (a) => a.channel === 'C0RATE');
    const before = research.records.length;
    const res = await postSigned(appUrl, command('AMD', { channel: 'C0RATE', user: 'U0RATE' }), FORM, {
      secret: SECRET,
    });
    expect(res.status).toBe(200);
    await runsDone(before + 1);

    const posts = standIn.callsOf('chat.postMessage').filter((c) => c.at >= since && c.args.channel === 'C0RATE');
    const limitedPost = posts.find((c) => c.error === 'ratelimited') as RecordedCall;
    expect(limitedPost).toBeDefined();
    const retriedPost = posts.find((c) => c.at > limitedPost.at) as RecordedCall;
    expect(retriedPost.at - limitedPost.at).toBeGreaterThanOrEqual(950);
    expect(parentsIn('C0RATE')).toHaveLength(1);

    const updates = standIn.callsOf('chat.update').filter((c) => c.args.channel === 'C0RATE');
    const limitedUpdate = updates.find((c) => c.status === 429) as RecordedCall;
    expect(limitedUpdate).toBeDefined();
    const next = updates.find((c) => c.at > limitedUpdate.at) as RecordedCall;
    expect(next.at - limitedUpdate.at).toBeGreaterThanOrEqual(950);

    const parentTs = parentsIn('C0RATE')[0]?.ts as string;
    expect(repliesTo(parentTs)).toHaveLength(6);
    const stored = standIn.messages.get(parentTs);
    expect(renderBlocks(stored?.blocks ?? [])).toContain('*Verdict:* Hold');
    expect(renderBlocks(stored?.blocks ?? [])).toContain('9 tools: 0 cached, 9 called');
  });

  it('answers msg_too_long by splitting the reply further, never dropping text', async () => {
    standIn.failNext('chat.postMessage', { kind: 'error', error: 'msg_too_long' }, 1, (a) =>
      JSON.stringify(a.blocks ?? '').includes('News &amp; events'),
    );
    const before = research.records.length;
    await postSigned(appUrl, command('AMD', { channel: 'C0LONG', user: 'U0LONG' }), FORM, { secret: SECRET });
    await runsDone(before + 1);
    const parentTs = parentsIn('C0LONG')[0]?.ts as string;
    const replies = repliesTo(parentTs);
    expect(
      standIn.callsOf('chat.postMessage').some((c) => c.args.channel === 'C0LONG' && c.error === 'msg_too_long'),
    ).toBe(true);
    expect(replies.length).toBeGreaterThan(6);
    const all = replies.map(blocksText).join('\n');
    for (let i = 1; i <= 40; i++) expect(all).toContain(`item ${i}:`);
    expect(all.indexOf('item 1:')).toBeLessThan(all.indexOf('item 40:'));
    expect(all.indexOf('End of news.')).toBeLessThan(all.indexOf('Export controls'));
    // warm cache: the second AMD run was served from the cache
    const final = renderBlocks(standIn.messages.get(parentTs)?.blocks ?? []);
    expect(final).toContain('9 tools: 9 cached, 0 called');
  });

  it('names a section Slack refused for good on the final parent, and posts the others', async () => {
    standIn.failNext('chat.postMessage', { kind: 'error', error: 'restricted_action' }, 1, (a) =>
      JSON.stringify(a.blocks ?? '').includes('5/6 · Risks'),
    );
    await postSigned(appUrl, command('INTC', { channel: 'C0REFUSE', user: 'U0REFUSE' }), FORM, { secret: SECRET });
    await runsDone(research.records.length + 1);
    const parentTs = parentsIn('C0REFUSE')[0]?.ts as string;
    expect(repliesTo(parentTs)).toHaveLength(5);
    const final = renderBlocks(standIn.messages.get(parentTs)?.blocks ?? []);
    expect(final).toContain('*Verdict:* Hold');
    expect(final).toContain(':warning: Slack refused to post Risks (restricted_action) in the thread.');
  });

  it('starts no second run for a redelivered request or an identical command, and points to the running thread', async () => {
    const before = research.starts.length;
    const body = command('MSFT', { channel: 'C0DUP', user: 'U0DUP1' });
    const first = await postSigned(appUrl, body, FORM, { secret: SECRET });
    expect(first.status).toBe(200);
    const redelivered = await postSigned(appUrl, body, FORM, { secret: SECRET, retryNum: 1 });
    expect(redelivered.status).toBe(200);
    expect(redelivered.body).toBe('');
    await waitFor(() => standIn.callsOf('chat.getPermalink').some((c) => c.args.channel === 'C0DUP'), 'permalink');
    await new Promise((r) => setTimeout(r, 50));
    const second = await postSigned(appUrl, command('$msft', { channel: 'C0DUP', user: 'U0DUP2' }), FORM, {
      secret: SECRET,
    });
    expect(second.json?.response_type).toBe('ephemeral');
    expect(String(second.json?.text)).toMatch(
      /MSFT is already being researched <https:\/\/tickerdesk-test\.slack\.com\/archives\/C0DUP\/p\d+\|in this thread>/,
    );
    await runsDone(research.records.length + 1);
    expect(research.starts.length).toBe(before + 1);
    expect(parentsIn('C0DUP')).toHaveLength(1);
  });

  it('an @mention starts a run; its redelivery (same event_id, X-Slack-Retry-Num) does not', async () => {
    const before = research.starts.length;
    const body = appMentionBody('<@U0BOT> tsla', { channel: 'C0MENTION', eventId: 'Ev0MENTION1' });
    const first = await postSigned(appUrl, body, 'application/json', { secret: SECRET });
    const again = await postSigned(appUrl, body, 'application/json', { secret: SECRET, retryNum: 1 });
    expect([first.status, again.status]).toEqual([200, 200]);
    await runsDone(research.records.length + 1);
    expect(research.starts.length).toBe(before + 1);
    expect(parentsIn('C0MENTION')).toHaveLength(1);
    // The requester as recorded: who, where, the report's thread (its parent message) and the workspace.
    expect(research.starts.at(-1)?.options?.requester).toEqual({
      user: 'U0BOB',
      channel: 'C0MENTION',
      via: 'slack',
      thread: parentsIn('C0MENTION')[0]?.ts,
      team: 'T0TEST',
    });
  });

  it('rejects a bad signature or a timestamp over 5 minutes old with 401 and posts nothing', async () => {
    const since = Date.now();
    const before = research.starts.length;
    const badSig = await postSigned(appUrl, command('NVDA', { channel: 'C0SIG' }), FORM, {
      secret: SECRET,
      signature: `v0=${'0'.repeat(64)}`,
    });
    const wrongSecret = await postSigned(appUrl, command('NVDA', { channel: 'C0SIG' }), FORM, {
      secret: 'not-the-secret',
    });
    const stale = await postSigned(appUrl, command('NVDA', { channel: 'C0SIG' }), FORM, {
      secret: SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect([badSig.status, wrongSecret.status, stale.status]).toEqual([401, 401, 401]);
    await new Promise((r) => setTimeout(r, 200));
    expect(standIn.calls.filter((c) => c.at >= since && c.method !== 'auth.test')).toHaveLength(0);
    expect(research.starts.length).toBe(before);
  });

  it('answers a bad ticker only ephemerally, with usage', async () => {
    const since = Date.now();
    const before = research.starts.length;
    for (const text of ['', 'NVDA AAPL', 'not-a-ticker!!']) {
      const res = await postSigned(appUrl, command(text, { channel: 'C0BAD' }), FORM, { secret: SECRET });
      expect(res.status).toBe(200);
      expect(res.json?.response_type).toBe('ephemeral');
      expect(String(res.json?.text)).toMatch(/Try `\/research-stock NVDA`/);
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(standIn.calls.filter((c) => c.at >= since && c.method !== 'auth.test')).toHaveLength(0);
    expect(research.starts.length).toBe(before);
  });

  it('withdraws the parent of an unknown ticker and tells the person privately, with the close match', async () => {
    await postSigned(appUrl, command('NVDQ', { channel: 'C0TYPO', user: 'U0TYPO', tag: 'typo' }), FORM, {
      secret: SECRET,
    });
    await waitFor(() => standIn.callsOf('response_url:typo').length > 0, 'the ephemeral note');
    await slack.launcher.idle();
    const note = standIn.callsOf('response_url:typo')[0] as RecordedCall;
    expect(note.args.response_type).toBe('ephemeral');
    expect(String(note.args.text)).toContain('Unknown ticker "NVDQ": no data source covers it. Did you mean NVDA?');
    expect(standIn.callsOf('chat.delete').map((c) => c.args.channel)).toEqual(['C0TYPO']);
    expect([...standIn.messages.values()].filter((m) => m.channel === 'C0TYPO')).toHaveLength(0);
  });

  it('tells the person how to invite the bot when it is not in the channel, and starts nothing', async () => {
    standIn.notInChannels.add('C0PRIVATE');
    const before = research.starts.length;
    await postSigned(appUrl, command('NVDA', { channel: 'C0PRIVATE', tag: 'private' }), FORM, { secret: SECRET });
    await waitFor(() => standIn.callsOf('response_url:private').length > 0, 'the ephemeral note');
    const note = standIn.callsOf('response_url:private')[0] as RecordedCall;
    expect(note.args.response_type).toBe('ephemeral');
    expect(String(note.args.text)).toContain('/invite @tickerdesk');
    expect(research.starts.length).toBe(before);
    expect(slack.launcher.runningKeys()).not.toContain('C0PRIVATE:NVDA');
  });

  it('says in plain words what failed and keeps the sections already posted', async () => {
    await postSigned(appUrl, command('FAIL', { channel: 'C0FAIL', user: 'U0FAIL' }), FORM, { secret: SECRET });
    await runsDone(research.records.length + 1);
    const parentTs = parentsIn('C0FAIL')[0]?.ts as string;
    expect(repliesTo(parentTs)).toHaveLength(2);
    const final = renderBlocks(standIn.messages.get(parentTs)?.blocks ?? []);
    expect(final).toContain(':x: Research on *FAIL* · FAIL Corporation failed after');
    expect(final).toContain('The writer could not finish the Technicals section: the model timed out.');
    expect(final).toContain('The 2 sections already written stay in the thread.');
  });

  it('limits runs per user per minute, answering ephemerally', async () => {
    const user = 'U0EAGER';
    const answers = [];
    for (const channel of ['C0E1', 'C0E2', 'C0E3', 'C0E4']) {
      answers.push(await postSigned(appUrl, command('GOOG', { channel, user }), FORM, { secret: SECRET }));
    }
    expect(answers.slice(0, 3).map((a) => a.body)).toEqual(['', '', '']);
    expect(answers[3]?.json?.response_type).toBe('ephemeral');
    expect(String(answers[3]?.json?.text)).toMatch(/You have started 3 research runs in the last minute/);
    await waitFor(() => slack.launcher.runningKeys().every((k) => !k.startsWith('C0E')), 'the three runs');
    await slack.launcher.idle();
    expect(parentsIn('C0E4')).toHaveLength(0);
  });

  it('/perf answers ephemerally with the figures of the earlier runs', async () => {
    const expected = research.perfReport();
    expect(expected.runs).toBeGreaterThanOrEqual(5);
    const res = await postSigned(
      appUrl,
      commandBody({ command: '/perf', text: '', responseUrl: standIn.responseUrl('perf') }),
      FORM,
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    await waitFor(() => standIn.callsOf('response_url:perf').length > 0, 'the /perf answer');
    const answer = standIn.callsOf('response_url:perf')[0] as RecordedCall;
    expect(answer.args.response_type).toBe('ephemeral');
    const text = renderBlocks(answer.args.blocks as unknown[]);
    expect(text).toContain(`${expected.runs} runs`);
    expect(text).toContain(`${((expected.cacheHitRate ?? 0) * 100).toFixed(1)}%`);
    expect(text).toMatch(/get_company_financials\s+\d+/);
    expect(text).toContain('The writer could not finish the Technicals section');
    console.log(`\n/perf answer:\n${text}\n`);
  });
});
