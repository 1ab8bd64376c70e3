/**
 * A company's nearest peers in the data set: the companies of the same GICS sub-industry that have statements and
 * prices (so a comparison has something to compare), nearest market cap first (by ratio: 40 B is as near to 80 B as
 * 160 B is), then, when the sub-industry has too few, the same sector the same way. Share classes of one company
 * (GOOG and GOOGL, one CIK) are not peers of each other. Pure: built from profiles and coverage.
 */
import type { DataKind } from './providers/bundle-format.js';
import type { CompanyProfile, Peer, PeerList } from './shapes.js';

/** The kinds of data a peer must have to be worth comparing. */
export const PEER_KINDS: readonly DataKind[] = ['financials', 'prices'];

/** Distance of two market caps: |log ratio|; a missing one is farther than any known. */
function distance(a: number | undefined, b: number | undefined): number {
  if (!a || !b || a <= 0 || b <= 0) return Number.POSITIVE_INFINITY;
  return Math.abs(Math.log(a / b));
}

/**
 * The nearest `limit` peers of `ticker`, or `undefined` when its profile has no GICS classification.
 * @param profiles every profile of the data set, by ticker.
 * @param has the kinds of data the data set has, by ticker.
 */
export function nearestPeers(
  ticker: string,
  profiles: Readonly<Record<string, CompanyProfile>>,
  has: (ticker: string) => readonly DataKind[],
  limit: number,
): PeerList | undefined {
  const self = profiles[ticker];
  if (!self?.gics) return undefined;
  const { sector, subIndustry } = self.gics;
  const cap = self.snapshot?.marketCap;
  const candidates = Object.values(profiles).filter(
    (p) =>
      p.ticker !== ticker &&
      p.gics !== undefined &&
      (self.cik === undefined || p.cik !== self.cik) &&
      PEER_KINDS.every((k) => has(p.ticker).includes(k)),
  );
  const ranked = (basis: Peer['basis'], match: (p: CompanyProfile) => boolean): Peer[] =>
    candidates
      .filter(match)
      .map((p) => ({ p, d: distance(cap, p.snapshot?.marketCap) }))
      .sort((a, b) => a.d - b.d || a.p.ticker.localeCompare(b.p.ticker))
      .map(({ p }) => ({
        ticker: p.ticker,
        name: p.name,
        subIndustry: p.gics?.subIndustry ?? '',
        ...(p.snapshot?.marketCap === undefined ? {} : { marketCap: p.snapshot.marketCap }),
        basis,
      }));
  const same = ranked('sub-industry', (p) => p.gics?.subIndustry === subIndustry);
  const sectorPeers = ranked('sector', (p) => p.gics?.sector === sector && p.gics.subIndustry !== subIndustry);
  const peers = [...same, ...sectorPeers].slice(0, limit);
  const snapshot = self.snapshot;
  return {
    ticker,
    name: self.name,
    sector,
    subIndustry,
    ...(cap === undefined ? {} : { marketCap: cap }),
    peers,
    ...(snapshot ? { asOf: snapshot.asOf } : {}),
    source: snapshot?.source ?? self.sources[0] ?? { provider: 'bundled', ref: 'profiles.json.gz' },
  };
}
