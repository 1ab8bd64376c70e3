/**
 * Degradations: tickerdesk going on without one of its optional parts (the tool cache, Redis, the run log). Each is
 * warned ONCE per cause per process (a Redis that is down is one warning, not one per reconnect or per call), and
 * every occurrence is counted, so a run record can say what it ran without and `perf` can show it.
 */
import type { Logger } from './log.js';

/** One occurrence of a degradation. */
export interface DegradationNote {
  /** What degraded, in words, e.g. `tool cache` or `run log`. */
  part: string;
  /** Why, as a short stable phrase (see {@link storageCause}), e.g. `is unreachable`, `cannot be opened`. */
  cause: string;
  /** The warning a person reads the first time (names the file or server and what to do). */
  message: string;
  /** Extra log fields (the file, the raw error text). */
  fields?: Record<string, unknown>;
}

/** Counts of degradations by `"<part> <cause>"`, e.g. `{ "tool cache is unreachable": 3 }`. */
export type DegradationCounts = Record<string, number>;

/**
 * The degradations seen by one process: warns the first occurrence of each part + cause, logs the rest at debug,
 * and counts them all.
 * @example
 * degradations.note(log, { part: 'tool cache', cause: 'is unreachable', message: 'Redis at … is unreachable; …' });
 */
export class Degradations {
  readonly #counts = new Map<string, number>();

  /**
   * Count `note`; warn it on `logger` when its part and cause are new to this process (else debug).
   * @returns true when this was the first occurrence (the warning was written).
   */
  note(logger: Logger, note: DegradationNote): boolean {
    const key = `${note.part} ${note.cause}`;
    const seen = this.#counts.get(key) ?? 0;
    this.#counts.set(key, seen + 1);
    const fields = { degradation: key, occurrences: seen + 1, ...note.fields };
    if (seen === 0) logger.warn(fields, note.message);
    else logger.debug(fields, note.message);
    return seen === 0;
  }

  /** A copy of the counts so far. */
  counts(): DegradationCounts {
    return Object.fromEntries(this.#counts);
  }

  /** The counts added since `before` (a copy taken with {@link counts}); empty when nothing happened. */
  since(before: DegradationCounts): DegradationCounts {
    const added: DegradationCounts = {};
    for (const [key, n] of this.#counts) {
      const d = n - (before[key] ?? 0);
      if (d > 0) added[key] = d;
    }
    return added;
  }
}

/** The process's degradations (front ends and the runtime share it; tests pass their own). */
export const processDegradations = new Degradations();

/** The code and message of a storage error (`SQLITE_CANTOPEN`, `ECONNREFUSED`, …). */
function codeAndText(err: unknown): { code: string; text: string } {
  const code = err !== null && typeof err === 'object' ? String((err as { code?: unknown }).code ?? '') : '';
  const text = err instanceof Error ? err.message : String(err);
  return { code, text: `${code} ${text}` };
}

/** The causes {@link storageCause} tells apart, as the phrases that follow a part's name. */
export const STORAGE_CAUSES = {
  damaged: 'is damaged',
  full: 'is full',
  locked: 'is locked',
  readOnly: 'is read-only',
  cannotOpen: 'cannot be opened',
  unreachable: 'is unreachable',
  slow: 'is too slow',
  failed: 'failed',
} as const;

/** One of {@link STORAGE_CAUSES}. */
export type StorageCause = (typeof STORAGE_CAUSES)[keyof typeof STORAGE_CAUSES];

/** The class of a storage failure, as a stable cause for {@link Degradations.note} (one of {@link STORAGE_CAUSES}). */
export function storageCause(err: unknown): StorageCause {
  const { text } = codeAndText(err);
  const c = STORAGE_CAUSES;
  if (/SQLITE_NOTADB|SQLITE_CORRUPT/.test(text)) return c.damaged;
  if (/SQLITE_FULL|ENOSPC/.test(text)) return c.full;
  if (/SQLITE_BUSY|SQLITE_LOCKED/.test(text)) return c.locked;
  if (/SQLITE_READONLY|EROFS/.test(text)) return c.readOnly;
  if (/SQLITE_CANTOPEN|EACCES|EPERM|ENOTDIR|EISDIR|EEXIST/.test(text)) return c.cannotOpen;
  if (/ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|EAI_AGAIN|client is closed|Socket closed/i.test(text)) {
    return c.unreachable;
  }
  if (/did not finish within|timed out/i.test(text)) return c.slow;
  return c.failed;
}

/** What a person can do about a storage failure of class `cause` on `target` (a file or server). */
export function storageHint(cause: StorageCause, target: string): string {
  switch (cause) {
    case STORAGE_CAUSES.damaged:
      return `move ${target} away; it is not a usable SQLite file`;
    case STORAGE_CAUSES.full:
      return `free some space on the disk that holds ${target}`;
    case STORAGE_CAUSES.locked:
      return `another program holds a lock on ${target}`;
    case STORAGE_CAUSES.readOnly:
    case STORAGE_CAUSES.cannotOpen:
      return `check that ${target} can be written (its folder exists, is a folder and is writable)`;
    case STORAGE_CAUSES.unreachable:
      return `check that ${target} is running and reachable`;
    default:
      return `check ${target}`;
  }
}
