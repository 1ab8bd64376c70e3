/**
 * The prewarm's records on Redis (`CACHE_URL`), beside the shared run log: one instance prewarms each session (a
 * claim), and every instance reads its fetches and the runs of all of them, so "prewarmed, later used: N of M" and the
 * choice of the most-requested tickers describe the whole desk. Keys under `tickerdesk:runlog:`: `prewarm:fetches`
 * (a hash, `<batch>:<ticker>` → the fetch as JSON) and `prewarm:at` (a sorted set of those ids by time); fetches older
 * than the run log's retention are removed as new ones are recorded.
 */
import { type Logger, logger as rootLogger } from '../log.js';
import { demandOf, type PrewarmFetch, type PrewarmLog, usageOf } from './prewarm-log.js';
import { connectRunLog, ms } from './redis-runs.js';

/** Options of {@link openRedisPrewarmLog}. */
export interface RedisPrewarmLogOptions {
  /** Key prefix, the run log's. @default `tickerdesk:runlog:` */
  prefix?: string;
  /** Bound on connecting, ms. @default 1000 */
  connectTimeoutMs?: number;
  /** Fetches older than this many days are removed when one is recorded. @default 90 */
  retentionDays?: number;
  logger?: Logger;
}

/**
 * The prewarm's records on the Redis server at `url`, connected at open (so a Redis that cannot be reached is told
 * there, as a SQLite file that cannot be opened is: the prewarm then refreshes its named tickers only, unrecorded).
 * @throws the Redis client's error when Redis cannot be reached; later, methods reject with it.
 */
export async function openRedisPrewarmLog(url: string, options: RedisPrewarmLogOptions = {}): Promise<PrewarmLog> {
  const conn = await connectRunLog(url, {
    logger: options.logger ?? rootLogger,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
  });
  const { keys, redis } = conn;
  try {
    await redis((c) => c.ping());
  } catch (err) {
    await conn.close();
    throw err;
  }
  const retentionMs = (options.retentionDays ?? 90) * 86_400_000;
  const fetchesSince = async (since: string): Promise<PrewarmFetch[]> => {
    const ids = await redis((c) => c.zRangeByScore(keys.prewarmAt, ms(since), '+inf'));
    if (ids.length === 0) return [];
    const values = await redis((c) => c.hmGet(keys.prewarmFetches, ids));
    return values.flatMap((v) => (typeof v === 'string' ? [JSON.parse(v) as PrewarmFetch] : []));
  };
  return {
    async demand(since, limit) {
      return demandOf(await conn.runsSince(since), since, limit);
    },
    async record(f) {
      const id = `${f.batch}:${f.ticker}`;
      const cutoff = `(${Date.now() - retentionMs}`;
      const old = await redis((c) => c.zRangeByScore(keys.prewarmAt, '-inf', cutoff));
      await redis((c) => {
        const m = c
          .multi()
          .hSet(keys.prewarmFetches, id, JSON.stringify(f))
          .zAdd(keys.prewarmAt, { score: ms(f.at), value: id });
        if (old.length > 0) m.hDel(keys.prewarmFetches, old).zRem(keys.prewarmAt, old);
        return m.exec();
      });
    },
    async usage(since) {
      const [fetches, runs] = await Promise.all([fetchesSince(since), conn.runsSince(since)]);
      return usageOf(fetches, runs, since);
    },
    close: () => conn.close(),
  };
}
