/**
 * A channel's digest from two snapshots: what each watched ticker shows now against what the last digest showed —
 * the filings that were not there, a consensus that moved — and the state to keep for the next one. Pure.
 */
import {
  type ConsensusSeen,
  type Digest,
  type DigestEntry,
  type DigestState,
  FIRST_DIGEST_DAYS,
  type FilingSeen,
  type TickerSnapshot,
} from './types.js';

/** Filings kept per ticker in the state (the newest), enough to tell the next digest's new ones. */
export const KEPT_FILINGS = 60;

/** Whether the mean target moved by a cent or more (a target on one side only is not a move: sources differ). */
export function targetMoved(from: ConsensusSeen, to: ConsensusSeen): boolean {
  return (
    from.targetMean !== undefined && to.targetMean !== undefined && Math.abs(from.targetMean - to.targetMean) >= 0.005
  );
}

/** Whether the consensus moved: the mean target by a cent or more, the rating, or the number of analysts. */
export function consensusMoved(from: ConsensusSeen, to: ConsensusSeen): boolean {
  return targetMoved(from, to) || from.rating !== to.rating || from.analystCount !== to.analystCount;
}

function daysBefore(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * One ticker's entry: its filings not in `before` (without `before`: those filed in the {@link FIRST_DIGEST_DAYS}
 * days up to `session`) and its consensus change.
 */
export function digestEntry(now: TickerSnapshot, before: TickerSnapshot | undefined, session: string): DigestEntry {
  let newFilings: FilingSeen[];
  if (before) {
    const known = new Set(before.filings.map((f) => f.key));
    newFilings = now.filings.filter((f) => !known.has(f.key));
  } else {
    const from = daysBefore(session, FIRST_DIGEST_DAYS);
    newFilings = now.filings.filter((f) => f.date > from && f.date <= session);
  }
  const from = before?.consensus;
  const to = now.consensus;
  return {
    ticker: now.ticker,
    now,
    newFilings,
    ...(from && to && consensusMoved(from, to) ? { consensusChange: { from, to } } : {}),
    first: before === undefined,
  };
}

/** The digest of `channel` for `session`: one entry per watched ticker, in the list's order. */
export function buildDigest(
  channel: string,
  session: string,
  tickers: readonly string[],
  snapshots: ReadonlyMap<string, TickerSnapshot>,
  previous: DigestState | undefined,
): Digest {
  const entries = tickers.flatMap((t) => {
    const now = snapshots.get(t);
    return now ? [digestEntry(now, previous?.snapshot[t], session)] : [];
  });
  return { channel, session, ...(previous ? { since: previous.session } : {}), entries };
}

/**
 * What to keep after posting `digest`: each ticker's snapshot, with what could not be read this time carried over
 * from the last one (so a part that failed today does not make all its filings "new" tomorrow) and the filings of
 * both (newest {@link KEPT_FILINGS}).
 */
export function nextDigestState(
  digest: Digest,
  previous: DigestState | undefined,
  postedAt: string,
  ts?: string,
): DigestState {
  const snapshot: Record<string, TickerSnapshot> = {};
  for (const { ticker, now } of digest.entries) {
    const before = previous?.snapshot[ticker];
    const filings = new Map<string, FilingSeen>();
    for (const f of [...now.filings, ...(before?.filings ?? [])]) if (!filings.has(f.key)) filings.set(f.key, f);
    const close = now.close ?? before?.close;
    const consensus = now.consensus ?? before?.consensus;
    snapshot[ticker] = {
      ...now,
      ...(close ? { close } : {}),
      ...(consensus ? { consensus } : {}),
      filings: [...filings.values()]
        .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))
        .slice(0, KEPT_FILINGS),
    };
  }
  return { session: digest.session, postedAt, ...(ts ? { ts } : {}), snapshot };
}
