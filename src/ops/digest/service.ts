/**
 * The watchlist digest as an operation: after the prewarm at a US close, each channel with a watchlist gets one
 * message built from the prewarmed cache (`collect.ts`), compared with the last digest it got (`src/watchlists/`).
 * Skipped on a day NYSE does not trade; at most one per channel and session: the last digest's session is kept in
 * the watchlist store, and with several instances on Redis each channel's digest is claimed first (the run-claim
 * store the prewarm uses), so one instance posts it.
 */
import type { Logger } from '../../log.js';
import { isTradingDay } from '../../market-calendar.js';
import type { ClaimStore } from '../../tools/run-claims.js';
import type { ToolGateway } from '../../tools/types.js';
import { buildDigest, nextDigestState } from '../../watchlists/digest.js';
import { type WatchlistStore, watchedTickers } from '../../watchlists/store.js';
import type { Digest, TickerSnapshot, Watchlist } from '../../watchlists/types.js';
import { collectSnapshot } from './collect.js';

/** How long a channel's digest claim is held: longer than posting may take, shorter than a trading day. */
export const DIGEST_CLAIM_TTL_MS = 12 * 3_600_000;

/**
 * What a {@link DigestPoster} throws when the channel is gone for good (archived or deleted): its watchlist is
 * removed, so no digest is tried there again.
 */
export class DigestChannelGoneError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'DigestChannelGoneError';
  }
}

/**
 * Posts one digest in its channel (Slack: `src/slack/digest-poster.ts`); resolves with the message's `ts`.
 * @throws DigestChannelGoneError when the channel was archived or deleted; any error when the post failed.
 */
export type DigestPoster = (digest: Digest, list: Watchlist) => Promise<{ ts?: string }>;

/** What the digest service needs. */
export interface DigestServiceDeps {
  store: WatchlistStore;
  gateway: ToolGateway;
  /** Shared with the other instances (Redis with `CACHE_URL`), so one of them posts each channel's digest. */
  claims: ClaimStore;
  post: DigestPoster;
  logger: Logger;
  /** @default () => new Date() */
  now?: () => Date;
  /** Told of each session's outcome (Prometheus counters, tests). */
  onSummary?: (summary: DigestRunSummary) => void;
}

/** What one session's digests did, per channel. */
export interface DigestRunSummary {
  session: string;
  /** Channels a digest was posted in. */
  posted: string[];
  /** Channels passed over, and why (`holiday`, `already posted`, `claimed by another instance`, `no watchlist`). */
  skipped: { channel: string; reason: string }[];
  /** Channels whose digest could not be built or posted, and why (their claim is given back). */
  failed: { channel: string; reason: string }[];
}

/** A digest service. */
export interface DigestService {
  /** Post the digests of New York trading date `session` (the close just passed). Never rejects. */
  digestSession(session: string): Promise<DigestRunSummary>;
  /** Every ticker some channel watches (the prewarm refreshes them too). Never rejects. */
  watchedTickers(): Promise<string[]>;
  /** Stop between channels and wait for a run under way. Idempotent. */
  close(): Promise<void>;
}

/** Build the digest service. */
export function createDigestService(deps: DigestServiceDeps): DigestService {
  const { store, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const stop = new AbortController();
  let running: Promise<unknown> | undefined;

  const oneChannel = async (
    channel: string,
    session: string,
    snapshot: (ticker: string) => Promise<TickerSnapshot>,
    summary: DigestRunSummary,
  ): Promise<void> => {
    const list = await store.get(channel);
    if (!list) return void summary.skipped.push({ channel, reason: 'no watchlist' });
    const last = await store.lastDigest(channel);
    if (last && last.session >= session) return void summary.skipped.push({ channel, reason: 'already posted' });
    const key = `digest:${channel}:${session}`;
    if (!(await deps.claims.claim(key, DIGEST_CLAIM_TTL_MS)))
      return void summary.skipped.push({ channel, reason: 'claimed by another instance' });
    let digest: Digest;
    let ts: string | undefined;
    try {
      const snapshots = new Map<string, TickerSnapshot>();
      for (const t of list.tickers) snapshots.set(t, await snapshot(t));
      digest = buildDigest(channel, session, list.tickers, snapshots, last);
      ({ ts } = await deps.post(digest, list));
    } catch (err) {
      // Nothing was posted: another firing (or instance) may try again.
      await deps.claims.release(key);
      const reason = err instanceof Error ? err.message : String(err);
      summary.failed.push({ channel, reason });
      logger.warn(
        { channel, session, err: reason },
        `The watchlist digest for ${channel} could not be posted (${reason}).`,
      );
      if (err instanceof DigestChannelGoneError) {
        await store.update(channel, (now) => ({ ...(now ?? list), tickers: [] }));
        logger.warn({ channel, tickers: list.tickers }, `Removed the watchlist of ${channel}: the channel is gone.`);
      }
      return;
    }
    // Posted: the claim is kept, so that with the stored session it marks this channel's digest as done everywhere.
    summary.posted.push(channel);
    const news = digest.entries.filter((e) => e.newFilings.length > 0 || e.consensusChange).length;
    logger.info({ channel, session, tickers: list.tickers.length, ts, news }, 'Watchlist digest posted');
    await store
      .setLastDigest(channel, nextDigestState(digest, last, now().toISOString(), ts))
      .catch((err: unknown) =>
        logger.warn(
          { channel, session, err: err instanceof Error ? err.message : String(err) },
          'The watchlist digest was posted but could not be recorded; the next one compares with the one before.',
        ),
      );
  };

  const run = async (session: string): Promise<DigestRunSummary> => {
    const summary: DigestRunSummary = { session, posted: [], skipped: [], failed: [] };
    const channels = await store.channels();
    if (!isTradingDay(session)) {
      logger.info({ session }, 'No watchlist digest: NYSE did not trade that day');
      summary.skipped.push(...channels.map((channel) => ({ channel, reason: 'holiday' })));
      return summary;
    }
    // Stale answers the prewarm served are being refreshed in the background: the digest reads the refreshed ones.
    await deps.gateway.refreshed?.();
    const today = now().toISOString().slice(0, 10);
    const memo = new Map<string, Promise<TickerSnapshot>>();
    const snapshot = (t: string) => {
      let p = memo.get(t);
      if (!p) {
        p = collectSnapshot(deps.gateway, t, today, stop.signal);
        memo.set(t, p);
      }
      return p;
    };
    for (const channel of channels) {
      if (stop.signal.aborted) break;
      // One channel's trouble (its list unreadable just now) is that channel's: the others still get theirs.
      await oneChannel(channel, session, snapshot, summary).catch((err: unknown) => {
        const reason = err instanceof Error ? err.message : String(err);
        summary.failed.push({ channel, reason });
        logger.warn(
          { channel, session, err: reason },
          `The watchlist digest for ${channel} could not be built (${reason}).`,
        );
      });
    }
    return summary;
  };

  return {
    digestSession(session) {
      const p = run(session)
        .catch((err: unknown): DigestRunSummary => {
          const reason = err instanceof Error ? err.message : String(err);
          logger.warn({ session, err: reason }, `The watchlist digests could not run (${reason}).`);
          return { session, posted: [], skipped: [], failed: [{ channel: '*', reason }] };
        })
        .then((summary) => {
          deps.onSummary?.(summary);
          return summary;
        });
      running = p;
      return p;
    },
    async watchedTickers() {
      try {
        return (await watchedTickers(store)).tickers;
      } catch {
        return [];
      }
    },
    async close() {
      stop.abort(new Error('tickerdesk is shutting down'));
      await running;
    },
  };
}
