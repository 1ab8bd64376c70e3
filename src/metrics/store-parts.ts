/**
 * What every run-log backend (SQLite in `store.ts`, Redis in `redis-store.ts`) does the same way: the record of a
 * rejected input, the JSON merge of a patch (RFC 7396, as SQLite's `json_patch`), the ETA history kept in memory and
 * brought up to date from the backend, and the tracking of pending writes that `close()` drains within a bound.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import { printable } from '../printable.js';
import type { EtaRequest } from '../research/eta.js';
import { type Eta, emptyUsage } from '../research/types.js';
import { EtaHistory, sampleOf } from './eta.js';
import type { FinalOutcome, MetricsStore, RunPatch } from './store.js';
import type { RunRecord } from './types.js';

/** A rejected input, as recorded (nothing else is written for it). */
export interface Rejection {
  /** The raw input; trimmed, control characters escaped (`\u001b`) and cut to 40 characters for the record. */
  input: string;
  /** The plain-words reason shown to the person. */
  reason: string;
  via: string;
  requester?: string;
  channel?: string;
}

/** The record of a rejected input: outcome `rejected`, started and finished now, the reason as its error. */
export function rejectionRecord(rejection: Rejection): RunRecord {
  const at = new Date().toISOString();
  // Stored as it may be shown: a terminal escape in the input must not land in the run log as given.
  const input = printable(rejection.input.trim());
  return {
    id: `rejected-${randomUUID()}`,
    ticker: input.length > 40 ? `${input.slice(0, 40)}…` : input,
    via: rejection.via,
    startedAt: at,
    finishedAt: at,
    stageMs: {},
    tools: { total: 0, made: 0, hits: 0, coalesced: 0, errors: 0 },
    toolMs: {},
    usage: emptyUsage(),
    errors: [printable(rejection.reason)],
    outcome: 'rejected',
    ...(rejection.requester === undefined ? {} : { requester: rejection.requester }),
    ...(rejection.channel === undefined ? {} : { channel: rejection.channel }),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `patch` merged into `target` as JSON Merge Patch (RFC 7396, SQLite's `json_patch`): objects key by key, `null`
 * removes a key, arrays and scalars replace. Both are taken as JSON (keys whose value is `undefined` are left out).
 * Returns a new value; neither argument is changed.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  const merge = (t: unknown, p: unknown): unknown => {
    if (!isObject(p)) return p;
    const out: Record<string, unknown> = isObject(t) ? { ...t } : {};
    for (const [key, value] of Object.entries(p)) {
      if (value === null) delete out[key];
      else out[key] = merge(out[key], value);
    }
    return out;
  };
  return merge(target, JSON.parse(JSON.stringify(patch ?? null)));
}

/** How old the in-memory ETA history may get before `estimate` refreshes it in the background, ms. */
export const HISTORY_REFRESH_MS = 30_000;

/**
 * The ETA history of a run log: loaded from the backend, then brought up to date after each finish here and, when
 * older than {@link HISTORY_REFRESH_MS}, in the background on `estimate`, so it includes runs finished by other
 * processes and instances too.
 */
export class SyncedHistory {
  readonly #history: EtaHistory;
  readonly #read: (since: string) => Promise<RunRecord[]>;
  readonly #seen = new Set<string>();
  #syncedTo = '';
  #lastSync = Date.now();
  #syncing: Promise<void> | undefined;

  /**
   * @param read the runs finished well (ok, degraded) at or after `since` (ISO; `''` for all), at most the 500 latest,
   *   oldest first.
   */
  constructor(read: (since: string) => Promise<RunRecord[]>, warmWindowMs?: number) {
    this.#read = read;
    this.#history = new EtaHistory(warmWindowMs);
  }

  /** Read the runs finished since the last sync into the history. @throws the backend's error. */
  async sync(): Promise<void> {
    this.#lastSync = Date.now();
    for (const record of await this.#read(this.#syncedTo)) {
      if (this.#seen.has(record.id)) continue;
      this.#seen.add(record.id);
      if (record.finishedAt && record.finishedAt > this.#syncedTo) this.#syncedTo = record.finishedAt;
      const sample = sampleOf(record);
      if (sample) this.#history.add(sample);
    }
  }

  /**
   * The ETA (see `EtaHistory`); starts a background sync (through `track`, unless it is undefined: a closed run log)
   * when the history is getting old.
   */
  estimate(ticker: string, request: EtaRequest | undefined, track?: <T>(p: Promise<T>) => Promise<T>): Eta | null {
    if (track && !this.#syncing && Date.now() - this.#lastSync >= HISTORY_REFRESH_MS) {
      this.#syncing = track(this.sync())
        .catch(() => undefined)
        .finally(() => {
          this.#syncing = undefined;
        });
    }
    return this.#history.estimate(ticker, request);
  }
}

/** The writes a run log has in flight, and the bounded wait for them at close. */
export class PendingWrites {
  readonly #pending = new Set<Promise<unknown>>();

  /** Count `p` as pending until it settles; returns it. */
  track = <T>(p: Promise<T>): Promise<T> => {
    this.#pending.add(p);
    p.finally(() => this.#pending.delete(p)).catch(() => undefined);
    return p;
  };

  /**
   * Wait for the pending writes, at most `timeoutMs`. @returns true when they all settled; false when the bound was
   * hit (then said at warn on `log`, naming `where` and how many writes are lost).
   */
  async drain(timeoutMs: number, log: Logger, where: string): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      Promise.allSettled([...this.#pending]).then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (!drained) {
      const n = this.#pending.size;
      log.warn(
        { runLog: where, pending: n, waitedMs: timeoutMs },
        `${n} run-log write(s) to ${where} did not finish within ${timeoutMs} ms; their records are lost.`,
      );
    }
    return drained;
  }
}

/**
 * `finish` and `recordRejection`, alike on every backend: built on its `insert` and `update`, the history brought up
 * to date after a finish (through `track`, so `close()` waits for it).
 */
export function finishing(
  insert: (record: RunRecord) => Promise<void>,
  update: (id: string, patch: RunPatch) => Promise<void>,
  history: SyncedHistory,
  track: <T>(p: Promise<T>) => Promise<T>,
): Pick<MetricsStore, 'finish' | 'recordRejection'> {
  return {
    async finish(id: string, patch: RunPatch & { outcome: FinalOutcome }) {
      await update(id, { finishedAt: new Date().toISOString(), ...patch });
      await track(history.sync());
    },
    async recordRejection(rejection: Rejection) {
      const record = rejectionRecord(rejection);
      await insert(record);
      return record;
    },
  };
}
