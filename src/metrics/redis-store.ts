/**
 * The run log on Redis (`CACHE_URL`), shared by every instance that uses the same server: a run recorded by one is
 * read by all (`/perf`, the performance page, the Home tab, the ETA), and so are `/perf reset` points and permission
 * refusals. Same interface and answers as the SQLite run log (`store.ts`); the keys, under `tickerdesk:runlog:`:
 *
 * | key | type | holds |
 * | --- | --- | --- |
 * | `run:<id>` | hash | `record`: the run as JSON; `feedback:<at>:<user>:<target>`: one reader's feedback each |
 * | `runs` | sorted set | every run id, scored by its start (ms): `recent`, `perfReport` (from a reset point) |
 * | `running` | sorted set | ids of runs still `running`, by start: those left by a dead process are marked abandoned |
 * | `done` | sorted set | ids of runs finished ok or degraded, by their finish: the ETA history's reads |
 * | `refusals` | sorted set | each permission refusal as JSON, by its time |
 * | `resets` | sorted set | each reset point as JSON, by its time |
 *
 * A run's hash expires `retentionDays` after the run started (`RUN_LOG_RETENTION_DAYS`, as SQLite deletes it at
 * open), and opening and each write trim the sorted sets to that window. A record is changed (merged, RFC 7396) by the instance
 * running it, one write after another; feedback, which any instance may receive, is a field of its own, added in one
 * command, so feedback given at once on several instances is all kept.
 */
import { logger as rootLogger } from '../log.js';
import type { PerfReset, RefusalCounts, StoredRefusal } from './marks.js';
import { connectRunLog, FEEDBACK_FIELD, ms } from './redis-runs.js';
import { computePerfReport } from './stats.js';
import type { MetricsStore, MetricsStoreOptions, RunPatch } from './store.js';
import { finishing, mergePatch, PendingWrites, SyncedHistory } from './store-parts.js';
import type { FeedbackEntry, RunRecord } from './types.js';

export { RUN_LOG_PREFIX } from './redis-runs.js';

/** Options of {@link openRedisMetricsStore}. */
export interface RedisMetricsStoreOptions extends Omit<MetricsStoreOptions, 'mode'> {
  /** Prefix of every key. @default `tickerdesk:runlog:` */
  prefix?: string;
  /** Bound on each Redis command, ms. @default 5000 */
  timeoutMs?: number;
  /** Bound on connecting (`CACHE_CONNECT_TIMEOUT_MS`), ms; the client keeps trying in the background. @default 1000 */
  connectTimeoutMs?: number;
}

const DAY_MS = 86_400_000;

const feedbackField = (e: FeedbackEntry): string => `${FEEDBACK_FIELD}${e.at}:${e.user}:${e.target}`;

/** The refusal's JSON with its keys in one order, so the same refusal stored twice is one member. */
const refusalMember = (r: StoredRefusal): string =>
  JSON.stringify({
    at: r.at,
    user: r.user,
    channel: r.channel,
    action: r.action,
    reason: r.reason,
    ...(r.what === undefined ? {} : { what: r.what }),
  });

