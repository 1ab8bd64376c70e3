/**
 * Permissions that never block (issue 15, part 6), through the real Bolt app, signed requests and the Slack
 * stand-in: a user outside ALLOWED_USERS and a channel outside ALLOWED_CHANNELS get a plain private refusal naming
 * the admins and nothing is posted in the channel; an allowed user and a member of an allowed user group run; the
 * refusals are counted in `/perf`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackOnDouble, startSlackOnDouble } from '../helpers/slack-double-app.js';
import { SlackResearchDouble } from '../helpers/slack-research-double.js';
import { waitFor } from '../helpers/slack-runtime.js';
import type { RecordedCall, SlackStandIn } from '../helpers/slack-stand-in.js';
import { renderBlocks } from '../helpers/slack-transcript.js';

let app: SlackOnDouble;
let standIn: SlackStandIn;
let research: SlackResearchDouble;

const noteText = (c: RecordedCall | undefined) =>
  `${String(c?.args.text ?? '')}\n${renderBlocks((c?.args.blocks as unknown[]) ?? [])}`;
const postsIn = (channel: string) => standIn.callsOf('chat.postMessage').filter((c) => c.args.channel === channel);

beforeAll(async () => {
  research = new SlackResearchDouble({ stepMs: 10 });
  app = await startSlackOnDouble(research, {
    env: { ALLOWED_USERS: 'U0ANALYST,S0DESK', ALLOWED_CHANNELS: 'C0DESK', ADMIN_USERS: 'U0BOSS' },
    userGroups: { S0DESK: ['U0MEMBER'] },
  });
  standIn = app.standIn;
  await app.slack.permissions.loaded();
});

afterAll(async () => {
  await app?.close();
});

describe('Refusals (private, nothing in the channel)', () => {
  it('a user outside ALLOWED_USERS gets a plain refusal naming the admin; nothing is posted or started', async () => {
    const res = await app.command('/research-stock', 'NVDA', { channel: 'C0DESK', user: 'U0STRANGER' });
    expect(res.json?.response_type).toBe('ephemeral');
    expect(String(res.json?.text)).toBe(
      'You are not on the list of people who may run research here. Ask <@U0BOSS> to add you.',
    );
    expect(postsIn('C0DESK')).toHaveLength(0);
    expect(research.starts).toHaveLength(0);
  });

  it('an allowed user in a channel outside ALLOWED_CHANNELS is refused likewise, told where research runs', async () => {
    const res = await app.command('/research-stock', 'NVDA', { channel: 'C0RANDOM', user: 'U0ANALYST' });
    expect(res.json?.response_type).toBe('ephemeral');
    expect(String(res.json?.text)).toBe(
      'Research is not enabled in this channel. Try <#C0DESK>, or ask <@U0BOSS> to add this channel.',
    );
    expect(postsIn('C0RANDOM')).toHaveLength(0);
    expect(research.starts).toHaveLength(0);
  });

  it('a mention from a user outside the list is answered with an ephemeral note only', async () => {
    await app.mention('<@U0BOT> NVDA', { channel: 'C0DESK', user: 'U0STRANGER' });
    await waitFor(() => standIn.callsOf('chat.postEphemeral').length > 0, 'the ephemeral refusal');
    const [note] = standIn.callsOf('chat.postEphemeral');
    expect(note?.args.user).toBe('U0STRANGER');
    expect(note?.args.channel).toBe('C0DESK');
    expect(noteText(note)).toContain('You are not on the list of people who may run research here.');
    expect(postsIn('C0DESK')).toHaveLength(0);
    expect(research.starts).toHaveLength(0);
  });
});

describe('Allowed people run', () => {
  it('a listed user runs in an allowed channel', async () => {
    const res = await app.command('/research-stock', 'NVDA', { channel: 'C0DESK', user: 'U0ANALYST' });
    expect(res.body).toBe('');
    await app.runsDone(1);
    expect(research.starts.map((s) => s.ticker)).toEqual(['NVDA']);
    expect(postsIn('C0DESK').some((c) => !c.args.thread_ts)).toBe(true);
  });

  it('a member of an allowed user group (usergroups.users.list, fetched in the background) runs', async () => {
    expect(standIn.callsOf('usergroups.users.list').map((c) => c.args.usergroup)).toEqual(['S0DESK']);
    const res = await app.command('/research-stock', 'AMD', { channel: 'C0DESK', user: 'U0MEMBER' });
    expect(res.body).toBe('');
    await app.runsDone(2);
    expect(research.starts.map((s) => s.ticker)).toEqual(['NVDA', 'AMD']);
  });
});

describe('/perf counts the refusals', () => {
  it('shows three refusals since start, by reason, with the time of the latest', async () => {
    await app.command('/perf', '', { channel: 'C0DESK', user: 'U0ANALYST', tag: 'perf' });
    await waitFor(() => standIn.callsOf('response_url:perf').length > 0, 'the /perf answer');
    const text = noteText(standIn.callsOf('response_url:perf')[0]);
    expect(text).toContain('Permission refusals since start: 3 (2 user not allowed, 1 channel not allowed), last ');
    expect(postsIn('C0DESK').filter((c) => String(c.args.text).includes('refusals'))).toHaveLength(0);
  });
});
