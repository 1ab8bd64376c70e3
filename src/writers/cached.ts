/**
 * A {@link Writer} decorator that keeps what a writer derived from the data in the tool cache, so a rerun on the same
 * data (within the tools' TTL) neither waits for the analysts and sections again nor spends tokens on them.
 *
 * Keys: `writer/<name>[@<model>]/<version>/<analyze|section>/<analyst or section>:<sha256>`, where the version is the
 * writers' code version ({@link writerVersion}: a hash of the prompt, template and rule sources, so text cached by other
 * code is never served) and the SHA-256 is of the
 * canonical JSON of exactly what the call reads: for `analyze`, the ticker and every bundle part's status, source and
 * data (or reason), never `fetchedAt`, `ms` or `cache`; for `writeSection`, that and the findings and company name.
 * Entries are stored as `{ kind: 'data', data, fetchedAt }` in the same {@link ToolCache} as tool answers (SQLite
 * file or Redis), so emptying the tool cache empties this too.
 *
 * Nothing doubtful is kept: findings a writer degraded for any reason other than a data gap (a fallback after a
 * failure, a failed tool), sections with a writer note (fallback, unverified numbers), sections written from such
 * findings, and work that failed or was cancelled.
 */
import { createHash } from 'node:crypto';
import { type Logger, logger as rootLogger } from '../log.js';
import { BUNDLE_KEYS } from '../research/plan.js';
import {
  ANALYSTS,
  type AnalystName,
  type DataBundle,
  type Findings,
  type SectionId,
  type Usage,
} from '../research/types.js';
import type { ToolCache } from '../tools/cache.js';
import { canonicalize } from '../tools/cache-key.js';
import { DEFAULT_TTL_MS } from '../tools/ttl.js';
import type { SectionContext, Writer, WriterCacheStats } from './types.js';
import { writerVersion } from './version.js';

/** How long derived findings and sections are kept by default, ms: the shortest tool TTL (15 minutes). */
export const WRITER_CACHE_TTL_MS = Math.min(...Object.values(DEFAULT_TTL_MS));

/** Options of {@link cachedWriter}. */
export interface CachedWriterOptions {
  /** How long entries are kept, ms. @default {@link WRITER_CACHE_TTL_MS} (15 minutes) */
  ttlMs?: number;
  /** Skip cache reads (`--fresh`): every call goes to the inner writer; results are still written. @default false */
  fresh?: boolean;
  /** Model name, part of every key (the Claude writer's `config.anthropic.model`). */
  model?: string;
  /** The writers' code version, part of every key. @default {@link writerVersion}() */
  version?: string;
  /** @default the root logger */
  logger?: Logger;
}

/** A writer wrapped by {@link cachedWriter}: the inner writer plus its cache counts. */
export interface CachedWriter extends Writer {
  /** The inner writer's note on a section it wrote; `undefined` for a section served from the cache. */
  sectionNote(section: SectionId): string | undefined;
  cacheStats(): WriterCacheStats;
}

/** What a writer may read of a bundle: each part's status, source and data or reason (no timing, no cache status). */
function bundleContent(bundle: DataBundle): Record<string, unknown> {
  const parts: Record<string, unknown> = { ticker: bundle.ticker };
  for (const key of BUNDLE_KEYS) {
    const part = bundle[key];
    parts[key] =
      part.status === 'ok'
        ? { status: part.status, source: part.source, data: part.data }
        : { status: part.status, source: part.source, reason: part.reason };
  }
  return parts;
}

/** SHA-256 (hex) of the canonical JSON of `value` (keys sorted, `undefined` dropped). */
export function fingerprint(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonicalize(value)))
    .digest('hex');
}

/** `p`, or a rejection with `signal`'s reason as soon as it aborts (then `onAbandon` runs; `p` goes on). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal | undefined, onAbandon: () => void): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      onAbandon();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Findings worth keeping: not degraded, or degraded only by data the data set lacks. */
function keepable(findings: Findings): boolean {
  return findings.degraded === undefined || findings.degraded === findings.dataGap;
}

function isFindings(value: unknown, analyst: AnalystName): value is Findings {
  if (value === null || typeof value !== 'object') return false;
  const f = value as Partial<Findings>;
  return f.analyst === analyst && Array.isArray(f.points) && Array.isArray(f.figures) && typeof f.signal === 'string';
}

/**
 * Wrap `inner` so that its findings and sections are read from and written to `cache` (see the module comment for
 * keys and what is never kept). `usage()` is the inner writer's (a hit costs no tokens); `sectionNote` passes through
 * (a section served from the cache has none). A cache that fails or holds something unreadable is a miss: the inner
 * writer does the work. Never throws anything the inner writer would not.
 * @example const writer = cachedWriter(createTemplateWriter(), cache, { fresh: options.fresh });
 */
