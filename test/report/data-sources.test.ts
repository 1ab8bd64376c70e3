import { describe, expect, it } from 'vitest';
import type { FilingRef, Provenance } from '../../src/mcp-server/shapes.js';
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
      financialsQuarterly: ok(
        { periods: [{ periodEnd: '2026-10-26' }] },
        {
          ...live('sec-edgar', '2026-11-19'),
          filing: { form: '10-Q', accession: '0001045810-26-000099', filed: '2026-11-19', periodEnd: '2026-10-26' },
        },
      ),
      prices: ok({}, live('yahoo', '2026-12-04')),
      news: ok({}, live('sec-edgar', '2026-12-02')),
    });
    const s = dataSources(b, new Date('2026-12-07T15:00:00Z'));
    expect(s.headlines).toEqual([]);
    expect(s.pricesAsOf).toBe('2026-12-04');
    expect(s.lines.map((l) => l.text)).toEqual([
      'Profile: SEC EDGAR (live), as of 2026-11-19',
      'Statements: SEC EDGAR (live), latest filing 10-Q filed 2026-11-19, period ended 2026-10-26',
      'Prices: Yahoo Finance (live), last close 2026-12-04',
      'Consensus: none (No analyst consensus in the bundled data set for X)',
      'Events: SEC EDGAR (live), latest 2026-12-02',
      'Insiders: none (No analyst consensus in the bundled data set for X)',
    ]);
  });

  it('names the latest filing by form and filing date, not by the end of the period it reports', () => {
    // Regression: the statements line said "latest filing 2026-04-26", NVDA's quarter end, for a 10-Q filed 05-20.
    const bundled = (filing?: FilingRef): Provenance => ({
      provider: 'bundled',
      live: false,
      asOf: '2026-05-20',
      tried: [],
      ...(filing ? { filing } : {}),
    });
    const line = (data: object, p: Provenance) =>
      dataSources(bundle({ financialsQuarterly: ok(data, p) }), new Date('2026-12-07T15:00:00Z')).lines[1]?.text;
    const tenQ = { form: '10-Q', filed: '2026-05-20', periodEnd: '2026-04-26' };
    expect(line({ periods: [{ periodEnd: '2026-04-26' }] }, bundled(tenQ))).toBe(
      'Statements: bundled snapshot, latest filing 10-Q filed 2026-05-20, period ended 2026-04-26',
    );
    // A newer period from a source with no filing (yfinance tables) is named beside the filing.
    expect(line({ periods: [{ periodEnd: '2026-06-30' }] }, bundled(tenQ))).toBe(
      'Statements: bundled snapshot, latest filing 10-Q filed 2026-05-20, period ended 2026-04-26; newest period 2026-06-30',
    );
    // No filing cited at all: the newest period, never called a filing.
    expect(line({ periods: [{ periodEnd: '2026-06-30' }] }, bundled())).toBe(
      'Statements: bundled snapshot, newest period 2026-06-30',
    );
  });

  it('says when a kind was served stale from the cache and is being refreshed', () => {
    const stale = {
      fetchedAt: '2026-12-04T14:02:11.000Z',
      validUntil: '2026-12-04T21:20:00.000Z',
      refreshing: true as const,
    };
    const b = bundle({
      prices: ok({}, live('yahoo', '2026-12-03')),
      technicals: { ...ok({}, live('yahoo', '2026-12-03')), stale } as BundlePart<never>,
    });
    const line = dataSources(b, new Date('2026-12-07T15:00:00Z')).lines.find((l) => l.kind === 'Prices');
    expect(line?.text).toBe(
      'Prices: Yahoo Finance (live), last close 2026-12-03; served stale (fetched 2026-12-04 14:02 UTC, valid until ' +
        '2026-12-04 21:20 UTC), being refreshed',
    );
    expect(line?.stale).toEqual(stale);
  });

  it('says a stale snapshot answer is refreshed once a live source can be reached, not that it is being refreshed', () => {
    // Offline the gateway does not refresh from the same snapshot while every failed host is still unreachable.
    const stale = {
      fetchedAt: '2026-12-05T15:00:00.000Z',
      validUntil: '2026-12-05T15:05:00.000Z',
      refreshing: true as const,
    };
    const snapshot = {
      provider: 'bundled',
      live: false,
      asOf: '2026-08-21',
      tried: [unreachable('yahoo'), unreachable('stooq')],
    };
    const b = bundle({ prices: { ...ok({}, snapshot), stale } as BundlePart<never> });
    const line = dataSources(b, new Date('2026-12-07T15:00:00Z')).lines.find((l) => l.kind === 'Prices');
    expect(line?.text).toBe(
      'Prices: bundled snapshot, last close 2026-08-21 — Yahoo Finance and Stooq could not be reached; served stale ' +
        '(fetched 2026-12-05 15:00 UTC, valid until 2026-12-05 15:05 UTC), refreshed once a live source can be reached',
    );
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

  it('says why a line comes from the snapshot when the live providers have nothing for the ticker', () => {
    // Regression: TSLA on the stand-ins read "Prices: bundled snapshot, last close 2026-08-21" with no word that
    // Yahoo Finance and Stooq had been asked and had no prices for it.
    const lacking = (provider: string) => ({
      provider,
      outcome: 'unavailable' as const,
      reason: `${provider} has no prices for X.`,
    });
    const prices = ok(
      {},
      {
        provider: 'bundled',
        live: false,
        asOf: '2026-08-21',
        tried: [lacking('yahoo'), { ...lacking('stooq'), outcome: 'unknown' as const }],
      },
    );
    const profile = ok({}, { provider: 'bundled', live: false, asOf: '2026-08-22', tried: [unreachable('sec-edgar')] });
    const s = dataSources(bundle({ profile, prices }), new Date('2026-12-07T15:00:00Z'));
    expect(s.lines[0]?.text).toBe('Profile: bundled snapshot, as of 2026-08-22 — SEC EDGAR could not be reached');
    expect(s.lines[2]?.text).toBe(
      'Prices: bundled snapshot, last close 2026-08-21 — Yahoo Finance and Stooq have no data for X',
    );
    // Only a failure to reach a source makes the "could not be reached" headline.
    expect(s.headlines[0]).toMatch(/^Live data could not be reached/);
    const onlyLacking = dataSources(bundle({ prices }), new Date('2026-12-07T15:00:00Z'));
    expect(onlyLacking.headlines.some((h) => /could not be reached/.test(h))).toBe(false);
  });

  it('says where the consensus ratings and the price target came from, and why a target is missing', () => {
    const at = new Date('2026-12-07T15:00:00Z');
    const line = (data: object, p: Provenance) =>
      dataSources(bundle({ analyst: ok(data, p) }), at).lines.find((l) => l.kind === 'Consensus')?.text;
    expect(line({ targetMean: 210 }, live('finnhub', '2026-12-04'))).toBe(
      'Consensus: Finnhub (live), ratings and price target as of 2026-12-04',
    );
    expect(
      line(
        { targetNote: 'Price target not available from Finnhub on this key (a premium endpoint)' },
        live('finnhub', '2026-12-01'),
      ),
    ).toBe(
      'Consensus: Finnhub (live), ratings as of 2026-12-01; price target not available from Finnhub on this key (a premium endpoint)',
    );
    expect(line({ targetMean: 302.83 }, { provider: 'bundled', live: false, asOf: '2026-08-21', tried: [] })).toBe(
      'Consensus: bundled snapshot, ratings and price target as of 2026-08-21',
    );
  });

  it('names Finnhub as people spell it, and leaves the MCP tool list out of a "none" line', () => {
    // Regression: "Consensus: finnhub (live)", and "Consensus: none (No analyst consensus in the bundled data set
    // for TSM. Tools with data for TSM: get_price_history, analyze_stock, get_insider_transactions)".
    const s = dataSources(
      bundle({
        analyst: ok({}, live('finnhub', '2026-12-04')),
        news: {
          status: 'unavailable',
          reason:
            'No company events (SEC 8-K filings) in the bundled data set for X. Tools with data for X: get_price_history, analyze_stock.',
          source: 's',
        },
        insider: {
          status: 'unavailable',
          reason: 'No insider transactions (SEC Form 4) in the bundled data set for X. This server has no data for X.',
          source: 's',
        },
      }),
      new Date('2026-12-07T15:00:00Z'),
    );
    expect(s.lines.map((l) => l.text).slice(3)).toEqual([
      'Consensus: Finnhub (live), as of 2026-12-04',
      'Events: none (No company events (SEC 8-K filings) in the bundled data set for X)',
      'Insiders: none (No insider transactions (SEC Form 4) in the bundled data set for X)',
    ]);
  });
});
