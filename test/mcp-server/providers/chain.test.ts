/**
 * The provider chain's answer when some of its providers cannot be reached: the providers that did answer decide.
 * Regression: offline (Yahoo and Stooq unreachable), a ticker the bundle has no prices for came back as a failed
 * tool ("No source answered for A. yahoo: … (ENOTFOUND) …") instead of "unavailable", so its run ended degraded and
 * the bundle's known reason (SAMSUNG: "prices are quoted in KRW, not USD") was lost; NVDX with SEC down exited 1
 * instead of being answered as an unknown ticker with its close match.
 */
import { describe, expect, it } from 'vitest';
import { DataUnavailableError, ToolFailedError, UnknownTickerError } from '../../../src/errors.js';
import { type ChainMember, ChainProvider } from '../../../src/mcp-server/providers/chain.js';
import type { PriceHistory } from '../../../src/mcp-server/shapes.js';
import { UpstreamHttpError, UpstreamUnreachableError } from '../../../src/mcp-server/upstream/errors.js';
import { knownReason } from '../../../src/research/analysts/common.js';

const unreachable = (id: string): ChainMember => ({
  id,
  live: true,
  prices: async () => {
    throw new UpstreamUnreachableError(`${id}.example`, 'ENOTFOUND');
  },
});

function bundled(answer: (ticker: string) => PriceHistory): ChainMember {
  return { id: 'bundled', live: false, prices: async (ticker) => answer(ticker) };
}

function chainOf(members: ChainMember[]): ChainProvider {
  const empty: ChainMember[] = [];
  return new ChainProvider({
    profile: empty,
    statements: empty,
    prices: members,
    consensus: empty,
    news: empty,
    insiders: empty,
  });
}

