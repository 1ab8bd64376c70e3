import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../src/log.js';
import {
  ANALYSTS,
  type AnalystName,
  type DataBundle,
  type Findings,
  type SectionId,
} from '../../src/research/types.js';
import { type CacheEntry, createSqliteCache, type ToolCache } from '../../src/tools/cache.js';
import { cachedWriter, fingerprint, WRITER_CACHE_TTL_MS } from '../../src/writers/cached.js';
import { createTemplateWriter } from '../../src/writers/template/index.js';
import type { SectionContext, Writer } from '../../src/writers/types.js';
import { sourceVersion, WRITER_SOURCE_DIRS, writerVersion } from '../../src/writers/version.js';
import { nvdaBundle, nvdaTechnicals, ok } from '../helpers/bundle-fixtures.js';
import { runWriterContract, writeReport } from '../helpers/writer-contract.js';

const quiet = logger.child({}, { level: 'silent' });

/** The template writer, counting the calls that reach it; notes and degraded findings can be switched on. */
class SpyWriter implements Writer {
  readonly name = 'template';
  readonly inner = createTemplateWriter();
  analyzeCalls: AnalystName[] = [];
  sectionCalls: SectionId[] = [];
  notes: Partial<Record<SectionId, string>> = {};
  degrade: Partial<Record<AnalystName, string>> = {};
  async analyze(analyst: AnalystName, bundle: DataBundle, signal?: AbortSignal): Promise<Findings> {
    this.analyzeCalls.push(analyst);
    const f = await this.inner.analyze(analyst, bundle, signal);
    const reason = this.degrade[analyst];
    return reason ? { ...f, degraded: reason } : f;
  }
  async *writeSection(section: SectionId, context: SectionContext, signal?: AbortSignal): AsyncIterable<string> {
    this.sectionCalls.push(section);
    yield* this.inner.writeSection(section, context, signal);
  }
  usage() {
    return { inputTokens: 7, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 3, costUsd: 0.01 };
  }
  sectionNote(section: SectionId): string | undefined {
    return this.notes[section];
  }
}

/** Every section's text (chunks joined), in report order. */
async function report(writer: Writer, bundle: DataBundle): Promise<Record<SectionId, string>> {
  const { sections } = await writeReport(writer, bundle);
  return Object.fromEntries(Object.entries(sections).map(([id, chunks]) => [id, chunks.join('')])) as Record<
    SectionId,
    string
  >;
}

let dir: string;
let cache: ToolCache;
const opened: ToolCache[] = [];

async function freshCache(): Promise<ToolCache> {
  const c = await createSqliteCache(path.join(fs.mkdtempSync(path.join(dir, 'c-')), 'cache.sqlite'), {
    logger: quiet,
  });
  opened.push(c);
  return c;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-writer-cache-'));
  cache = await freshCache();
});

