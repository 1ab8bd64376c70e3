/**
 * What the run log's Redis parts share: one connection through the project's Redis client, made on first use and
 * bounded, the key layout under `tickerdesk:runlog:` (see `redis-store.ts`), and reading run records by id or by
 * start time.
 */
import type { Logger } from '../log.js';
import { bounded } from '../tools/bounded.js';
import type { RedisClient } from '../tools/redis-client.js';
import { redactRedisUrl } from '../tools/redis-url.js';
import type { FeedbackEntry, RunRecord } from './types.js';

/** Default key prefix of the run log on Redis. */
export const RUN_LOG_PREFIX = 'tickerdesk:runlog:';

/** The run log's keys under `prefix` (see the table in `redis-store.ts`). */
export function runLogKeys(prefix: string = RUN_LOG_PREFIX) {
  return {
    run: (id: string) => `${prefix}run:${id}`,
    runs: `${prefix}runs`,
    running: `${prefix}running`,
    done: `${prefix}done`,
    refusals: `${prefix}refusals`,
    resets: `${prefix}resets`,
    once: (name: string) => `${prefix}once:${name}`,
    prewarmFetches: `${prefix}prewarm:fetches`,
    prewarmAt: `${prefix}prewarm:at`,
  };
}

/** The keys {@link runLogKeys} gives. */
export type RunLogKeys = ReturnType<typeof runLogKeys>;

/** Prefix of a run hash's feedback fields. */
export const FEEDBACK_FIELD = 'feedback:';

/** ms since the epoch of an ISO time; 0 for one that does not parse. */
export const ms = (iso: string): number => {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : 0;
};

/** A record from its hash (feedback fields appended to it, oldest first); undefined for a missing hash. */
function fromHash(hash: Record<string, string>): RunRecord | undefined {
  if (hash.record === undefined) return undefined;
  const record = JSON.parse(hash.record) as RunRecord;
  const fields = Object.keys(hash)
    .filter((k) => k.startsWith(FEEDBACK_FIELD))
    .sort();
  if (fields.length > 0) {
    record.feedback = [
      ...(record.feedback ?? []),
      ...fields.map((k) => JSON.parse(hash[k] as string) as FeedbackEntry),
    ];
  }
  return record;
}

/** Runs read per batch of `HGETALL`s (one bound on time each). */
const BATCH = 500;

/** One Redis connection of the run log. */
export interface RunLogConnection {
  /** The server's URL without its password. */
  readonly label: string;
  readonly keys: RunLogKeys;
  /** Whether the connection is up now. */
  ready(): boolean;
  /**
   * Run `fn` on the connected client (connecting first, within the connect bound), within the command bound.
   * @throws the client's error, or a timeout error naming the server.
   */
  redis<T>(fn: (client: RedisClient) => Promise<T>): Promise<T>;
  /** The records of `ids`, in that order; ids whose hash is gone (expired) are left out. */
  records(ids: readonly string[]): Promise<RunRecord[]>;
  /** Ids from the sorted set `key` scored `min` (inclusive; `-inf` for all) and up, highest first, at most `limit`. */
  newestIds(key: string, min: number | string, limit: number): Promise<string[]>;
  /** Every run started at or after `since` (ISO), oldest first. */
  runsSince(since: string): Promise<RunRecord[]>;
  /** Close the connection (bounded; cut off past the bound). Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link connectRunLog}. */
export interface RunLogConnectionOptions {
  /** Key prefix. @default {@link RUN_LOG_PREFIX} */
  prefix?: string;
  /** Bound on each command, ms. @default 5000 */
  timeoutMs?: number;
  /** Bound on connecting, ms; the client keeps trying in the background. @default 1000 */
  connectTimeoutMs?: number;
  /** Where connection errors are logged (at debug: the callers say what failed). */
  logger: Logger;
}

/** A connection of the run log to the Redis server at `url`, made on first use. */
export async function connectRunLog(url: string, options: RunLogConnectionOptions): Promise<RunLogConnection> {
  const { createRedisClient } = await import('../tools/redis-client.js');
  const label = redactRedisUrl(url);
  const timeoutMs = options.timeoutMs ?? 5000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 1000;
  const keys = runLogKeys(options.prefix);
  const client: RedisClient = createRedisClient(url, { connectTimeoutMs });
  client.on('error', (err: unknown) => options.logger.debug({ err, runLog: label }, 'run log Redis connection error'));
  let connecting: Promise<unknown> | undefined;
  const redis = <T>(fn: (c: RedisClient) => Promise<T>): Promise<T> =>
    bounded(
      async () => {
        // A client counts as open while it connects: commands sent then would fail ("offline"), so they wait too.
        if (!client.isOpen) {
          connecting ??= client.connect().finally(() => {
            connecting = undefined;
          });
        }
        const connected = connecting;
        if (connected) {
          // ETIMEDOUT: told apart as "unreachable" (`storageCause`), like a refused connection.
          const error = Object.assign(
            new Error(`Redis at ${label} could not be reached within ${connectTimeoutMs} ms`),
            {
              code: 'ETIMEDOUT',
            },
          );
          await bounded(() => connected, connectTimeoutMs, error);
        }
        return fn(client);
      },
      timeoutMs,
      new Error(`Redis at ${label} did not answer within ${timeoutMs} ms`),
    );
  const records = async (ids: readonly string[]): Promise<RunRecord[]> => {
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += BATCH) batches.push(ids.slice(i, i + BATCH));
    // Every batch sent at once (node-redis pipelines the commands issued in one tick), each within the bound.
    const hashes = await Promise.all(
      batches.map((part) => redis((c) => Promise.all(part.map((id) => c.hGetAll(keys.run(id)))))),
    );
    return hashes.flat().flatMap((hash) => fromHash(hash as Record<string, string>) ?? []);
  };
  let closed: Promise<void> | undefined;
  return {
    label,
    keys,
    ready: () => client.isReady,
    redis,
    records,
    newestIds: (key, min, limit) =>
      redis((c) => c.zRange(key, '+inf', min, { BY: 'SCORE', REV: true, LIMIT: { offset: 0, count: limit } })),
    async runsSince(since) {
      return records(await redis((c) => c.zRangeByScore(keys.runs, ms(since), '+inf')));
    },
    close() {
      closed ??= (async () => {
        if (!client.isOpen) return;
        await bounded(() => client.close(), timeoutMs, new Error('close')).catch(() => client.destroy());
      })();
      return closed;
    },
  };
}
