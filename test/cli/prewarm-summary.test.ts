/**
 * The summary `npm run prewarm` prints. Tried as a new user on a fresh desk: the first lines read "Prewarm done: 0 of
 * 0 tickers refreshed in 1 ms." above a table of zeros, and only the last line said why nothing was done.
 */
import { describe, expect, it } from 'vitest';
import { formatPrewarmSummary } from '../../src/cli/prewarm-command.js';
import type { PrewarmSummary } from '../../src/ops/prewarm/run.js';

function summary(over: Partial<PrewarmSummary>): PrewarmSummary {
  return {
    batch: 'b',
    tickers: [],
    refreshed: 0,
    toolCalls: 0,
    serverCalls: 0,
    upstreamRequests: 0,
    failures: [],
    ms: 1,
    stopped: false,
    ...over,
  };
}

describe('formatPrewarmSummary', () => {
  it('with no ticker to refresh says why and how to name some, and nothing else', () => {
    expect(formatPrewarmSummary(summary({}))).toBe(
      'No tickers to refresh: no runs in the last 30 days and no PREWARM_TICKERS (or --tickers NVDA,AMD).\n',
    );
  });

  it('otherwise the tickers refreshed, the calls, the upstream requests and each failure with its reason', () => {
    const text = formatPrewarmSummary(
      summary({
        tickers: ['NVDA', 'NVDX'],
        refreshed: 1,
        toolCalls: 16,
        serverCalls: 9,
        upstreamRequests: 3,
        failures: [{ ticker: 'NVDX', reason: 'get_company_profile: Unknown ticker "NVDX"' }],
        ms: 2500,
      }),
    );
    expect(text.split('\n')).toEqual([
      'Prewarm done: 1 of 2 tickers refreshed in 2.5 s.',
      '  tool calls         16 (9 sent to a data server, the rest still cached)',
      '  upstream requests  3',
      '  failures           1',
      '    NVDX: get_company_profile: Unknown ticker "NVDX"',
      '',
    ]);
  });

  it('names the watchlists when they were read: empty ones among the reasons, else how many chosen are watched', () => {
    expect(formatPrewarmSummary(summary({}), { tickers: [], channels: 0 })).toBe(
      'No tickers to refresh: no runs in the last 30 days, no PREWARM_TICKERS and no channel watchlist (or --tickers NVDA,AMD).\n',
    );
    const text = formatPrewarmSummary(summary({ tickers: ['MSFT', 'KO'], refreshed: 2 }), {
      tickers: ['KO', 'AMD'],
      channels: 1,
    });
    expect(text.split('\n')[1]).toBe('  watchlists         1 of them watched in 1 channel');
  });
});