export function cachedWriter(inner: Writer, cache: ToolCache, options: CachedWriterOptions = {}): CachedWriter {
  const ttlMs = options.ttlMs ?? WRITER_CACHE_TTL_MS;
  const fresh = options.fresh ?? false;
  const log = options.logger ?? rootLogger;
  const prefix = `writer/${inner.name}${options.model ? `@${options.model}` : ''}/${options.version ?? writerVersion()}`;
  const stats: WriterCacheStats = { hits: 0, misses: 0 };
  const fromCache = new Set<SectionId>();
  const bundlePrints = new WeakMap<DataBundle, string>();

  const bundlePrint = (bundle: DataBundle): string => {
    let print = bundlePrints.get(bundle);
    if (print === undefined) {
      print = fingerprint(bundleContent(bundle));
      bundlePrints.set(bundle, print);
    }
    return print;
  };

  const read = async <T>(key: string, valid: (v: unknown) => v is T, signal?: AbortSignal): Promise<T | undefined> => {
    if (fresh) return undefined;
    signal?.throwIfAborted();
    try {
      const pending = cache.get(key);
      const entry = await untilAborted(pending, signal, () => {
        // The run was cancelled while a shared cache held the read up (another instance writing the same thing): stop
        // waiting now; a miss has claimed the key for this run, which will store nothing under it.
        pending.then((e) => (e === undefined ? release(key) : undefined)).catch(() => undefined);
      });
      if (entry?.kind === 'data' && valid(entry.data)) return entry.data;
      if (entry !== undefined) log.warn({ key }, 'unreadable writer cache entry; writing it again');
    } catch (err) {
      if (signal?.aborted) throw signal.reason ?? err;
      log.warn({ err, key }, 'the writer cache could not be read; writing without it');
    }
    return undefined;
  };
  const write = async (key: string, data: unknown): Promise<void> => {
    try {
      await cache.set(key, { kind: 'data', data, fetchedAt: new Date().toISOString() }, ttlMs);
    } catch (err) {
      log.warn({ err, key }, 'the writer cache could not be written; the next run writes this again');
    }
  };
  /** Let other instances waiting on a key this call claimed (Redis) go at once: nothing will be stored under it. */
  const release = async (key: string): Promise<void> => {
    try {
      await cache.release?.(key);
    } catch (err) {
      log.debug({ err, key }, 'could not release a writer cache claim');
    }
  };

  const writer: CachedWriter = {
    name: inner.name,

    async analyze(analyst: AnalystName, bundle: DataBundle, signal?: AbortSignal): Promise<Findings> {
      const key = `${prefix}/analyze/${analyst}:${bundlePrint(bundle)}`;
      const hit = await read(key, (v): v is Findings => isFindings(v, analyst), signal);
      if (hit) {
        stats.hits++;
        log.debug({ analyst, key }, 'findings served from the writer cache');
        return hit;
      }
      stats.misses++;
      let findings: Findings;
      try {
        findings = await inner.analyze(analyst, bundle, signal);
      } catch (err) {
        await release(key);
        throw err;
      }
      if (keepable(findings) && !signal?.aborted) await write(key, findings);
      else await release(key);
      return findings;
    },

    async *writeSection(section: SectionId, context: SectionContext, signal?: AbortSignal): AsyncIterable<string> {
      const findings = ANALYSTS.map((a) => context.findings[a]).filter((f): f is Findings => f !== undefined);
      const print = fingerprint({
        bundle: bundlePrint(context.bundle),
        ticker: context.ticker,
        companyName: context.companyName,
        findings: context.findings,
      });
      const key = `${prefix}/section/${section}:${print}`;
      const hit = await read(key, (v): v is string => typeof v === 'string' && v.length > 0, signal);
      if (hit !== undefined) {
        stats.hits++;
        fromCache.add(section);
        log.debug({ section, key }, 'section served from the writer cache');
        yield hit;
        return;
      }
      stats.misses++;
      fromCache.delete(section);
      const chunks: string[] = [];
      let complete = false;
      try {
        for await (const chunk of inner.writeSection(section, context, signal)) {
          chunks.push(chunk);
          yield chunk;
        }
        complete = true;
      } finally {
        if (!complete) await release(key);
      }
      const text = chunks.join('');
      const note = inner.sectionNote?.(section);
      if (note === undefined && text.length > 0 && findings.every(keepable) && !signal?.aborted) await write(key, text);
      else await release(key);
    },

    usage(): Usage {
      return inner.usage();
    },

    sectionNote(section: SectionId): string | undefined {
      return fromCache.has(section) ? undefined : inner.sectionNote?.(section);
    },

    cacheStats(): WriterCacheStats {
      return { ...stats };
    },
  };
  return writer;
}
