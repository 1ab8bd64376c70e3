/**
 * Watchlists and their daily digest: the shapes kept per channel (the tickers watched, the last digest and the
 * snapshot it showed) and the digest's content. Pure types.
 */

/** A channel's watchlist. */
export interface Watchlist {
  /** Slack channel id. */
  channel: string;
  /** Workspace (team) id the channel belongs to, when Slack said. */
  teamId?: string;
  /** Normalised tickers, in the order they were added. */
  tickers: string[];
  /** When the list last changed, ISO 8601. */
  updatedAt: string;
  /** Slack user id of who changed it last. */
  updatedBy: string;
}

/** One filing as a digest knows it (an 8-K from the events feed, or the newest 10-K/10-Q from the filings check). */
export interface FilingSeen {
  /** Stable identity: the filing's index URL or accession when known, else form + date + title. */
  key: string;
  /** `8-K`, `8-K/A`, `10-Q`, `10-K` … */
  form: string;
  /** Filing date, ISO `YYYY-MM-DD`. */
  date: string;
  /** Plain words (an 8-K's item titles). */
  title: string;
  /** 8-K item codes, e.g. `['2.02', '9.01']`; empty for other forms. */
  items: string[];
  url?: string;
}

/** Analyst consensus as a digest compares it. */
export interface ConsensusSeen {
  /** The consensus date, ISO. */
  asOf: string;
  /** e.g. `buy`, `hold`. */
  rating: string;
  /** Mean price target, USD; absent when the source gave none (Finnhub's target on a free key). */
  targetMean?: number;
  analystCount: number;
}

/** What a digest saw of one ticker: the next digest compares against it. */
export interface TickerSnapshot {
  ticker: string;
  /** The last close, USD, and its date. Absent when no prices could be read. */
  close?: { date: string; value: number };
  /** Change of the last close on the previous bar's, %. */
  dayChangePct?: number;
  /** Change of the last close on the close five bars (a trading week) earlier, %. */
  weekChangePct?: number;
  consensus?: ConsensusSeen;
  /** The filings known at the time, newest first. */
  filings: FilingSeen[];
  /** Parts that could not be read, in plain words (`prices: …`), so the digest can say so. */
  missing: string[];
}

/** The last digest of a channel: persisted so that at most one is posted a day and the next one can compare. */
export interface DigestState {
  /** The New York trading date (`YYYY-MM-DD`) whose close the digest followed. */
  session: string;
  /** When it was posted, ISO 8601. */
  postedAt: string;
  /** The posted message's `ts`, when Slack said. */
  ts?: string;
  /** What it showed, per ticker. */
  snapshot: Record<string, TickerSnapshot>;
}

/** A consensus change since the last digest. */
export interface ConsensusChange {
  from: ConsensusSeen;
  to: ConsensusSeen;
}

/** One ticker's line in a digest. */
export interface DigestEntry {
  ticker: string;
  now: TickerSnapshot;
  /** Filings not in the previous snapshot (first digest of the ticker: those of the last {@link FIRST_DIGEST_DAYS} days). */
  newFilings: FilingSeen[];
  /** Set when the mean target, the rating or the analyst count moved. */
  consensusChange?: ConsensusChange;
  /** Whether the ticker had no snapshot to compare with (newly watched, or the channel's first digest). */
  first: boolean;
}

/** A channel's digest for one session. */
export interface Digest {
  channel: string;
  session: string;
  /** The previous digest's session, when there was one. */
  since?: string;
  entries: DigestEntry[];
}

/** Days back a ticker's first digest lists filings from. */
export const FIRST_DIGEST_DAYS = 7;
