/**
 * The admin subcommands of `/perf` (issue 15, part 6) on the real runtime (bundled data, SQLite run log and cache),
 * signed as Slack signs them, answered through the Slack stand-in: a person outside ADMIN_USERS gets the plain
 * private refusal naming the admins for each subcommand and nothing happens; an admin's `/perf flush-cache` empties
 * the tool cache and says how much it removed; `/perf reset` makes `/perf` count from then while the run records
 * stay; `/perf prewarm` is refused while another instance prewarms, then starts at once and sends its summary when
 * done; a word `/perf` does not know gets the list of subcommands.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREWARM_RUNNING_KEY } from '../../src/ops/prewarm/service.js';
import { cacheFootprint } from '../../src/tools/cache-footprint.js';
import { createMemoryClaims } from '../../src/tools/run-claims.js';
import { researchInSlack, type SlackOnRuntime, startSlackOnRuntime, waitFor } from '../helpers/slack-runtime.js';
import { renderBlocks } from '../helpers/slack-transcript.js';

const claims = createMemoryClaims();
let app: SlackOnRuntime;

beforeAll(async () => {
  app = await startSlackOnRuntime(
    { ADMIN_USERS: 'U0BOSS', PREWARM_TOP_N: '0', PREWARM_TICKERS: 'NVDA,AMD', PREWARM_CALLS_PER_SECOND: '1000' },
    { admin: { claims } },
  );
}, 60_000);

afterAll(async () => {
  await app?.close();
});

/** The texts posted to the response_url tagged `tag`, in order. */
const answers = (tag: string) =>
  app.standIn
    .callsOf(`response_url:${tag}`)
    .map((c) => `${String(c.args.text ?? '')}\n${renderBlocks((c.args.blocks as unknown[]) ?? [])}`);

/** Send `/perf text` as `user` and wait for `n` private answers. */
async function perf(text: string, user: string, tag: string, n = 1): Promise<string[]> {
  const res = await app.command('/perf', text, { channel: 'C0DESK', user, tag });
  expect(res.status).toBe(200);
  expect(res.body).toBe('');
  await waitFor(() => answers(tag).length >= n, `${n} answer(s) to /perf ${text}`, 60_000);
  return answers(tag);
}

const channelPosts = () => app.standIn.callsOf('chat.postMessage').filter((c) => c.args.channel === 'C0DESK');

describe('a person outside ADMIN_USERS', () => {
  it.each(['reset', 'flush-cache', 'cache flush', 'prewarm'])(
    'is refused /perf %s privately, naming the admins',
    async (sub) => {
      const res = await app.command('/perf', sub, { channel: 'C0DESK', user: 'U0ALICE', tag: `refused-${sub}` });
      expect(res.json?.response_type).toBe('ephemeral');
      expect(res.json?.text).toBe('Only admins may use this command. Ask <@U0BOSS> if you need it done.');
      expect(channelPosts()).toHaveLength(0);
    },
  );

  it('changed nothing: no reset, no prewarm started', async () => {
    expect((await app.runtime.metrics.perfReport()).reset).toBeUndefined();
    expect(await claims.claim(PREWARM_RUNNING_KEY, 1000)).toBe(true);
    await claims.release(PREWARM_RUNNING_KEY);
  });
});

describe('an admin', () => {
  it('/perf flush-cache empties the tool cache and says how many entries and bytes it removed', async () => {
    await researchInSlack(app, 'C0DESK', 'NVDA');
    const before = await cacheFootprint(app.runtime.config);
    expect(before.entries).toBeGreaterThan(5);
    const [answer] = await perf('flush-cache', 'U0BOSS', 'flush');
    expect(answer).toContain(`Tool cache flushed (SQLite): ${before.entries} entries, `);
    expect(answer).toContain('The next run of each ticker fetches its data again.');
    expect(await cacheFootprint(app.runtime.config)).toMatchObject({ entries: 0, storedBytes: 0 });
  });

  it('/perf reset, then /perf counts from the reset while the run records stay', async () => {
    expect((await app.runtime.metrics.perfReport()).runs).toBe(1);
    const [answer] = await perf('reset', 'U0BOSS', 'reset');
    expect(answer).toContain('Performance figures reset <!date^');
    const [report] = await perf('', 'U0BOSS', 'perf-after-reset');
    expect(report).toContain('No research runs since the reset.');
    expect(report).toContain('Counting from the reset <!date^');
    expect(report).toContain('by <@U0BOSS>');
    // The refusals before the reset are not counted any more; the run record is kept.
    expect(report).not.toContain('Permission refusals');
    expect(await app.runtime.metrics.recent(5)).toHaveLength(1);
  });

  it('/perf prewarm is refused while another instance prewarms', async () => {
    expect(await claims.claim(PREWARM_RUNNING_KEY, 60_000)).toBe(true);
    try {
      const [answer] = await perf('prewarm', 'U0BOSS', 'prewarm-claimed');
      expect(answer).toContain('Another tickerdesk instance is prewarming right now; nothing was started here.');
    } finally {
      await claims.release(PREWARM_RUNNING_KEY);
    }
  });

  it('/perf prewarm answers at once, then sends the summary; the cache holds the prewarmed tickers', async () => {
    const [started, summary] = await perf('prewarm', 'U0BOSS', 'prewarm', 2);
    expect(started).toContain('Prewarm started in the background');
    expect(summary).toMatch(
      /Prewarm done in .+: 2 of 2 tickers refreshed, \d+ tool calls \(\d+ sent to the data server\), .*no failures\./,
    );
    expect((await cacheFootprint(app.runtime.config)).entries).toBeGreaterThan(5);
    expect(channelPosts().filter((c) => String(c.args.text).includes('Prewarm'))).toHaveLength(0);
  });
});

describe('a word /perf does not know', () => {
  it('gets the list of subcommands, privately, admin or not', async () => {
    for (const user of ['U0ALICE', 'U0BOSS']) {
      const res = await app.command('/perf', 'flsh', { channel: 'C0DESK', user, tag: `unknown-${user}` });
      expect(res.json?.response_type).toBe('ephemeral');
      const text = String(res.json?.text);
      expect(text).toContain('`/perf flsh` is not something I know.');
      for (const sub of ['`/perf chart`', '`/perf reset`', '`/perf flush-cache`', '`/perf prewarm`'])
        expect(text).toContain(sub);
    }
  });
});
