/**
 * Watchlists through the real Bolt app, signed slash commands and the Slack stand-in (issue 15, part 7):
 * `/research-stock watch NVDA AMD` adds both and tells the channel; an unknown ticker gets its close match privately;
 * `watchlist` shows the list privately; `unwatch` removes; watch and unwatch need the right to run research, while
 * the list can be read by anyone; the list is kept in the SQLite store across a reopen; a digest's Full report button
 * starts the report (acked first) for someone allowed to, and refuses others privately.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../src/log.js';
import { DIGEST_ACTIONS } from '../../src/slack/blocks/digest.js';
import { openWatchlistStore } from '../../src/watchlists/store.js';
import { type InMemoryGateway, openInMemoryGateway } from '../helpers/in-memory-gateway.js';
import { type SlackOnDouble, startSlackOnDouble } from '../helpers/slack-double-app.js';
import { SlackResearchDouble } from '../helpers/slack-research-double.js';
import { waitFor } from '../helpers/slack-runtime.js';
import type { RecordedCall, SlackStandIn } from '../helpers/slack-stand-in.js';
import { renderBlocks } from '../helpers/slack-transcript.js';

let app: SlackOnDouble;
let standIn: SlackStandIn;
let research: SlackResearchDouble;
/** The real gateway over the bundled data, whose cache `watchlist` reads closes from. */
let data: InMemoryGateway;

const text = (c: RecordedCall | undefined) =>
  `${String(c?.args.text ?? '')}\n${renderBlocks((c?.args.blocks as unknown[]) ?? [])}`;

/** Send the command and wait for `n` answers on its response_url (tagged `tag`). */
async function command(words: string, user: string, tag: string, n: number, channel = 'C0DESK') {
  const res = await app.command('/research-stock', words, { channel, user, tag });
  await waitFor(() => standIn.callsOf(`response_url:${tag}`).length >= n, `${n} answers to "${words}"`);
  return { res, answers: standIn.callsOf(`response_url:${tag}`) };
}

beforeAll(async () => {
  research = new SlackResearchDouble({ stepMs: 10, checksTickers: true });
  data = await openInMemoryGateway();
  app = await startSlackOnDouble(research, {
    watchlists: true,
    watchlistGateway: data.gateway,
    env: { ALLOWED_USERS: 'U0ANALYST', ADMIN_USERS: 'U0BOSS', WATCHLIST_MAX_TICKERS: '3' },
  });
  standIn = app.standIn;
  await app.slack.permissions.loaded();
});

afterAll(async () => {
  await app?.close();
  await data?.close();
});

describe('/research-stock watch', () => {
  it('adds NVDA and AMD, and the channel sees one short confirmation; no run starts', async () => {
    const { res, answers } = await command('watch NVDA amd', 'U0ANALYST', 'watch1', 1);
    expect(res.body).toBe('');
    expect(answers).toHaveLength(1);
    expect(answers[0]?.args.response_type).toBe('in_channel');
    expect(String(answers[0]?.args.text)).toBe(
      ':eyes: <@U0ANALYST> added *NVDA*, *AMD* to this channel’s watchlist (2 watched: NVDA, AMD). A digest follows each US market close.',
    );
    expect(research.starts).toHaveLength(0);
    expect((await app.watchlistStore?.get('C0DESK'))?.tickers).toEqual(['NVDA', 'AMD']);
  });

  it('an unknown ticker gets its close match privately, the known one is added, one already watched is said', async () => {
    const { answers } = await command('watch NVDQ, AAPL NVDA', 'U0ANALYST', 'watch2', 2);
    const [shown, note] = answers;
    expect(shown?.args.response_type).toBe('in_channel');
    expect(String(shown?.args.text)).toContain('added *AAPL*');
    expect(note?.args.response_type).toBe('ephemeral');
    expect(String(note?.args.text)).toContain('Unknown ticker "NVDQ"');
    expect(String(note?.args.text)).toContain('Try `/research-stock watch NVDA`.');
    expect(String(note?.args.text)).toContain('Already watched here: NVDA.');
    expect(research.checked).toEqual(['NVDA', 'AMD', 'NVDQ', 'AAPL']);
  });

  it('a full list (WATCHLIST_MAX_TICKERS=3) leaves the extra ticker out and says so privately only', async () => {
    const { answers } = await command('watch MSFT', 'U0ANALYST', 'watch3', 1);
    expect(answers).toHaveLength(1);
    expect(answers[0]?.args.response_type).toBe('ephemeral');
    expect(String(answers[0]?.args.text)).toContain('the watchlist holds at most 3 tickers: MSFT');
  });

  it('someone not allowed to run research is refused privately, and the list is unchanged', async () => {
    const res = await app.command('/research-stock', 'watch TSLA', {
      channel: 'C0DESK',
      user: 'U0STRANGER',
      tag: 'stranger',
    });
    expect(res.json?.response_type).toBe('ephemeral');
    expect(String(res.json?.text)).toContain('You are not on the list of people who may run research here.');
    expect((await app.watchlistStore?.get('C0DESK'))?.tickers).toEqual(['NVDA', 'AMD', 'AAPL']);
  });
});