/** Count refusals, oldest first, as `countRefusals` does on SQLite. */
function refusalCounts(refusals: StoredRefusal[]): RefusalCounts {
  const byReason: Record<string, number> = {};
  for (const r of refusals) byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
  const sorted = Object.fromEntries(Object.entries(byReason).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const last = refusals.at(-1);
  return { count: refusals.length, byReason: sorted, ...(last ? { last } : {}) };
}

/** The run log on Redis, with what copying another run log into it needs (see `redis-import.ts`). */
export interface RedisMetricsStore extends MetricsStore {
  /** Store a reset point as given (its time kept). */
  addReset(reset: PerfReset): Promise<void>;
  /** The value of the marker `name` (set by any instance); undefined when unset. */
  marker(name: string): Promise<string | undefined>;
  /** Set the marker `name` to `value`. */
  mark(name: string, value: string): Promise<void>;
}

/**
 * Open the run log on the Redis server at `url` (`redis://[:password@]host:port[/db]`), through the project's Redis
 * client (`createRedisClient`). At open it connects, marks stale `running` records abandoned (`abandonAfterMs`),
 * trims to `retentionDays`, and loads the ETA history (unless `history: false`).
 * @throws the Redis client's error when that fails (connection closed). Later, methods reject while Redis cannot be
 *   reached, and work again once it answers (the client reconnects).
 */
export async function openRedisMetricsStore(
  url: string,
  options: RedisMetricsStoreOptions = {},
): Promise<RedisMetricsStore> {
  const log = options.logger ?? rootLogger;
  const conn = await connectRunLog(url, {
    logger: log,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
  });
  const { label, keys, redis, records, newestIds } = conn;
  const retentionMs = options.retentionDays === undefined ? undefined : options.retentionDays * DAY_MS;
  const get = async (id: string) => (await records([id]))[0];

  /** Write `record` whole, with its index entries and expiry, in one transaction. */
  const put = async (record: RunRecord): Promise<void> => {
    const { feedback, ...rest } = record;
    const started = ms(record.startedAt);
    const good = (record.outcome === 'ok' || record.outcome === 'degraded') && record.finishedAt;
    await redis((c) => {
      const m = c.multi().hSet(keys.run(record.id), 'record', JSON.stringify(rest));
      for (const entry of feedback ?? []) m.hSet(keys.run(record.id), feedbackField(entry), JSON.stringify(entry));
      m.zAdd(keys.runs, { score: started, value: record.id });
      if (record.outcome === 'running') m.zAdd(keys.running, { score: started, value: record.id });
      else m.zRem(keys.running, record.id);
      if (good) m.zAdd(keys.done, { score: ms(good), value: record.id });
      else m.zRem(keys.done, record.id);
      if (retentionMs !== undefined) {
        m.pExpireAt(keys.run(record.id), started + retentionMs);
        // The indexes follow their runs' hashes out, also in an instance that is never restarted (a record older
        // than the retention, written now, leaves them at once, as its hash does).
        const cutoff = `(${Date.now() - retentionMs}`;
        for (const key of [keys.runs, keys.running, keys.done]) m.zRemRangeByScore(key, '-inf', cutoff);
      }
      return m.exec();
    });
  };

  // One change of a record at a time in this instance (a write reads the record, merges, writes it back).
  const chains = new Map<string, Promise<unknown>>();
  const serial = <T>(id: string, fn: () => Promise<T>): Promise<T> => {
    const next = (chains.get(id) ?? Promise.resolve()).catch(() => undefined).then(fn);
    chains.set(id, next);
    const clear = () => {
      if (chains.get(id) === next) chains.delete(id);
    };
    next.then(clear, clear);
    return next;
  };
  const change = (id: string, merge: (old: RunRecord | undefined) => RunRecord | undefined): Promise<void> =>
    serial(id, async () => {
      const old = (await redis((c) => c.hGet(keys.run(id), 'record'))) as string | null | undefined;
      const next = merge(old ? (JSON.parse(old) as RunRecord) : undefined);
      if (next) await put(next);
    });

  const writes = new PendingWrites();
  const track = writes.track;
  const insert = (record: RunRecord) =>
    track(change(record.id, (old) => (old ? (mergePatch(old, record) as RunRecord) : record)));
  const update = (id: string, patch: RunPatch) =>
    track(change(id, (old) => (old ? (mergePatch(old, patch) as RunRecord) : undefined)));

  const latestReset = async (): Promise<PerfReset | undefined> => {
    const [member] = await newestIds(keys.resets, '-inf', 1);
    return member ? (JSON.parse(member) as PerfReset) : undefined;
  };

  const history = new SyncedHistory(async (since) => {
    const ids = await newestIds(keys.done, since ? ms(since) : '-inf', 500);
    return (await records(ids)).sort((a, b) => ms(a.finishedAt ?? '') - ms(b.finishedAt ?? ''));
  }, options.warmWindowMs);

  /** Mark runs left `running` by a dead process abandoned, trim to the retention window, load the history. */
  const prepare = async (): Promise<void> => {
    if (options.abandonAfterMs !== undefined) {
      const cutoff = Date.now() - options.abandonAfterMs;
      const stale = await redis((c) => c.zRangeByScore(keys.running, '-inf', `(${cutoff}`));
      for (const id of stale) {
        await change(id, (old) => (old && old.outcome === 'running' ? { ...old, outcome: 'abandoned' } : old));
      }
    }
    if (retentionMs !== undefined) {
      const cutoff = `(${Date.now() - retentionMs}`;
      const old = await redis((c) => c.zRangeByScore(keys.runs, '-inf', cutoff));
      await redis((c) => {
        const m = c.multi();
        if (old.length > 0) for (const key of [keys.runs, keys.running, keys.done]) m.zRem(key, old);
        for (let i = 0; i < old.length; i += 500) m.del(old.slice(i, i + 500).map(keys.run));
        m.zRemRangeByScore(keys.refusals, '-inf', cutoff);
        return m.exec();
      });
    }
    if (options.history !== false) await history.sync();
  };
  try {
    await prepare();
  } catch (err) {
    await conn.close();
    throw err;
  }

  const addReset = (reset: PerfReset) =>
    track(redis((c) => c.zAdd(keys.resets, { score: ms(reset.at), value: JSON.stringify(reset) }))).then(
      () => undefined,
    );
  const closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
  let closed: Promise<void> | undefined;
  return {
    path: label,
    insert,
    update,
    ...finishing(insert, update, history, track),
    async addFeedback(id, entry) {
      if (!(await redis((c) => c.hExists(keys.run(id), 'record')))) return false;
      await track(redis((c) => c.hSet(keys.run(id), feedbackField(entry), JSON.stringify(entry))));
      return true;
    },
    get,
    async recent(n) {
      const limit = Math.max(0, Math.floor(n));
      return limit === 0 ? [] : records(await newestIds(keys.runs, '-inf', limit));
    },
    async perfReport(opts = {}) {
      const limit = Math.max(1, Math.floor(opts.limit ?? 500));
      const reset = await latestReset();
      const since = reset ? ms(reset.at) : '-inf';
      const runs = await records(await newestIds(keys.runs, since, limit));
      const refusals = (await redis((c) => c.zRangeByScore(keys.refusals, since, '+inf'))).map(
        (m) => JSON.parse(m) as StoredRefusal,
      );
      const report = computePerfReport(runs, opts.alertLimits);
      if (reset) report.reset = reset;
      report.refusals = refusalCounts(refusals);
      return report;
    },
    async recordRefusal(refusal) {
      await track(redis((c) => c.zAdd(keys.refusals, { score: ms(refusal.at), value: refusalMember(refusal) })));
    },
    addReset,
    async resetPerf(by) {
      const reset = { at: new Date().toISOString(), by };
      await addReset(reset);
      return reset;
    },
    async marker(name) {
      return (await redis((c) => c.get(keys.once(name)))) ?? undefined;
    },
    async mark(name, value) {
      await redis((c) => c.set(keys.once(name), value));
    },
    estimate(ticker, request) {
      return history.estimate(ticker, request, closed ? undefined : track);
    },
    close() {
      closed ??= (async () => {
        await writes.drain(closeTimeoutMs, log, label);
        await conn.close();
      })();
      return closed;
    },
  };
}
