/**
 * When the prewarm runs: once a trading day, when the day's closes are published — the NYSE close (16:00 New York
 * time, 13:00 on early-close days) plus the settling margin live prices are cached by (`CLOSE_SETTLE_MS`, 20 min, see
 * `src/tools/ttl.ts`), so the prices it caches are the day's final bars and stay valid until the next close. Weekends
 * and holidays have none. The timer is croner's (time zone America/New_York, so daylight saving moves nothing); the
 * NYSE calendar (`src/market-calendar.ts`) decides which of its firings is the day's prewarm.
 */
import { Cron } from 'croner';
import type { Logger } from '../../log.js';
import { closeOf, isTradingDay, newYorkDate } from '../../market-calendar.js';
import { CLOSE_SETTLE_MS } from '../../tools/ttl.js';

/** The time zone the schedule is kept in. */
export const PREWARM_TIME_ZONE = 'America/New_York';

const SETTLE_MINUTES = Math.round(CLOSE_SETTLE_MS / 60_000);

/**
 * The cron pattern: `SETTLE` minutes past 13:00 and 16:00 New York time on weekdays (an early and a regular close);
 * {@link isPrewarmMoment} keeps the one that follows the day's actual close.
 */
export const PREWARM_CRON = `${SETTLE_MINUTES} 13,16 * * 1-5`;

/** The prewarm moment of New York date `iso` (its close + settle), or `undefined` when NYSE does not trade that day. */
export function prewarmTimeOf(iso: string): Date | undefined {
  return isTradingDay(iso) ? new Date(closeOf(iso).getTime() + CLOSE_SETTLE_MS) : undefined;
}

/**
 * Whether `at` is the day's prewarm moment, within `toleranceMs` after it (a timer fires a little late, never early).
 * @default toleranceMs 5 minutes
 */
export function isPrewarmMoment(at: Date, toleranceMs = 5 * 60_000): boolean {
  const due = prewarmTimeOf(newYorkDate(at));
  return due !== undefined && at.getTime() >= due.getTime() && at.getTime() - due.getTime() <= toleranceMs;
}

/** The first prewarm moment after `now` (searching 15 days ahead, past any run of holidays and weekends). */
export function nextPrewarmAt(now: Date): Date | undefined {
  for (let i = 0; i < 15; i++) {
    const day = newYorkDate(new Date(now.getTime() + i * 86_400_000));
    const due = prewarmTimeOf(day);
    if (due && due.getTime() > now.getTime()) return due;
  }
  return undefined;
}

/** A running schedule. */
export interface PrewarmSchedule {
  /** The next prewarm moment, or `undefined` once stopped. */
  next(): Date | undefined;
  /** Stop firing (a prewarm under way is stopped by its own signal). Idempotent. */
  stop(): void;
}

/**
 * Call `fire(session)` at each prewarm moment, `session` being the New York date (`YYYY-MM-DD`) whose closes it
 * follows. A firing while the previous prewarm still runs is skipped (croner's `protect`); an error `fire` throws or
 * rejects with is logged, and the schedule goes on. The timer does not keep the process alive.
 */
export function schedulePrewarm(fire: (session: string) => Promise<void>, logger: Logger): PrewarmSchedule {
  let stopped = false;
  const job = new Cron(
    PREWARM_CRON,
    {
      timezone: PREWARM_TIME_ZONE,
      protect: () => logger.warn('The previous prewarm is still running; skipping this one.'),
      catch: (err: unknown) => logger.warn({ err }, 'The prewarm failed; the next one runs at the next close.'),
      unref: true,
    },
    async () => {
      const now = new Date();
      // Holidays, and the 13:20 firing of a full day or the 16:20 of an early close, are not prewarm moments.
      if (!isPrewarmMoment(now)) return;
      await fire(newYorkDate(now));
    },
  );
  return {
    next: () => (stopped ? undefined : nextPrewarmAt(new Date())),
    stop() {
      stopped = true;
      job.stop();
    },
  };
}
