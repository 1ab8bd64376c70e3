/**
 * Ten runs at once in one workspace stay inside Slack's method tiers, and no thread is left silent. Time here is
 * simulated: vitest's fake clock drives every timer and `Date` — the research double's events, the writers' heartbeats
 * and edit intervals, the budget's sliding windows and the stand-in's record of when each call arrived — and the
 * clock moves only while no Web API call is in flight. The calls are then counted per method in every rolling
 * minute of that clock: counting, never wall time.
 */
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../src/log.js';
import { clientOptions } from '../../src/slack/app.js';
import { SlackMethodBudget } from '../../src/slack/method-budget.js';
import { StatusSupport } from '../../src/slack/thread-status.js';
import { ThreadWriter } from '../../src/slack/thread-writer.js';
import { drive, longestSilence, SIMULATED } from '../helpers/simulated-clock.js';
import { SlackResearchDouble } from '../helpers/slack-research-double.js';
import { type RecordedCall, SlackStandIn } from '../helpers/slack-stand-in.js';
import { renderBlocks } from '../helpers/slack-transcript.js';

let standIn: SlackStandIn;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: [...SIMULATED] });
  standIn = await new SlackStandIn().start();
});
afterAll(async () => {
  vi.useRealTimers();
  await standIn.close();
});

/** Most calls among `calls` that arrived within any rolling `windowMs` (by the fake clock). */
function busiestWindow(calls: readonly RecordedCall[], windowMs = 60_000): number {
  const times = calls.map((c) => c.at).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] as number) - (times[j] as number) >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

const TICKERS = ['NVDA', 'AAPL', 'MSFT', 'AMZN', 'GOOGL', 'META', 'TSLA', 'AVGO', 'AMD', 'CRM'];

describe('Ten concurrent runs in one workspace', () => {
  it("stay within each method's tier, every thread shows its loading state, and each run ends in full", async () => {
    standIn.assistantChannels.add('C0TIERS');
    const budget = new SlackMethodBudget();
    const support = new StatusSupport();
    const client = new webApi.WebClient(standIn.token, clientOptions(standIn.apiUrl));
    // About 40 simulated seconds per run: far more progress states than the tiers allow edits for.
    const research = new SlackResearchDouble({ stepMs: 1200 });
    const started = Date.now();
    const writers = await drive(
      budget,
      Promise.all(
        TICKERS.map((ticker) =>
          ThreadWriter.open({
            client,
            channel: 'C0TIERS',
            ticker,
            logger,
            chart: false,
            gate: budget.gate('T0TEST', 'C0TIERS'),
            status: { support, workspace: 'T0TEST' },
          }),
        ),
      ),
    );
    const runs = writers.map((writer, i) => writer.follow(research.start(TICKERS[i] as string)));
    await drive(budget, Promise.all(runs));
    const ended = Date.now();

    for (const [i, result] of (await Promise.all(runs)).entries()) {
      expect(result?.outcome).toBe('ok');
      const writer = writers[i] as ThreadWriter;
      expect(renderBlocks(standIn.messages.get(writer.ts)?.blocks ?? [])).toContain('*Verdict:* Hold');
      expect(writer.replyTs).toHaveLength(6);
      expect(standIn.threadStatus.has(writer.ts)).toBe(false);
    }
    const of = (method: string) => standIn.callsOf(method).filter((c) => c.at >= started);
    const counts = Object.fromEntries(
      ['chat.update', 'chat.postMessage', 'assistant.threads.setStatus'].map((m) => [m, of(m).length]),
    );
    console.log(
      `10 runs, ${((ended - started) / 1000).toFixed(0)} s simulated: calls ${JSON.stringify(counts)}; busiest minute: update ${busiestWindow(of('chat.update'))}, setStatus ${busiestWindow(of('assistant.threads.setStatus'))}, postMessage ${busiestWindow(of('chat.postMessage'))}`,
    );
    expect(of('chat.update').some((c) => c.status === 429 || c.error === 'ratelimited')).toBe(false);
    // Tier 3 (chat.update, and setStatus taken as Tier 3): 50 a minute per workspace.
    expect(busiestWindow(of('chat.update'))).toBeLessThanOrEqual(50);
    expect(busiestWindow(of('assistant.threads.setStatus'))).toBeLessThanOrEqual(50);
    // chat.postMessage: about one a second per channel, short bursts allowed.
    expect(busiestWindow(of('chat.postMessage'), 10_000)).toBeLessThanOrEqual(10);
    expect(busiestWindow(of('chat.postMessage'))).toBeLessThanOrEqual(60);
    // Never silent: no thread goes 10 s without something new while its loading state is off.
    for (const writer of writers)
      expect(longestSilence(standIn, writer.ts, started, ended)).toBeLessThanOrEqual(10_000);
    // The loading state, not the heartbeat, carried the beat: far fewer edits than one per run every 5 s.
    expect(counts['chat.update']).toBeLessThan(((ended - started) / 5000) * TICKERS.length);
  });

  it('where Slack refuses loading states, asks once per workspace and edits the parent as the beat', async () => {
    standIn.statusError = 'missing_scope';
    const budget = new SlackMethodBudget();
    const support = new StatusSupport();
    const client = new webApi.WebClient(standIn.token, clientOptions(standIn.apiUrl));
    const research = new SlackResearchDouble({ stepMs: 1200, pauseBeforeSectionsMs: 30_000 });
    const open = (ticker: string, channel: string) =>
      ThreadWriter.open({
        client,
        channel,
        ticker,
        logger,
        chart: false,
        gate: budget.gate('T0NOSTATUS', channel),
        status: { support, workspace: 'T0NOSTATUS' },
      });
    const since = Date.now();
    const first = await drive(budget, open('NVDA', 'C0NOSTATUS1'));
    await drive(budget, first.follow(research.start('NVDA')));
    expect(support.refusedIn('T0NOSTATUS')).toBe('missing_scope');
    const later = await drive(budget, Promise.all([open('AAPL', 'C0NOSTATUS2'), open('MSFT', 'C0NOSTATUS3')]));
    const from = Date.now();
    await drive(budget, Promise.all(later.map((w, i) => w.follow(research.start(['AAPL', 'MSFT'][i] as string)))));
    const refused = standIn.callsOf('assistant.threads.setStatus').filter((c) => c.at >= since);
    expect(refused.map((c) => c.error)).toEqual(['missing_scope']);
    for (const writer of later) {
      expect(writer.replyTs).toHaveLength(6);
      expect(longestSilence(standIn, writer.ts, from, Date.now())).toBeLessThanOrEqual(10_000);
      const silentEdits = standIn
        .callsOf('chat.update')
        .filter(
          (c) => c.args.ts === writer.ts && /Write sections \(0\/6/.test(renderBlocks(c.args.blocks as unknown[])),
        );
      expect(silentEdits.length).toBeGreaterThanOrEqual(5);
    }
    standIn.statusError = undefined;
  });
});