describe('/research-stock watchlist and unwatch', () => {
  it('anyone may read the list, privately, with the last close the tool cache holds (no server call for it)', async () => {
    // A report of NVDA earlier today left its technicals in the cache; AMD was never asked for.
    await data.gateway.call({ server: 'tickerdesk', tool: 'analyze_stock', args: { ticker: 'NVDA' } });
    const calls = data.calls.length;
    const { answers } = await command('watchlist', 'U0STRANGER', 'list1', 1);
    expect(answers[0]?.args.response_type).toBe('ephemeral');
    const shown = text(answers[0]);
    expect(shown).toContain('This channel’s watchlist* (3)');
    expect(shown).toContain('• *NVDA* $214.72 at the 2026-08-21 close');
    expect(shown).toContain('• *AMD* — no close at hand yet (the next digest shows it)');
    expect(data.calls.length).toBe(calls);
    expect(shown).toContain('No digest yet: the first follows the next US market close.');
  });

  it('unwatch removes a ticker and tells the channel; a ticker not watched is said privately', async () => {
    const { answers } = await command('unwatch NVDA TSLA', 'U0ANALYST', 'unwatch1', 2);
    expect(answers[0]?.args.response_type).toBe('in_channel');
    expect(String(answers[0]?.args.text)).toBe(
      ':wave: <@U0ANALYST> removed *NVDA* from this channel’s watchlist. 2 still watched: AMD, AAPL.',
    );
    expect(answers[1]?.args.response_type).toBe('ephemeral');
    expect(String(answers[1]?.args.text)).toContain('Not on this channel’s watchlist: TSLA (watched: AMD, AAPL).');
  });

  it('another channel has its own (empty) list', async () => {
    const { answers } = await command('watchlist', 'U0ANALYST', 'list2', 1, 'C0OTHER');
    expect(text(answers[0])).toContain('This channel has no watchlist.');
  });

  it('the list is kept in the SQLite file: another store on the same file reads it and the channel index', async () => {
    const other = await openWatchlistStore({ sqlitePath: String(app.watchlistPath) }, { logger });
    expect((await other.get('C0DESK'))?.tickers).toEqual(['AMD', 'AAPL']);
    expect(await other.channels()).toEqual(['C0DESK']);
    await other.close();
  });
});

describe('the digest’s Full report button', () => {
  it('starts the report of its ticker in the digest’s channel, acked first, as the slash command would', async () => {
    const before = research.starts.length;
    const res = await app.action(
      { action_id: `${DIGEST_ACTIONS.reportPrefix}AMD`, type: 'button', value: 'AMD' },
      { channel: 'C0DESK', user: 'U0ANALYST', messageTs: '1765400000.000100' },
    );
    expect(res.status).toBe(200);
    await app.runsDone(1);
    expect(research.starts.slice(before).map((s) => s.ticker)).toEqual(['AMD']);
    const parent = standIn.callsOf('chat.postMessage').find((c) => c.args.channel === 'C0DESK' && !c.args.thread_ts);
    expect(parent).toBeDefined();
  });

  it('someone not allowed to run research is refused privately and nothing starts', async () => {
    const before = research.starts.length;
    await app.action(
      { action_id: `${DIGEST_ACTIONS.reportPrefix}AAPL`, type: 'button', value: 'AAPL' },
      { channel: 'C0DESK', user: 'U0STRANGER', messageTs: '1765400000.000100', tag: 'stranger-press' },
    );
    await waitFor(() => standIn.callsOf('response_url:stranger-press').length > 0, 'the refusal');
    expect(String(standIn.callsOf('response_url:stranger-press')[0]?.args.text)).toContain(
      'You are not on the list of people who may run research here.',
    );
    expect(research.starts.length).toBe(before);
  });
});
