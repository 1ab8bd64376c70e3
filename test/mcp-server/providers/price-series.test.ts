/**
 * A broken daily series from Yahoo passes to Stooq with a note naming what was wrong, and a series Yahoo left
 * unadjusted around a split it names is adjusted: the "a price provider answering … an empty series, a
 * series with gaps or nulls, or a split-day jump". Regression: tried as a new user with the price stand-in serving
 * AAPL's bars with the 30 newest sessions in post-split terms and no split event, the report said QXB was "68.5%
 * below its 200-day average", oversold, with 233% volatility; with 40 sessions missing it computed a one-month return
 * across the hole (-0.5% where the bars say -5.6%). Both now pass to Stooq, whose bars are whole.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChainProvider } from '../../../src/mcp-server/providers/chain.js';
import { sessionGap, unexplainedSplitJump } from '../../../src/mcp-server/providers/series-checks.js';
import { StooqPriceProvider } from '../../../src/mcp-server/providers/stooq/provider.js';
import { YahooPriceProvider } from '../../../src/mcp-server/providers/yahoo/provider.js';
import type { PriceBar } from '../../../src/mcp-server/shapes.js';
import { UpstreamClient } from '../../../src/mcp-server/upstream/client.js';
import {
  type FixtureBar,
  fixtureBars,
  type PriceStandIn,
  startPriceStandIn,
  yahooChartJson,
} from '../../helpers/price-stand-in.js';

let prices: PriceStandIn;
const bars = fixtureBars('AAPL');
/** Tickers made up per test, so that the providers' in-process series memo never serves one test's chart to another. */
const SYMBOLS = ['QXB', 'QXD', 'QXF', 'QXH', 'QXJ', 'QXL'] as const;

beforeAll(async () => {
  prices = await startPriceStandIn({ aliases: Object.fromEntries(SYMBOLS.map((s) => [s, 'AAPL'])) });
});

afterAll(async () => {
  await prices.close();
});

afterEach(() => prices.clearFaults());

function chain(): ChainProvider {
  const upstream = new UpstreamClient({ retries: 0, timeoutMs: 5000 });
  return new ChainProvider({
    profile: [],
    statements: [],
    prices: [new YahooPriceProvider(upstream, prices.url), new StooqPriceProvider(upstream, prices.url)],
    consensus: [],
    news: [],
    insiders: [],
  });
}

/** AAPL's bars with the ones before the `newest`-th newest multiplied by `factor` (a split not applied to them). */
function preSplit(factor: number, newest: number): FixtureBar[] {
  const cut = bars.length - newest;
  return bars.map((b, i) =>
    i < cut ? { ...b, open: b.open * factor, high: b.high * factor, low: b.low * factor, close: b.close * factor } : b,
  );
}

const lastClose = (bs: readonly PriceBar[]) => bs.at(-1)?.close;

