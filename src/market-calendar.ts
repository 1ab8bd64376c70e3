/**
 * The US equity market calendar (NYSE): trading days, the daily close (16:00 New York time, 13:00 on early-close
 * days), and trading-day counts. Used for cache validity (prices are good until the next close) and for saying how
 * old a report's prices are.
 *
 * Holidays and early closes are a table for 2025–2027, from NYSE's published holiday calendar
 * (https://www.nyse.com/markets/hours-calendars). Outside those years only weekends are known to be closed; extend
 * the table when NYSE publishes the next year.
 */

/** Full-day NYSE closures, 2025–2027 (observed dates). */
export const NYSE_HOLIDAYS: ReadonlySet<string> = new Set([
  // 2025 (Jan 9: national day of mourning for President Carter)
  '2025-01-01',
  '2025-01-09',
  '2025-01-20',
  '2025-02-17',
  '2025-04-18',
  '2025-05-26',
  '2025-06-19',
  '2025-07-04',
  '2025-09-01',
  '2025-11-27',
  '2025-12-25',
  // 2026 (Jul 3: Independence Day observed)
  '2026-01-01',
  '2026-01-19',
  '2026-02-16',
  '2026-04-03',
  '2026-05-25',
  '2026-06-19',
  '2026-07-03',
  '2026-09-07',
  '2026-11-26',
  '2026-12-25',
  // 2027 (Jun 18, Jul 5, Dec 24: observed)
  '2027-01-01',
  '2027-01-18',
  '2027-02-15',
  '2027-03-26',
  '2027-05-31',
  '2027-06-18',
  '2027-07-05',
  '2027-09-06',
  '2027-11-25',
  '2027-12-24',
]);

/** Days NYSE closes at 13:00 New York time, 2025–2027. */
export const NYSE_EARLY_CLOSES: ReadonlySet<string> = new Set([
  '2025-07-03',
  '2025-11-28',
  '2025-12-24',
  '2026-11-27',
  '2026-12-24',
  '2027-11-26',
]);

const ZONE = 'America/New_York';
const DAY_MS = 86_400_000;

/** The calendar date in New York at `instant`, ISO. */
export function newYorkDate(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    instant,
  );
}

function addDays(iso: string, n: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whether NYSE trades on `iso` (a weekday that is no holiday). */
export function isTradingDay(iso: string): boolean {
  const weekday = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !NYSE_HOLIDAYS.has(iso);
}

/** The instant of `hour:00` New York time on `iso` (handles daylight saving). */
function newYorkInstant(iso: string, hour: number): Date {
  const guess = Date.parse(`${iso}T${String(hour).padStart(2, '0')}:00:00Z`) + 5 * 3_600_000;
  const shown = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, hour: 'numeric', hourCycle: 'h23' }).format(
    new Date(guess),
  );
  return new Date(guess - (Number(shown) - hour) * 3_600_000);
}

/** The close of trading day `iso`: 16:00 New York time, 13:00 on early-close days. */
export function closeOf(iso: string): Date {
  return newYorkInstant(iso, NYSE_EARLY_CLOSES.has(iso) ? 13 : 16);
}

/** The first market close after `now`. */
export function nextClose(now: Date): Date {
  let day = newYorkDate(now);
  for (let i = 0; i < 15; i++) {
    if (isTradingDay(day) && closeOf(day).getTime() > now.getTime()) return closeOf(day);
    day = addDays(day, 1);
  }
  return new Date(now.getTime() + DAY_MS);
}

/** The date of the last completed trading session at `now` (today once the close has passed). */
export function lastSessionDate(now: Date): string {
  let day = newYorkDate(now);
  for (let i = 0; i < 15; i++) {
    if (isTradingDay(day) && closeOf(day).getTime() <= now.getTime()) return day;
    day = addDays(day, -1);
  }
  return day;
}

/** Trading days after `fromIso` up to and including `toIso` (0 when `toIso` is not later). */
export function tradingDaysBetween(fromIso: string, toIso: string): number {
  let n = 0;
  for (let day = addDays(fromIso, 1); day <= toIso; day = addDays(day, 1)) if (isTradingDay(day)) n += 1;
  return n;
}
