/**
 * The watchlist digest (issue 15, part 7) end to end: the real tool gateway (cache, single-flight, background lane)
 * over our real MCP data server on the bundled data — its provider wrapped so a test can publish an 8-K and move the
 * price target — the prewarm, the digest service, its Slack poster through the Web API budget, and the Slack
 * stand-in. A digest lists a new filing and a target change that appeared since the last one; built from the
 * prewarmed cache it sends no call to the data server; a second digest the same day is not posted; of two instances
 * on one Redis only one posts a channel's digest.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { webApi } from '@slack/bolt';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataProvider } from '../../../src/mcp-server/providers/types.js';
import type { AnalystRatings, CompanyEvent, CompanyNews } from '../../../src/mcp-server/shapes.js';
import { createDigestService } from '../../../src/ops/digest/service.js';
import { registerDigestMetrics } from '../../../src/ops/digest-metrics.js';
import { runPrewarm } from '../../../src/ops/prewarm/run.js';
import { clientOptions } from '../../../src/slack/app.js';
import { digestPoster } from '../../../src/slack/digest-poster.js';
import { SlackMethodBudget } from '../../../src/slack/method-budget.js';
import { createMemoryClaims, createRedisClaims } from '../../../src/tools/run-claims.js';
import { openWatchlistStore, type WatchlistStore } from '../../../src/watchlists/store.js';
import { type InMemoryGateway, openInMemoryGateway } from '../../helpers/in-memory-gateway.js';
import { captureLogger } from '../../helpers/log-capture.js';
import { redisSkipReason, startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import type { RecordedCall } from '../../helpers/slack-stand-in.js';
import { SlackStandIn } from '../../helpers/slack-stand-in.js';
import { renderBlocks } from '../../helpers/slack-transcript.js';

/** What the wrapped provider adds to the bundled answers: 8-K events per ticker, a price target per ticker. */
const changes = { events: new Map<string, CompanyEvent[]>(), targets: new Map<string, number>() };