describe('live price series checks', () => {
  it('adjusts a split Yahoo names but left unapplied, and answers from Yahoo', async () => {
    const cutDate = (bars[bars.length - 30] as FixtureBar).date;
    prices.setChart('QXB', yahooChartJson('QXB', preSplit(4, 30), [{ date: cutDate, numerator: 4, denominator: 1 }]));
    const history = await chain().prices('QXB', { start: '2000-01-01' });
    expect(history.provenance?.provider).toBe('yahoo');
    expect(history.bars.map((b) => b.close)).toEqual(bars.filter((b) => b.date >= history.start).map((b) => b.close));
  });

  it('passes a one-day jump by a split ratio with no split event to Stooq, naming it', async () => {
    prices.setChart('QXD', yahooChartJson('QXD', preSplit(4, 30)));
    const history = await chain().prices('QXD');
    expect(history.provenance?.provider).toBe('stooq');
    const [tried] = history.provenance?.tried ?? [];
    expect(tried).toMatchObject({ provider: 'yahoo', outcome: 'failed' });
    expect(tried?.reason).toMatch(
      new RegExp(
        `answered with a daily series with a one-day move from \\$[\\d,.]+ to \\$[\\d,.]+ on ${(bars[bars.length - 30] as FixtureBar).date}, as a 4-for-1 split left unapplied would make\\.$`,
      ),
    );
    expect(lastClose(history.bars)).toBe(lastClose(bars));
  });

  it('passes a series missing weeks of sessions to Stooq, naming the gap', async () => {
    const holed = bars.filter((_, i) => i < bars.length - 60 || i >= bars.length - 20);
    prices.setChart('QXF', yahooChartJson('QXF', holed));
    const history = await chain().prices('QXF');
    expect(history.provenance?.provider).toBe('stooq');
    const before = (bars[bars.length - 61] as FixtureBar).date;
    const after = (bars[bars.length - 20] as FixtureBar).date;
    expect(history.provenance?.tried[0]?.reason).toMatch(
      new RegExp(`answered with a daily series with a gap of 40 sessions between ${before} and ${after}\\.$`),
    );
  });

  it('keeps a series with a few scattered nulls, leaving those sessions out', async () => {
    const withNulls = bars.map((b, i) => (i % 50 === 7 ? { date: b.date, close: null } : b));
    prices.setChart('QXH', yahooChartJson('QXH', withNulls));
    const history = await chain().prices('QXH', { start: '2000-01-01' });
    expect(history.provenance?.provider).toBe('yahoo');
    expect(history.bars.length).toBe(bars.length - withNulls.filter((b) => b.close === null).length);
  });

  it('passes an empty series to Stooq as Yahoo having no bars', async () => {
    prices.setChart('QXJ', yahooChartJson('QXJ', []));
    const history = await chain().prices('QXJ');
    expect(history.provenance?.provider).toBe('stooq');
    expect(history.provenance?.tried[0]).toMatchObject({
      provider: 'yahoo',
      outcome: 'unavailable',
      reason: 'Yahoo Finance returned no daily bars for QXJ.',
    });
  });
});

describe('a symbol the price sources lack', () => {
  it('is asked of each source once, not once per tool: the "no data" answer is kept like a series', async () => {
    // Regression: on the stand-ins, TSM (no Yahoo or Stooq bars) sent each source two requests per run, one for
    // get_price_history and one for analyze_stock, a second apart.
    const prices2 = chain();
    const before = prices.requests.length;
    for (let i = 0; i < 2; i++) {
      const err = await prices2.prices('ZZZZ').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
    }
    const asked = prices.requests.slice(before).map((r) => (r.path.startsWith('/v8/') ? 'yahoo' : 'stooq'));
    expect(asked).toEqual(['yahoo', 'stooq']);
  });
});

describe('series checks', () => {
  const bar = (date: string, close: number): PriceBar => ({
    date,
    open: close,
    high: close,
    low: close,
    close,
    volume: 1,
  });

  it('counts NYSE sessions, not calendar days: a long weekend and Thanksgiving are no gap', () => {
    expect(sessionGap([bar('2026-11-25', 10), bar('2026-11-27', 10), bar('2026-11-30', 10)])).toBeUndefined();
    expect(sessionGap([bar('2026-11-02', 10), bar('2026-11-10', 10)])).toBeUndefined(); // 5 sessions missing
    expect(sessionGap([bar('2026-11-02', 10), bar('2026-11-11', 10)])).toBe(
      'a gap of 6 sessions between 2026-11-02 and 2026-11-11',
    );
  });

  it('reads a move by a split ratio as a split only where no split event explains it', () => {
    const jump = [bar('2026-06-09', 1200), bar('2026-06-10', 120.5)];
    expect(unexplainedSplitJump(jump, [])).toBe(
      'a one-day move from $1,200.00 to $120.50 on 2026-06-10, as a 10-for-1 split left unapplied would make',
    );
    expect(unexplainedSplitJump(jump, [{ date: '2026-06-10', ratio: 10 }])).toBeUndefined();
    expect(unexplainedSplitJump([bar('2026-06-09', 5), bar('2026-06-10', 100)], [])).toMatch(/1-for-20 reverse split/);
    // A plain fall of a third, or a rise of 60 %, is the market, not a split.
    expect(unexplainedSplitJump([bar('2026-06-09', 30), bar('2026-06-10', 20)], [])).toBeUndefined();
    expect(unexplainedSplitJump([bar('2026-06-09', 10), bar('2026-06-10', 16)], [])).toBeUndefined();
  });
});
