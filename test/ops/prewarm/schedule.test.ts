/**
 * When the prewarm runs (issue 15, part 1), on a fake clock: 20 minutes after the NYSE close, on trading days only —
 * a holiday moves it to the next trading day, an early close (13:00) moves it to 13:20 New York time — through the
 * real croner timer in America/New_York.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextPrewarmAt, PREWARM_CRON, prewarmTimeOf, schedulePrewarm } from '../../../src/ops/prewarm/schedule.js';
import { captureLogger } from '../../helpers/log-capture.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('prewarm moments', () => {
  it('20 minutes after the close: 16:20 New York time, 13:20 on an early close, none on a holiday or weekend', () => {
    expect(PREWARM_CRON).toBe('20 13,16 * * 1-5');
    expect(prewarmTimeOf('2026-11-25')?.toISOString()).toBe('2026-11-25T21:20:00.000Z'); // Wednesday, EST
    expect(prewarmTimeOf('2026-11-26')).toBeUndefined(); // Thanksgiving
    expect(prewarmTimeOf('2026-11-27')?.toISOString()).toBe('2026-11-27T18:20:00.000Z'); // early close, 13:00
    expect(prewarmTimeOf('2026-11-28')).toBeUndefined(); // Saturday
    expect(prewarmTimeOf('2026-07-02')?.toISOString()).toBe('2026-07-02T20:20:00.000Z'); // EDT
  });

  it('the next moment skips the holiday, and moves to 13:20 on the early close after it', () => {
    expect(nextPrewarmAt(new Date('2026-11-25T21:30:00Z'))?.toISOString()).toBe('2026-11-27T18:20:00.000Z');
    expect(nextPrewarmAt(new Date('2026-11-27T18:20:00Z'))?.toISOString()).toBe('2026-11-30T21:20:00.000Z');
    // Between the close and the settling margin the day's prewarm is still to come.
    expect(nextPrewarmAt(new Date('2026-12-07T21:10:00Z'))?.toISOString()).toBe('2026-12-07T21:20:00.000Z');
    // Christmas Eve closes early; Christmas is a holiday.
    expect(nextPrewarmAt(new Date('2026-12-24T12:00:00Z'))?.toISOString()).toBe('2026-12-24T18:20:00.000Z');
    expect(nextPrewarmAt(new Date('2026-12-24T18:21:00Z'))?.toISOString()).toBe('2026-12-28T21:20:00.000Z');
  });
});

/**
 * Move the fake clock to one minute before `iso`'s minute and run croner's timers through the two minutes around
 * it (croner re-checks every 30 s, so a week of fake time minute by minute would take minutes of real time).
 */
async function around(iso: string): Promise<void> {
  vi.setSystemTime(new Date(Date.parse(iso) - 60_000));
  await vi.advanceTimersByTimeAsync(120_000);
}

/** Every firing of the cron pattern (13:20 and 16:20 New York time, weekdays) from 2026-11-25 to 2026-12-01, UTC. */
const FIRINGS = [
  '2026-11-25T18:20:00Z',
  '2026-11-25T21:20:00Z',
  '2026-11-26T18:20:00Z',
  '2026-11-26T21:20:00Z',
  '2026-11-27T18:20:00Z',
  '2026-11-27T21:20:00Z',
  '2026-11-30T18:20:00Z',
  '2026-11-30T21:20:00Z',
  '2026-12-01T18:20:00Z',
  '2026-12-01T21:20:00Z',
];

describe('the croner schedule, on a fake clock', () => {
  it('of every cron firing, only the close + 20 min of a trading day prewarms: Thanksgiving none, the early close 13:20', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-25T12:00:00Z') });
    const fired: { at: string; session: string }[] = [];
    const { logger } = captureLogger();
    const schedule = schedulePrewarm(async (session) => {
      fired.push({ at: new Date().toISOString(), session });
    }, logger);
    expect(schedule.next()?.toISOString()).toBe('2026-11-25T21:20:00.000Z');
    for (const at of FIRINGS) await around(at);
    schedule.stop();
    expect(fired).toEqual([
      { at: '2026-11-25T21:20:00.000Z', session: '2026-11-25' },
      { at: '2026-11-27T18:20:00.000Z', session: '2026-11-27' },
      { at: '2026-11-30T21:20:00.000Z', session: '2026-11-30' },
      { at: '2026-12-01T21:20:00.000Z', session: '2026-12-01' },
    ]);
    expect(schedule.next()).toBeUndefined();
    await around('2026-12-02T21:20:00Z');
    expect(fired).toHaveLength(4);
  });

  it('a prewarm still running when the next moment comes is not started twice', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-27T17:00:00Z') });
    const { logger, warnings } = captureLogger();
    let starts = 0;
    let release: () => void = () => undefined;
    const schedule = schedulePrewarm(async () => {
      starts += 1;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    }, logger);
    await around('2026-11-27T18:20:00Z');
    expect(starts).toBe(1);
    // Still running at Monday's moment: skipped, said.
    await around('2026-11-30T21:20:00Z');
    expect(starts).toBe(1);
    expect(warnings().some((w) => /still running/.test(w))).toBe(true);
    release();
    schedule.stop();
  });
});