function changeable(provider: DataProvider): DataProvider {
  return new Proxy(provider, {
    get(target, prop) {
      if (prop === 'news')
        return async (ticker: string, limit: number): Promise<CompanyNews> => {
          const news = await target.news(ticker, limit);
          return { ...news, events: [...(changes.events.get(ticker) ?? []), ...news.events].slice(0, limit) };
        };
      if (prop === 'analystRatings')
        return async (ticker: string): Promise<AnalystRatings> => {
          const ratings = await target.analystRatings(ticker);
          const mean = changes.targets.get(ticker);
          return mean === undefined ? ratings : { ...ratings, targetMean: mean };
        };
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const clock = { now: Date.parse('2026-12-04T21:25:00Z') };
const DAY = 86_400_000;
let home: string;
let standIn: SlackStandIn;
let data: InMemoryGateway;
let store: WatchlistStore;
let client: webApi.WebClient;
const budget = new SlackMethodBudget();
const registry = new Registry();
const countDigests = registerDigestMetrics(registry);

const posts = (channel: string): RecordedCall[] =>
  standIn.callsOf('chat.postMessage').filter((c) => c.args.channel === channel);
const shown = (c: RecordedCall | undefined) => renderBlocks((c?.args.blocks as unknown[]) ?? []);

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-digest-'));
  standIn = await new SlackStandIn().start();
  client = new webApi.WebClient(standIn.token, clientOptions(standIn.apiUrl));
  data = await openInMemoryGateway({ now: () => clock.now, wrapProvider: changeable });
  store = await openWatchlistStore(
    { sqlitePath: path.join(home, 'watchlists.sqlite') },
    { logger: captureLogger().logger },
  );
  await store.update('C0DESK', () => ({
    channel: 'C0DESK',
    teamId: 'T0TEST',
    tickers: ['NVDA', 'AAPL'],
    updatedAt: '2026-12-04T15:00:00Z',
    updatedBy: 'U0ANALYST',
  }));
});

afterAll(async () => {
  await store?.close();
  await data?.close();
  await standIn?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

/** The prewarm of the watched tickers, then the session's digests, as the service runs them after a close. */
async function closeOf(session: string) {
  const { logger } = captureLogger();
  const digests = createDigestService({
    store,
    gateway: data.gateway,
    claims: createMemoryClaims(),
    post: digestPoster(client, budget),
    logger,
    onSummary: countDigests,
  });
  await runPrewarm(
    { gateway: data.gateway, logger },
    { topN: 0, extraTickers: await digests.watchedTickers(), callsPerSecond: 100 },
  );
  const serverCalls = data.calls.length;
  const summary = await digests.digestSession(session);
  return { summary, digestServerCalls: data.calls.length - serverCalls, digests };
}

describe('the digest after the close', () => {
  it('the first digest shows each close with its day and week change and a Full report button, from the cache', async () => {
    const { summary, digestServerCalls } = await closeOf('2026-12-04');
    expect(summary.posted).toEqual(['C0DESK']);
    expect(digestServerCalls).toBe(0);
    const [post] = posts('C0DESK');
    const text = shown(post);
    expect(text).toContain('# Watchlist at the close, Fri, Dec 4, 2026');
    expect(text).toContain('The first digest of this watchlist: filings of the last week. 2 tickers watched');
    // NVDA's last bundled bars: 216.85 on 2026-08-20, 214.72 on 2026-08-21.
    expect(text).toMatch(/\*NVDA\* \$214\.72 {2}−1\.0% on the day, [+−]\d+\.\d% on the week {2}_close 2026-08-21_/);
    expect(text).toContain('_no filings in the last week_');
    const buttons = ((post?.args.blocks ?? []) as { accessory?: { action_id: string; value: string } }[])
      .map((b) => b.accessory)
      .filter((a) => a !== undefined);
    expect(buttons).toEqual([
      expect.objectContaining({ action_id: 'digest_report:NVDA', value: 'NVDA' }),
      expect.objectContaining({ action_id: 'digest_report:AAPL', value: 'AAPL' }),
    ]);
  });

  it('a second digest the same day is not posted', async () => {
    const { summary } = await closeOf('2026-12-04');
    expect(summary.posted).toEqual([]);
    expect(summary.skipped).toEqual([{ channel: 'C0DESK', reason: 'already posted' }]);
    expect(posts('C0DESK')).toHaveLength(1);
  });

  it('the next digest lists the 8-K filed since and the price-target change; AAPL: nothing new', async () => {
    changes.events.set('NVDA', [
      {
        date: '2026-12-07',
        kind: '8-K',
        title: '8-K: Entry into a Material Definitive Agreement (1.01)',
        items: ['1.01'],
        url: 'https://www.sec.gov/Archives/edgar/data/1045810/000104581026000101/0001045810-26-000101-index.htm',
        source: { provider: 'sec-submissions', ref: '8-K accn 0001045810-26-000101', asOf: '2026-12-07' },
      },
    ]);
    changes.targets.set('NVDA', 320);
    // Monday's close: the cached answers are past their validity and grace.
    clock.now += 3 * DAY;
    const { summary } = await closeOf('2026-12-07');
    expect(summary.posted).toEqual(['C0DESK']);
    const second = posts('C0DESK')[1];
    const text = shown(second);
    expect(text).toContain('Changes since the last digest (the 2026-12-04 close).');
    expect(text).toContain(
      ':page_facing_up: <https://www.sec.gov/Archives/edgar/data/1045810/000104581026000101/0001045810-26-000101-index.htm|8-K filed 2026-12-07: Entry into a Material Definitive Agreement (1.01)>',
    );
    expect(text).toContain(':dart: Mean price target $304.12 → $320.00 (+5.2%) (as of 2026-08-21)');
    const aapl = text.slice(text.indexOf('*AAPL*'));
    expect(aapl).toContain('_no new filings; consensus unchanged_');
    expect(String(second?.args.text)).toBe('Watchlist digest for the 2026-12-07 close: 2 tickers, NVDA has news.');
    // What it compared against is kept: the 8-K is known now, the target is 320.
    const state = await store.lastDigest('C0DESK');
    expect(state?.session).toBe('2026-12-07');
    expect(state?.snapshot.NVDA?.consensus?.targetMean).toBe(320);
    expect(state?.snapshot.NVDA?.filings.map((f) => f.key)).toContain('0001045810-26-000101');
  });

  it('on a market holiday nothing is posted and nothing is read', async () => {
    const calls = data.calls.length;
    const { summary } = await closeOf('2026-12-25');
    expect(summary.skipped).toEqual([{ channel: 'C0DESK', reason: 'holiday' }]);
    expect(posts('C0DESK')).toHaveLength(2);
    // Only the prewarm's own calls (none: everything is still valid), none for the digest.
    expect(data.calls.length).toBe(calls);
  });

  it('a post Slack refuses (the bot was removed) is not recorded: the next firing that day posts it', async () => {
    standIn.failNext('chat.postMessage', { kind: 'error', error: 'not_in_channel' }, 1, (a) => a.channel === 'C0DESK');
    clock.now += DAY;
    const refused = await closeOf('2026-12-08');
    expect(refused.summary.failed).toEqual([
      { channel: 'C0DESK', reason: expect.stringContaining('Invite me with `/invite @tickerdesk`') },
    ]);
    expect((await store.lastDigest('C0DESK'))?.session).toBe('2026-12-07');
    const retried = await closeOf('2026-12-08');
    expect(retried.summary.posted).toEqual(['C0DESK']);
    const delivered = posts('C0DESK').filter((c) => c.status === 200 && !c.error);
    expect(shown(delivered.at(-1))).toContain('Changes since the last digest (the 2026-12-07 close).');
  });

  it('/metrics counts the channels by outcome: posted, skipped (the same day, the holiday), failed', async () => {
    const counted = await registry.getSingleMetric('tickerdesk_digests_total')?.get();
    const by = Object.fromEntries((counted?.values ?? []).map((v) => [String(v.labels.outcome), v.value]));
    expect(by).toEqual({ posted: 3, skipped: 2, failed: 1 });
  });

  it('a channel archived or deleted loses its watchlist, so no digest is tried there again', async () => {
    await store.update('C0GONE', () => ({ channel: 'C0GONE', tickers: ['AAPL'], updatedAt: '', updatedBy: 'U0A' }));
    standIn.goneChannels.add('C0GONE');
    clock.now += DAY;
    const { summary } = await closeOf('2026-12-09');
    expect(summary.failed).toEqual([{ channel: 'C0GONE', reason: 'the channel is gone (channel_not_found)' }]);
    expect(summary.posted).toEqual(['C0DESK']);
    expect(await store.get('C0GONE')).toBeUndefined();
    expect(await store.channels()).toEqual(['C0DESK']);
  });
});

const skip = redisSkipReason();
if (skip) console.warn(skip);
describe.skipIf(skip !== undefined)('two instances on one Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('only one posts the channel’s digest; the other passes it over', async () => {
    const prefix = `test:${randomUUID()}:claim:`;
    const { logger } = captureLogger();
    const channel = `C0${randomUUID().slice(0, 8).toUpperCase()}`;
    const instances = await Promise.all(
      [0, 1].map(async () => {
        const shared = await openWatchlistStore({ sqlitePath: '', redisUrl: redis.url }, { logger });
        const claims = createRedisClaims(redis.url, { prefix, logger });
        const service = createDigestService({
          store: shared,
          gateway: data.gateway,
          claims,
          post: digestPoster(client, budget),
          logger,
        });
        return { shared, claims, service };
      }),
    );
    try {
      await instances[0]?.shared.update(channel, () => ({
        channel,
        tickers: ['MSFT'],
        updatedAt: '2026-12-07T15:00:00Z',
        updatedBy: 'U0ANALYST',
      }));
      const results = await Promise.all(instances.map((i) => i.service.digestSession('2026-12-08')));
      expect(results.flatMap((r) => r.posted)).toEqual([channel]);
      // The other found the claim taken (or, had it come later, the digest already recorded).
      const [reason, ...more] = results.flatMap((r) => r.skipped.filter((s) => s.channel === channel));
      expect(more).toEqual([]);
      expect(['claimed by another instance', 'already posted']).toContain(reason?.reason);
      expect(posts(channel)).toHaveLength(1);
    } finally {
      await instances[0]?.shared.update(channel, (now) => ({
        ...(now ?? { channel, updatedAt: '', updatedBy: '' }),
        tickers: [],
      }));
      for (const i of instances) {
        await i.shared.close();
        await i.claims.close();
      }
    }
  });
});
