/**
 * Yahoo's chart parser dates each bar in the exchange's own time zone, with one date formatter per zone kept across
 * calls: two charts read one after the other in different zones each get their own dates.
 */
import { describe, expect, it } from 'vitest';
import { parseYahooChart } from '../../../src/mcp-server/providers/yahoo/chart.js';

/** A one-bar chart document whose session starts at `epochSeconds`, in `timeZone`. */
function chart(epochSeconds: number, timeZone: string) {
  return {
    chart: {
      result: [
        {
          meta: { currency: 'USD', exchangeTimezoneName: timeZone },
          timestamp: [epochSeconds],
          indicators: { quote: [{ open: [1], high: [1], low: [1], close: [1], volume: [10] }] },
        },
      ],
      error: null,
    },
  };
}

describe('parseYahooChart', () => {
  it("dates bars in each chart's exchange time zone, also when charts of two zones alternate", () => {
    // 2026-12-07 23:30 UTC: still the 7th in New York, already the 8th in Tokyo.
    const t = Date.UTC(2026, 11, 7, 23, 30) / 1000;
    const dates = ['America/New_York', 'Asia/Tokyo', 'America/New_York', 'Asia/Tokyo'].map(
      (zone) => parseYahooChart(chart(t, zone)).bars[0]?.date,
    );
    expect(dates).toEqual(['2026-12-07', '2026-12-08', '2026-12-07', '2026-12-08']);
  });
});
