import { describe, expect, it } from 'vitest';
import type { Provenance } from '../../src/mcp-server/shapes.js';
import { dataSources, dataSourcesMarkdown } from '../../src/report/data-sources.js';
import type { BundlePart, DataBundle } from '../../src/research/types.js';

const ok = (data: object, provenance?: Provenance): BundlePart<never> =>
  ({
    status: 'ok',
    data: provenance ? { ...data, provenance } : data,
    source: 'tickerdesk/x',
    fetchedAt: '2026-12-07T12:00:00Z',
    cache: 'miss',
    ms: 1,
  }) as BundlePart<never>;

const live = (provider: string, asOf: string): Provenance => ({ provider, live: true, asOf, tried: [] });
const unreachable = (provider: string) => ({
  provider,
  outcome: 'failed' as const,
  reason: `${provider}.example could not be reached (ENOTFOUND).`,
});

function bundle(parts: Partial<DataBundle>): DataBundle {
  const none = { status: 'unavailable', reason: 'No analyst consensus in the bundled data set for X.', source: 's' };
  return {
    ticker: 'X',
    profile: none,
    financialsAnnual: none,
    financialsQuarterly: none,
    prices: none,
    technicals: none,
    analyst: none,
    news: none,
    insider: none,
    ...parts,
  } as DataBundle;
}

describe('dataSources', () => {
  it('names each live provider and its as-of date, and warns about nothing when prices are current', () => {
    const b = bundle({
      profile: ok({}, live('sec-edgar', '2026-11-19')),
      financialsQuarterly: ok({}, live('sec-edgar', '2026-11-19')),
      prices: ok({}, live('yahoo', '2026-12-04')),
      news: ok({}, live('sec-edgar', '2026-12-02')),
    });
    const s = dataSources(b, new Date('2026-12-07T15:00:00Z'));
    expect(s.headlines).toEqual([]);
    expect(s.pricesAsOf).toBe('2026-12-04');
    expect(s.lines.map((l) => l.text)).toEqual([
      'Profile: SEC EDGAR (live), as of 2026-11-19',
      'Statements: SEC EDGAR (live), latest filing 2026-11-19',
      'Prices: Yahoo Finance (live), last close 2026-12-04',
      'Consensus: none (No analyst consensus in the bundled data set for X)',
      'Events: SEC EDGAR (live), latest 2026-12-02',
      'Insiders: none (No analyst consensus in the bundled data set for X)',
    ]);
  });

  it('says at the top that live data was unreachable and which snapshot is used, and that prices are old', () => {
    const b = bundle({
      profile: ok({}, { provider: 'bundled', live: false, asOf: '2026-08-22', tried: [] }),
      prices: ok(
        {},
        { provider: 'bundled', live: false, asOf: '2026-08-21', tried: [unreachable('yahoo'), unreachable('stooq')] },
      ),
    });
    const s = dataSources(b, new Date('2026-12-07T15:00:00Z'));
    expect(s.headlines).toEqual([
      'Live data could not be reached; this report uses the bundled snapshot (data to 2026-08-22).',
      'The prices are 73 trading days old: the last close in this report is 2026-08-21.',
    ]);
    expect(s.lines[2]?.text).toBe(
      'Prices: bundled snapshot, last close 2026-08-21 — Yahoo Finance and Stooq could not be reached',
    );
    expect(dataSourcesMarkdown(s)).toMatch(/^> \*\*Live data could not be reached/);
  });

  it('counts five trading days old as current and six as old', () => {
    const at = (asOf: string) =>
      dataSources(bundle({ prices: ok({}, live('yahoo', asOf)) }), new Date('2026-12-07T22:00:00Z')).headlines;
    expect(at('2026-11-30')).toEqual([]); // Dec 1, 2, 3, 4, 7: five sessions since
    expect(at('2026-11-27')).toEqual([
      'The prices are 6 trading days old: the last close in this report is 2026-11-27.',
    ]);
  });
});
