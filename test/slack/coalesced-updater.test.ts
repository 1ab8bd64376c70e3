/**
 * The coalescer on a fake clock (`vi.useFakeTimers` fakes `setTimeout` and `Date`): the intervals between edits are
 * the updater's own arithmetic, asserted exactly, never measured on a loaded machine.
 */
import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../src/log.js';
import type { SlackMessage } from '../../src/slack/blocks/index.js';
import { CoalescedUpdater } from '../../src/slack/coalesced-updater.js';

const msg = (text: string): SlackMessage => ({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
const quiet = logger.child({}, { level: 'silent' });

/** Let `ms` of fake time pass, running every timer and promise due in it. */
const pass = (ms: number) => vi.advanceTimersByTimeAsync(ms);

describe('CoalescedUpdater', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends at most one edit per interval, skips identical states and always delivers the latest', async () => {
    const sent: { text: string; at: number }[] = [];
    const updater = new CoalescedUpdater({
      logger: quiet,
      minIntervalMs: 300,
      send: async (m) => {
        sent.push({ text: m.text, at: Date.now() });
      },
    });
    updater.markSent(msg('0'));
    updater.set(msg('0'));
    for (let i = 1; i <= 20; i++) {
      updater.set(msg(String(i)));
      await pass(40);
    }
    const flushed = updater.flush();
    await pass(300);
    await flushed;
    // 20 states over 800 ms: the first goes at once (markSent without a delay), then one every 300 ms, the last
    // state after the loop; the already-shown '0' is never sent.
    expect(sent.map((s) => s.text)).toEqual(['1', '8', '15', '20']);
    expect(sent.map((s) => s.at - 1_000_000)).toEqual([0, 300, 600, 900]);
    expect(updater.edits).toBe(4);
  });

  it('counts the interval from the end of an edit, so a slow edit cannot be followed by one arriving too soon', async () => {
    const sent: { text: string; start: number; end: number }[] = [];
    const updater = new CoalescedUpdater({
      logger: quiet,
      minIntervalMs: 300,
      send: async (m) => {
        const start = Date.now();
        await new Promise((r) => setTimeout(r, 200));
        sent.push({ text: m.text, start, end: Date.now() });
      },
    });
    for (let i = 1; i <= 6; i++) {
      updater.set(msg(String(i)));
      await pass(150);
    }
    const flushed = updater.flush();
    await pass(1000);
    await flushed;
    expect(sent.at(-1)?.text).toBe('6');
    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < sent.length; i++) expect((sent[i]?.start ?? 0) - (sent[i - 1]?.end ?? 0)).toBe(300);
  });

  it('after a rate limit waits Retry-After, then sends the newest state rather than the refused one', async () => {
    const attempts: { text: string; at: number }[] = [];
    let limited = false;
    const updater = new CoalescedUpdater({
      logger: quiet,
      minIntervalMs: 50,
      send: async (m) => {
        attempts.push({ text: m.text, at: Date.now() });
        if (!limited) {
          limited = true;
          throw new webApi.WebAPIRateLimitedError(1);
        }
      },
    });
    updater.set(msg('first'));
    await pass(100);
    updater.set(msg('second'));
    const flushed = updater.flush();
    await pass(1000);
    await flushed;
    expect(attempts.map((a) => a.text)).toEqual(['first', 'second']);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBe(1000);
    expect(updater.edits).toBe(1);
  });
});
