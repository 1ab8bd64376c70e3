import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { logger } from '../../src/log.js';
import type { SlackMessage } from '../../src/slack/blocks/index.js';
import { CoalescedUpdater } from '../../src/slack/coalesced-updater.js';

const msg = (text: string): SlackMessage => ({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });

describe('CoalescedUpdater', () => {
  it('sends at most one edit per interval, skips identical states and always delivers the latest', async () => {
    const sent: { text: string; at: number }[] = [];
    const updater = new CoalescedUpdater({
      logger,
      minIntervalMs: 300,
      send: async (m) => {
        sent.push({ text: m.text, at: Date.now() });
      },
    });
    updater.markSent(msg('0'));
    updater.set(msg('0'));
    for (let i = 1; i <= 20; i++) {
      updater.set(msg(String(i)));
      await new Promise((r) => setTimeout(r, 40));
    }
    await updater.flush();
    expect(sent.at(-1)?.text).toBe('20');
    expect(sent.length).toBeLessThan(8);
    expect(sent.map((s) => s.text)).not.toContain('0');
    for (let i = 1; i < sent.length; i++)
      expect((sent[i]?.at ?? 0) - (sent[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(290);
  });

  it('counts the interval from the end of an edit, so a slow edit cannot be followed by one arriving too soon', async () => {
    const sent: { text: string; start: number; end: number }[] = [];
    const updater = new CoalescedUpdater({
      logger,
      minIntervalMs: 300,
      send: async (m) => {
        const start = Date.now();
        await new Promise((r) => setTimeout(r, 200));
        sent.push({ text: m.text, start, end: Date.now() });
      },
    });
    for (let i = 1; i <= 6; i++) {
      updater.set(msg(String(i)));
      await new Promise((r) => setTimeout(r, 150));
    }
    await updater.flush();
    expect(sent.at(-1)?.text).toBe('6');
    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < sent.length; i++)
      expect((sent[i]?.start ?? 0) - (sent[i - 1]?.end ?? 0)).toBeGreaterThanOrEqual(290);
  });

  it('after a rate limit waits Retry-After, then sends the newest state rather than the refused one', async () => {
    const attempts: { text: string; at: number }[] = [];
    let limited = false;
    const updater = new CoalescedUpdater({
      logger,
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
    await new Promise((r) => setTimeout(r, 100));
    updater.set(msg('second'));
    await updater.flush();
    expect(attempts.map((a) => a.text)).toEqual(['first', 'second']);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(990);
    expect(updater.edits).toBe(1);
  });
});
