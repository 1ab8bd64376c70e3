/**
 * Moving to a shared run log: when an instance that kept its run log in `metrics.sqlite` starts with `CACHE_URL`, its
 * history (runs within the retention, their feedback, refusals, reset points, prewarm fetches) is copied once into
 * the run log on Redis, so switching loses nothing. The copy is idempotent (a run is merged by id, a refusal or reset
 * is the same member twice), and a marker (`tickerdesk:runlog:once:sqlite:<host>:<file>`, the file's modification
 * time and size) set after it succeeds keeps later starts from copying the same file again; a file written since (a
 * process that found Redis down at its start recorded its runs there) is copied again. The file itself is only read.
 */
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import type { Logger } from '../log.js';
import type { PrewarmFetch, PrewarmLog } from './prewarm-log.js';
import type { RedisMetricsStore } from './redis-store.js';
import { openSqlite } from './sqlite.js';
import type { RunRecord } from './types.js';

/** What was copied. */
export interface CopiedRunLog {
  runs: number;
  refusals: number;
  resets: number;
  prewarmFetches: number;
}

/** Records written at once while copying. */
const CONCURRENCY = 100;

async function inBatches<T>(items: readonly T[], write: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += CONCURRENCY) await Promise.all(items.slice(i, i + CONCURRENCY).map(write));
}

/**
 * Copy the SQLite run log at `file` into `target` unless this host copied it, as it is now, before. Runs started more than
 * `retentionDays` ago are left out.
 * @returns what was copied; undefined when there was nothing to do (no file, or copied unchanged before).
 * @throws the SQLite or Redis client's error (nothing is marked then: the next start tries again).
 */
export async function copySqliteRunLog(
  file: string,
  target: RedisMetricsStore,
  prewarm: PrewarmLog,
  options: { retentionDays?: number; logger: Logger },
): Promise<CopiedRunLog | undefined> {
  if (!existsSync(file)) return undefined;
  const marker = `sqlite:${os.hostname()}:${file}`;
  const version = () => {
    const st = statSync(file);
    return `${st.mtimeMs}:${st.size}`;
  };
  if ((await target.marker(marker)) === version()) return undefined;
  // Read-write (nothing is written): a read-only open is `immutable`, which would not read the file's WAL.
  const db = await openSqlite(file, { mode: 'existing' });
  let runs: RunRecord[];
  let refusals: { at: string; user: string; channel: string; action: string; reason: string; what: string | null }[];
  let resets: { at: string; by: string }[];
  let fetches: PrewarmFetch[];
  try {
    const tables = new Set(
      (await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")).map((t) => t.name),
    );
    const cutoff =
      options.retentionDays === undefined
        ? ''
        : new Date(Date.now() - options.retentionDays * 86_400_000).toISOString();
    runs = tables.has('runs')
      ? (
          await db.all<{ record: string }>(
            "SELECT record FROM runs WHERE json_extract(record, '$.startedAt') >= ? ORDER BY rowid",
            [cutoff],
          )
        ).map((r) => JSON.parse(r.record) as RunRecord)
      : [];
    refusals = tables.has('refusals')
      ? await db.all('SELECT at, user, channel, action, reason, what FROM refusals WHERE at >= ? ORDER BY id', [cutoff])
      : [];
    resets = tables.has('perf_resets') ? await db.all('SELECT at, by FROM perf_resets ORDER BY id') : [];
    fetches = tables.has('prewarm_fetches')
      ? await db.all(
          'SELECT batch, ticker, at, calls, made, failed, upstream FROM prewarm_fetches WHERE at >= ? ORDER BY at',
          [cutoff],
        )
      : [];
  } finally {
    await db.close();
  }
  await inBatches(runs, (r) => target.insert(r));
  await inBatches(refusals, ({ what, ...r }) => target.recordRefusal({ ...r, ...(what === null ? {} : { what }) }));
  await inBatches(resets, (r) => target.addReset(r));
  await inBatches(fetches, (f) => prewarm.record(f));
  // The file as copied (read after closing it: closing may have folded its WAL in).
  await target.mark(marker, version());
  const copied = {
    runs: runs.length,
    refusals: refusals.length,
    resets: resets.length,
    prewarmFetches: fetches.length,
  };
  options.logger.info(
    { from: file, to: target.path, ...copied },
    `Copied the run log ${file} to the shared run log on Redis (${target.path}): ${copied.runs} runs, ${copied.refusals} refusals, ${copied.resets} reset points, ${copied.prewarmFetches} prewarm fetches. The file is kept as it was.`,
  );
  return copied;
}