afterAll(async () => {
  await Promise.allSettled(opened.map((c) => c.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('cachedWriter', () => {
  it('misses, then serves findings and sections from the cache with the same text and no writer work', async () => {
    const c = await freshCache();
    const first = new SpyWriter();
    const w1 = cachedWriter(first, c, { logger: quiet });
    const a = await report(w1, nvdaBundle());
    expect(first.analyzeCalls).toHaveLength(4);
    expect(first.sectionCalls).toHaveLength(6);
    expect(w1.cacheStats()).toEqual({ hits: 0, misses: 10 });

    const second = new SpyWriter();
    const w2 = cachedWriter(second, c, { logger: quiet });
    const { sections } = await writeReport(w2, nvdaBundle());
    expect(second.analyzeCalls).toEqual([]);
    expect(second.sectionCalls).toEqual([]);
    expect(w2.cacheStats()).toEqual({ hits: 10, misses: 0 });
    for (const [id, chunks] of Object.entries(sections)) {
      expect(chunks).toHaveLength(1); // one chunk per cached section
      expect(chunks[0]).toBe(a[id as SectionId]);
    }
    // A hit costs no tokens, but usage stays the inner writer's; a cached section has no note.
    expect(w2.usage()).toEqual(second.usage());
    expect(w2.sectionNote('summary')).toBeUndefined();
    expect(w2.name).toBe('template');
  });

  it('keys on the data, not on when or how it was fetched', async () => {
    const c = await freshCache();
    await report(cachedWriter(new SpyWriter(), c, { logger: quiet }), nvdaBundle());

    // Same data, other fetch times, latencies and cache statuses: still a hit.
    const refetched = nvdaBundle();
    for (const part of Object.values(refetched)) {
      if (typeof part === 'object' && part.status === 'ok')
        Object.assign(part, { fetchedAt: '2030-01-01T00:00:00Z', ms: 9, cache: 'hit' });
    }
    const spy = new SpyWriter();
    await report(cachedWriter(spy, c, { logger: quiet }), refetched);
    expect(spy.analyzeCalls).toEqual([]);
    expect(spy.sectionCalls).toEqual([]);

    // Other data (a new close): the fingerprint changes, everything is written again.
    const moved = nvdaBundle();
    moved.technicals = ok(nvdaTechnicals({ lastClose: 199.5 }));
    const spy2 = new SpyWriter();
    const w = cachedWriter(spy2, c, { logger: quiet });
    await report(w, moved);
    expect(spy2.analyzeCalls.sort()).toEqual(['fundamentals', 'news', 'risk', 'technicals']);
    expect(spy2.sectionCalls).toHaveLength(6);
    expect(w.cacheStats().hits).toBe(0);
  });

  it('fingerprints canonical JSON: key order and undefined fields do not matter, values do', () => {
    expect(fingerprint({ a: 1, b: { c: 2, d: undefined } })).toBe(fingerprint({ b: { c: 2 }, a: 1 }));
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: 2 }));
    expect(fingerprint({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('fresh skips reads but still writes, so the next run hits', async () => {
    const c = await freshCache();
    await report(cachedWriter(new SpyWriter(), c, { logger: quiet }), nvdaBundle());
    const freshSpy = new SpyWriter();
    const fresh = cachedWriter(freshSpy, c, { fresh: true, logger: quiet });
    await report(fresh, nvdaBundle());
    expect(freshSpy.analyzeCalls).toHaveLength(4);
    expect(freshSpy.sectionCalls).toHaveLength(6);
    expect(fresh.cacheStats()).toEqual({ hits: 0, misses: 10 });

    // What a fresh run wrote is what the next one reads (entries under the shared TTL).
    const set: number[] = [];
    const recording: ToolCache = {
      get: (k) => c.get(k),
      set: (k, e, ttl) => {
        set.push(ttl);
        return c.set(k, e, ttl);
      },
      errors: 0,
      close: async () => undefined,
    };
    await report(cachedWriter(new SpyWriter(), recording, { fresh: true, logger: quiet }), nvdaBundle());
    expect(set).toHaveLength(10);
    expect(new Set(set)).toEqual(new Set([WRITER_CACHE_TTL_MS]));
    expect(WRITER_CACHE_TTL_MS).toBe(15 * 60_000);
    const after = new SpyWriter();
    await report(cachedWriter(after, c, { logger: quiet }), nvdaBundle());
    expect(after.analyzeCalls).toEqual([]);
  });

  it('keys on writer name and model', async () => {
    const c = await freshCache();
    await report(cachedWriter(new SpyWriter(), c, { model: 'model-a', logger: quiet }), nvdaBundle());
    const other = new SpyWriter();
    await report(cachedWriter(other, c, { model: 'model-b', logger: quiet }), nvdaBundle());
    expect(other.analyzeCalls).toHaveLength(4);
    const same = new SpyWriter();
    await report(cachedWriter(same, c, { model: 'model-a', logger: quiet }), nvdaBundle());
    expect(same.analyzeCalls).toEqual([]);
  });

  it("keys on the writers' code version: after a template or prompt change the same data is written again", async () => {
    const c = await freshCache();
    const keys: string[] = [];
    const recording: ToolCache = {
      get: (key) => {
        keys.push(key);
        return c.get(key);
      },
      set: (key, entry, ttl) => c.set(key, entry, ttl),
      close: () => c.close(),
      get errors() {
        return c.errors;
      },
    };
    // By default the version is the running code's: every key carries it.
    await report(cachedWriter(new SpyWriter(), recording, { logger: quiet }), nvdaBundle());
    expect(keys).toHaveLength(10);
    for (const key of keys) expect(key.startsWith(`writer/template/${writerVersion()}/`)).toBe(true);

    await report(cachedWriter(new SpyWriter(), c, { version: 'v1', logger: quiet }), nvdaBundle());
    const changed = new SpyWriter();
    await report(cachedWriter(changed, c, { version: 'v2', logger: quiet }), nvdaBundle());
    expect(changed.analyzeCalls).toHaveLength(4);
    expect(changed.sectionCalls).toHaveLength(6);
    const same = new SpyWriter();
    await report(cachedWriter(same, c, { version: 'v2', logger: quiet }), nvdaBundle());
    expect(same.sectionCalls).toEqual([]);
  });

  it('derives the version from the writer sources: any change to a file, or a file added, changes it', () => {
    const root = fs.mkdtempSync(path.join(dir, 'src-'));
    fs.mkdirSync(path.join(root, 'writers', 'template', 'sections'), { recursive: true });
    const template = path.join(root, 'writers', 'template', 'sections', 'summary.ts');
    fs.writeFileSync(template, "export const text = 'Revenue grew.';\n");
    const before = sourceVersion(root, ['writers']);
    expect(sourceVersion(root, ['writers'])).toBe(before);
    fs.writeFileSync(template, "export const text = 'Revenue rose.';\n");
    const edited = sourceVersion(root, ['writers']);
    expect(edited).not.toBe(before);
    fs.writeFileSync(path.join(root, 'writers', 'prompt.ts'), 'export const system = "Be brief.";\n');
    expect(sourceVersion(root, ['writers'])).not.toBe(edited);
    // The running code's version covers the writers and the analysts' rules, and is stable within a process.
    expect(WRITER_SOURCE_DIRS).toEqual(['writers', 'research', 'definitions']);
    expect(writerVersion()).toMatch(/^[0-9a-f]{16}$/);
    expect(writerVersion()).toBe(writerVersion());
  });

  it('does not keep sections with a note', async () => {
    const c = await freshCache();
    const noted = new SpyWriter();
    noted.notes = { risks: 'written by the template writer (Claude was unavailable)' };
    const w1 = cachedWriter(noted, c, { logger: quiet });
    await report(w1, nvdaBundle());
    expect(w1.sectionNote('risks')).toBe('written by the template writer (Claude was unavailable)');
    expect(w1.sectionNote('summary')).toBeUndefined();

    const next = new SpyWriter();
    await report(cachedWriter(next, c, { logger: quiet }), nvdaBundle());
    expect(next.analyzeCalls).toEqual([]);
    expect(next.sectionCalls).toEqual(['risks']);
  });

  it('does not keep findings degraded by a writer failure, nor sections written from them', async () => {
    const c = await freshCache();
    const degraded = new SpyWriter();
    degraded.degrade = { news: 'Claude could not write these findings; the template writer did.' };
    await report(cachedWriter(degraded, c, { logger: quiet }), nvdaBundle());

    const next = new SpyWriter();
    await report(cachedWriter(next, c, { logger: quiet }), nvdaBundle());
    // The news findings were not kept; the other three were.
    expect(next.analyzeCalls).toEqual(['news']);
    // Every section reads all findings: the degraded news findings made all six unkeepable.
    expect(next.sectionCalls.sort()).toEqual(['fundamentals', 'news', 'risks', 'summary', 'technicals', 'verdict']);

    const third = new SpyWriter();
    await report(cachedWriter(third, c, { logger: quiet }), nvdaBundle());
    expect(third.analyzeCalls).toEqual([]);
    expect(third.sectionCalls).toEqual([]);
  });

  it('keeps findings degraded only by a data gap', async () => {
    const c = await freshCache();
    const gap = new SpyWriter();
    gap.inner.analyze = async (analyst, bundle, signal) => {
      const f = await createTemplateWriter().analyze(analyst, bundle, signal);
      return analyst === 'news'
        ? { ...f, degraded: 'No news in the data set.', dataGap: 'No news in the data set.' }
        : f;
    };
    await report(cachedWriter(gap, c, { logger: quiet }), nvdaBundle());
    const next = new SpyWriter();
    await report(cachedWriter(next, c, { logger: quiet }), nvdaBundle());
    expect(next.analyzeCalls).toEqual([]);
    expect(next.sectionCalls).toEqual([]);
  });

  it('a failing cache degrades to the inner writer', async () => {
    let gets = 0;
    const broken: ToolCache = {
      get: async (): Promise<CacheEntry | undefined> => {
        gets++;
        throw new Error('disk on fire');
      },
      set: async () => {
        throw new Error('disk on fire');
      },
      errors: 0,
      close: async () => undefined,
    };
    const spy = new SpyWriter();
    const w = cachedWriter(spy, broken, { logger: quiet });
    const text = await report(w, nvdaBundle());
    const plain = await report(createTemplateWriter(), nvdaBundle());
    expect(text).toEqual(plain);
    expect(gets).toBe(10);
    expect(spy.analyzeCalls).toHaveLength(4);
    expect(w.cacheStats()).toEqual({ hits: 0, misses: 10 });
  });

  it('an unreadable entry is a miss, and a claim is released when nothing will be stored', async () => {
    const released: string[] = [];
    const odd: ToolCache = {
      get: async (key) => ({ kind: 'data', data: key.includes('/section/') ? 42 : { nope: true }, fetchedAt: 'x' }),
      set: async () => undefined,
      release: async (key) => {
        released.push(key);
      },
      errors: 0,
      close: async () => undefined,
    };
    const spy = new SpyWriter();
    spy.notes = { verdict: 'unverified' };
    const w = cachedWriter(spy, odd, { logger: quiet });
    await report(w, nvdaBundle());
    expect(spy.analyzeCalls).toHaveLength(4);
    expect(spy.sectionCalls).toHaveLength(6);
    expect(released).toHaveLength(1);
    expect(released[0]).toMatch(/^writer\/template\/[0-9a-f]{16}\/section\/verdict:[0-9a-f]{64}$/);
  });

  it('a cancelled run stops waiting on a cache read held up by another instance, and gives up the claim', async () => {
    // A shared cache (Redis) makes a reader wait while another instance writes the same findings (up to 20 s).
    let endRead!: () => void;
    const readDone = new Promise<void>((resolve) => {
      endRead = resolve;
    });
    const released: string[] = [];
    const waiting: ToolCache = {
      get: async () => {
        await readDone;
        return undefined; // the other instance gave up: this reader now holds the claim
      },
      set: async () => undefined,
      release: async (key) => {
        released.push(key);
      },
      errors: 0,
      close: async () => undefined,
    };
    const bundle = nvdaBundle();
    const plain = createTemplateWriter();
    const findings = Object.fromEntries(
      await Promise.all(ANALYSTS.map(async (a) => [a, await plain.analyze(a, bundle)] as const)),
    ) as Record<AnalystName, Findings>;
    const ctx: SectionContext = { ticker: 'NVDA', findings, bundle };
    const spy = new SpyWriter();
    const w = cachedWriter(spy, waiting, { logger: quiet });
    const controller = new AbortController();
    const analysis = w.analyze('risk', bundle, controller.signal);
    const section = (async () => {
      for await (const _ of w.writeSection('verdict', ctx, controller.signal)) {
        // nothing: the run was cancelled
      }
    })();
    controller.abort(new Error('cancelled by the requester'));
    await expect(analysis).rejects.toThrow('cancelled by the requester');
    await expect(section).rejects.toThrow('cancelled by the requester');
    expect(spy.analyzeCalls).toEqual([]);
    expect(spy.sectionCalls).toEqual([]);
    endRead();
    await expect.poll(() => released.length).toBe(2);
  });

  it('a failed analysis is not kept and its error reaches the caller', async () => {
    const c = await freshCache();
    const failing = new SpyWriter();
    failing.inner.analyze = async () => {
      throw new Error('model said no');
    };
    const w = cachedWriter(failing, c, { logger: quiet });
    await expect(w.analyze('risk', nvdaBundle())).rejects.toThrow('model said no');
    const next = new SpyWriter();
    await cachedWriter(next, c, { logger: quiet }).analyze('risk', nvdaBundle());
    expect(next.analyzeCalls).toEqual(['risk']);
  });
});

// The Writer contract, on a cached template writer: first on an empty cache (misses), then on one that already holds
// every answer (hits), so both paths give valid findings and sections.
runWriterContract('cached template (cold)', async () => cachedWriter(createTemplateWriter(), await freshCache()));
runWriterContract('cached template (warm)', () => cachedWriter(createTemplateWriter(), cache, { logger: quiet }));
