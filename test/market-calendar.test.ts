import { describe, expect, it } from 'vitest';
import { closeOf, isTradingDay, lastSessionDate, nextClose, tradingDaysBetween } from '../src/market-calendar.js';

describe('NYSE calendar', () => {
  it('knows weekends, holidays (observed) and early closes', () => {
    expect(isTradingDay('2026-12-05')).toBe(false); // Saturday
    expect(isTradingDay('2026-07-03')).toBe(false); // Independence Day observed (Jul 4 is a Saturday)
    expect(isTradingDay('2026-11-26')).toBe(false); // Thanksgiving
    expect(isTradingDay('2027-03-26')).toBe(false); // Good Friday
    expect(isTradingDay('2026-12-07')).toBe(true);
    expect(closeOf('2026-12-04').toISOString()).toBe('2026-12-04T21:00:00.000Z'); // 16:00 EST
    expect(closeOf('2026-07-06').toISOString()).toBe('2026-07-06T20:00:00.000Z'); // 16:00 EDT
    expect(closeOf('2026-11-27').toISOString()).toBe('2026-11-27T18:00:00.000Z'); // early close, 13:00 EST
  });

  it('finds the next close over weekends and holidays, and the last completed session', () => {
    expect(nextClose(new Date('2026-12-05T12:00:00Z')).toISOString()).toBe('2026-12-07T21:00:00.000Z');
    expect(nextClose(new Date('2026-12-07T20:59:00Z')).toISOString()).toBe('2026-12-07T21:00:00.000Z');
    expect(nextClose(new Date('2026-12-07T21:00:00Z')).toISOString()).toBe('2026-12-08T21:00:00.000Z');
    expect(nextClose(new Date('2026-11-25T22:00:00Z')).toISOString()).toBe('2026-11-27T18:00:00.000Z');
    expect(lastSessionDate(new Date('2026-12-07T18:00:00Z'))).toBe('2026-12-04');
    expect(lastSessionDate(new Date('2026-12-07T21:30:00Z'))).toBe('2026-12-07');
  });

  it('counts trading days between two dates', () => {
    expect(tradingDaysBetween('2026-12-04', '2026-12-07')).toBe(1);
    expect(tradingDaysBetween('2026-11-24', '2026-12-01')).toBe(4); // Thanksgiving closed, the 27th open
    expect(tradingDaysBetween('2026-12-07', '2026-12-04')).toBe(0);
  });
});