describe('ChainProvider with live providers unreachable', () => {
  it('says "unavailable" with the bundle\'s own reason when the bundle lacks the data', async () => {
    const chain = chainOf([
      unreachable('yahoo'),
      unreachable('stooq'),
      bundled((t) => {
        throw new DataUnavailableError(
          `No price history in the bundled data set for ${t} (prices are quoted in KRW, not USD).`,
        );
      }),
    ]);
    const err = await chain.prices('SAMSUNG').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataUnavailableError);
    expect(knownReason((err as Error).message)).toBe('prices are quoted in KRW, not USD');
    // Live sources may have it once they can be reached: the gateway keeps this answer only briefly.
    expect((err as DataUnavailableError).provisional).toBe(true);
  });

  it('is a definitive "unavailable" when every provider answered', async () => {
    const err = await chainOf([
      bundled((t) => {
        throw new DataUnavailableError(`No price history in the bundled data set for ${t}.`);
      }),
    ])
      .prices('A')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataUnavailableError);
    expect((err as DataUnavailableError).provisional).toBeUndefined();
  });

  it('answers an unknown ticker with the close matches the bundle gave', async () => {
    const chain = chainOf([
      unreachable('yahoo'),
      bundled(() => {
        throw new UnknownTickerError('NVDX', ['NVDA']);
      }),
    ]);
    const err = await chain.prices('NVDX').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownTickerError);
    expect((err as UnknownTickerError).suggestions).toEqual(['NVDA']);
  });

  it('says a ticker could not be checked, not that it is unknown, when a reachable live source failed', async () => {
    // Tried as a new user: SEC answering 503 made QXA (which SEC lists) an "unknown ticker" with exit 2.
    const failing: ChainMember = {
      id: 'sec-edgar',
      live: true,
      prices: () => {
        throw new UpstreamHttpError('data.sec.gov', 503);
      },
    };
    const err = await chainOf([
      failing,
      bundled(() => {
        throw new UnknownTickerError('QXA', ['A']);
      }),
    ])
      .prices('QXA')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolFailedError);
    expect((err as Error).message).toMatch(
      /^Could not check whether QXA is a listed ticker: bundled snapshot does not have it, and a source that might failed\. SEC EDGAR: .*503/,
    );
  });

  it('is a failed tool only when every provider failed, naming each', async () => {
    const err = await chainOf([unreachable('yahoo'), unreachable('stooq')])
      .prices('NVDA')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolFailedError);
    expect((err as Error).message).toMatch(/yahoo: .*ENOTFOUND.*stooq: .*ENOTFOUND/);
  });

  it('answers from the bundle, naming the providers that failed before it', async () => {
    const history = { ticker: 'NVDA', bars: [] } as unknown as PriceHistory;
    const answer = await chainOf([unreachable('yahoo'), bundled(() => history)]).prices('NVDA');
    expect(answer.provenance?.provider).toBe('bundled');
    expect(answer.provenance?.tried.map((t) => [t.provider, t.outcome])).toEqual([['yahoo', 'failed']]);
  });

  it('names the host a failed provider could not reach, for the gateway to ask before refreshing', async () => {
    const history = { ticker: 'NVDA', bars: [] } as unknown as PriceHistory;
    const down: ChainMember = {
      id: 'yahoo',
      live: true,
      prices: async () => {
        throw new UpstreamUnreachableError('query1.finance.yahoo.com', 'ENOTFOUND');
      },
    };
    const wrapped: ChainMember = {
      id: 'stooq',
      live: true,
      prices: async () => {
        throw new Error('Stooq failed.', { cause: new UpstreamUnreachableError('127.0.0.1:4100', 'ECONNREFUSED') });
      },
    };
    const http: ChainMember = {
      id: 'finnhub',
      live: true,
      prices: async () => {
        throw new UpstreamHttpError('finnhub.io', 503);
      },
    };
    const answer = await chainOf([down, wrapped, http, bundled(() => history)]).prices('NVDA');
    expect(answer.provenance?.tried).toEqual([
      {
        provider: 'yahoo',
        outcome: 'failed',
        reason: 'query1.finance.yahoo.com could not be reached (ENOTFOUND).',
        unreachable: 'query1.finance.yahoo.com',
      },
      { provider: 'stooq', outcome: 'failed', reason: 'Stooq failed.', unreachable: '127.0.0.1:4100' },
      { provider: 'finnhub', outcome: 'failed', reason: 'finnhub.io answered HTTP 503.' },
    ]);
  });

  it('says a kind no configured source has for a known ticker in words, with no note read as its reason', async () => {
    // Regression: tried as a new user on the SEC stand-in, an OTC ticker SEC listed but nobody had data for exited
    // with "No data for TOTCX: bundled." and a derived company's report said "No analyst consensus is available for
    // QXA in the bundled data set: bundled.": the chain named its providers in parentheses, "(bundled)", which the
    // research layer reads as the data's known reason.
    const sec: ChainMember = { id: 'sec-edgar', live: true, knows: async () => true };
    const chain = new ChainProvider({
      profile: [sec],
      statements: [],
      prices: [],
      consensus: [
        {
          id: 'finnhub',
          live: true,
          analystRatings: async (t) => {
            throw new UnknownTickerError(t, []);
          },
        },
        {
          id: 'bundled',
          live: false,
          analystRatings: async (t) => {
            throw new UnknownTickerError(t, []);
          },
        },
      ],
      news: [],
      insiders: [],
    });
    const err = await chain.analystRatings('TOTCX').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataUnavailableError);
    expect((err as Error).message).toBe(
      'No analyst consensus for TOTCX in any configured source; asked Finnhub and bundled snapshot.',
    );
    expect(knownReason((err as Error).message)).toBeUndefined();
  });

  it('names a live source that failed beside the ones that lack a known ticker, with no note read as a reason', async () => {
    // Tried as a new user: under SEC's 429s a report said "Statements: none (No financial statements for QXB in any
    // configured source; asked bundled snapshot)" and never named SEC's failure.
    const sec: ChainMember = {
      id: 'sec-edgar',
      live: true,
      knows: async () => true,
      financials: async () => {
        throw new Error("data.sec.gov's answer broke off (truncated gzip body).");
      },
    };
    const bundledLacking: ChainMember = {
      id: 'bundled',
      live: false,
      financials: async (t) => {
        throw new UnknownTickerError(t, []);
      },
    };
    const chain = new ChainProvider({
      profile: [sec],
      statements: [sec, bundledLacking],
      prices: [],
      consensus: [],
      news: [],
      insiders: [],
    });
    const err = await chain.financials('QXB', 'quarterly', 8).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataUnavailableError);
    expect((err as Error).message).toBe(
      'No financial statements for QXB in any configured source; asked bundled snapshot. SEC EDGAR failed: ' +
        "data.sec.gov's answer broke off, truncated gzip body.",
    );
    expect(knownReason((err as Error).message)).toBeUndefined();
    expect((err as DataUnavailableError).provisional).toBe(true);
  });
});
