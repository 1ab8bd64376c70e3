/**
 * The tool cache with and without compression, on real entries: every answer a research run caches for a list of
 * bundled tickers (collected through the real gateway and MCP server), written to a fresh SQLite cache (and Redis
 * with `--cache-url`) once per algorithm, then read back. Reports bytes stored, the file's size, the time to read
 * every entry back (median of several rounds) and whether each entry read back byte-identical.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import KeyvRedis from '@keyv/redis';
import { defaultDeserialize, defaultSerialize } from '@keyv/serialize';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import { loadConfig } from '../src/config.js';
import type { Logger } from '../src/log.js';
import { planRequests } from '../src/research/plan.js';
import {
  CACHE_COMPRESSIONS,
  type CacheCompression,
  cacheCompression,
  DEFAULT_BROTLI_QUALITY,
} from '../src/tools/cache-compression.js';
import { type CacheEntry, createToolGateway, type ToolCache } from '../src/tools/index.js';
import { createRedisClient } from '../src/tools/redis-client.js';
import { median, round } from './stats.js';

/** One cached answer: its key, the tool it came from and the entry. */
export interface CollectedEntry {
  key: string;
  tool: string;
  entry: CacheEntry;
}

/** The figures of one algorithm on one backend. */
export interface CompressionResult {
  backend: 'sqlite' | 'redis';
  algorithm: CacheCompression;
  /** Brotli quality, when brotli. */
  quality?: number;
  entries: number;
  /** Bytes of the stored values (SQLite `length(value)`, Redis `STRLEN`). */
  storedBytes: number;
  /** SQLite file size after the writes (with its WAL), bytes; absent for Redis. */
  fileBytes?: number;
  /** Reading every entry back once, median over the rounds, ms. */
  readAllMs: number;
  /** Writing every entry once, ms. */
  writeAllMs: number;
  /** CPU time (user + system) of this process while reading every entry back, median over the rounds, ms. */
  readCpuMs: number;
  /** Decoding every stored value (keyv's deserializer and the adapter, no I/O), median of 21 rounds, ms. */
  decodeAllMs: number;
  /** Entries whose JSON read back differs from what was written (must be 0). */
  mismatches: number;
  /** Stored bytes per tool, for the large entries' ratio. */
  byTool: Record<string, number>;
}

/**
 * Every entry a research run caches for `tickers`, from the bundled data set through the real gateway (no latency).
 */
export async function collectEntries(tickers: readonly string[], logger: Logger): Promise<CollectedEntry[]> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-compression-'));
  const entries = new Map<string, CollectedEntry>();
  const tools = new Map<string, string>();
  const collector: ToolCache = {
    get: async () => undefined,
    set: async (key, entry) => {
      entries.set(key, { key, tool: tools.get(key) ?? 'other', entry });
    },
    errors: 0,
    close: async () => undefined,
  };
  const config = loadConfig({
    ...process.env,
    TICKERDESK_HOME: home,
    CACHE_URL: '',
    DATA_SOURCE: 'bundled',
    MCP_TOOL_LATENCY_MS: '0',
  });
  const gateway = await createToolGateway(config, { cache: collector, logger });
  try {
    const { cacheKey } = await import('../src/tools/cache-key.js');
    const { dataScope } = await import('../src/tools/data-scope.js');
    const planned = tickers.flatMap((t) => planRequests(t).map((p) => p.request));
    // Stored keys carry our server's data-settings scope, as the gateway writes them.
    for (const request of planned) tools.set(cacheKey(request, dataScope(config)), request.tool);
    await Promise.allSettled(planned.map((request) => gateway.call(request)));
  } finally {
    await gateway.close();
    rmSync(home, { recursive: true, force: true });
  }
  return [...entries.values()];
}

async function timeAll(entries: readonly CollectedEntry[], fn: (e: CollectedEntry) => Promise<unknown>) {
  const t0 = performance.now();
  for (const e of entries) await fn(e);
  return performance.now() - t0;
}

/** Write `entries` to `keyv` (timed, after an untimed pass), read them back `rounds` times; mismatches of the last. */
async function exercise(keyv: Keyv, entries: readonly CollectedEntry[], rounds: number) {
  // One untimed pass first (the JIT, the connection, the file's pages), so the order of the variants does not count.
  await timeAll(entries, (e) => keyv.set(e.key, e.entry, 86_400_000));
  await timeAll(entries, (e) => keyv.get(e.key));
  const writeAllMs = await timeAll(entries, (e) => keyv.set(e.key, e.entry, 86_400_000));
  const reads: number[] = [];
  const cpu: number[] = [];
  let mismatches = 0;
  for (let r = 0; r < rounds; r++) {
    mismatches = 0;
    const before = process.cpuUsage();
    reads.push(
      await timeAll(entries, async (e) => {
        const back: unknown = await keyv.get(e.key);
        if (JSON.stringify(back) !== JSON.stringify(e.entry)) mismatches += 1;
      }),
    );
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
  }
  return {
    writeAllMs: round(writeAllMs, 1),
    readAllMs: round(median(reads), 1),
    readCpuMs: round(median(cpu), 1),
    mismatches,
  };
}

/** Decode every value as keyv stores it for `algorithm` (serialise, then time deserialise + decompress), ms. */
async function decodeTime(
  entries: readonly CollectedEntry[],
  compression: Awaited<ReturnType<typeof cacheCompression>>,
) {
  const stored: string[] = [];
  for (const e of entries) {
    const value = compression ? await compression.compress(e.entry) : e.entry;
    stored.push(defaultSerialize({ value, expires: null }));
  }
  const times: number[] = [];
  // The first 5 rounds are not timed (the JIT).
  for (let r = -5; r < 21; r++) {
    const t0 = performance.now();
    for (const raw of stored) {
      const { value } = defaultDeserialize(raw) as { value: unknown };
      if (compression) await compression.decompress(value);
    }
    if (r >= 0) times.push(performance.now() - t0);
  }
  return round(median(times), 1);
}

/** Measure `algorithm` on a fresh SQLite cache file. */
export async function measureSqlite(
  entries: readonly CollectedEntry[],
  algorithm: CacheCompression,
  rounds = 5,
  brotliQuality?: number,
): Promise<CompressionResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-compression-'));
  const file = path.join(dir, 'cache.sqlite');
  const store = new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 5000 });
  const compression = await cacheCompression({
    algorithm,
    ...(brotliQuality === undefined ? {} : { brotliQuality }),
  });
  const quality = algorithm === 'brotli' ? { quality: brotliQuality ?? DEFAULT_BROTLI_QUALITY } : {};
  const keyv = new Keyv({ store, namespace: 'tools', ...(compression ? { compression } : {}) });
  try {
    const run = { ...(await exercise(keyv, entries, rounds)), decodeAllMs: await decodeTime(entries, compression) };
    const rows = (await store.query('SELECT key, length(value) AS bytes FROM keyv')) as {
      key: string;
      bytes: number;
    }[];
    const toolOf = new Map(entries.map((e) => [`tools:${e.key}`, e.tool]));
    const byTool: Record<string, number> = {};
    let storedBytes = 0;
    for (const row of rows) {
      storedBytes += row.bytes;
      const tool = toolOf.get(row.key) ?? 'other';
      byTool[tool] = (byTool[tool] ?? 0) + row.bytes;
    }
    await keyv.disconnect();
    const size = (f: string) => {
      try {
        return statSync(f).size;
      } catch {
        return 0;
      }
    };
    const fileBytes = size(file) + size(`${file}-wal`);
    return {
      backend: 'sqlite',
      algorithm,
      ...quality,
      entries: entries.length,
      storedBytes,
      fileBytes,
      byTool,
      ...run,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Measure `algorithm` on the Redis server at `url`, under a namespace of its own that is deleted afterwards. */
export async function measureRedis(
  url: string,
  entries: readonly CollectedEntry[],
  algorithm: CacheCompression,
  rounds = 5,
  brotliQuality?: number,
): Promise<CompressionResult> {
  const namespace = `bench-compression:${process.pid}:${algorithm}:${brotliQuality ?? ''}`;
  const client = createRedisClient(url);
  const store = new KeyvRedis(client, { namespace, throwOnConnectError: true, throwOnErrors: true });
  const compression = await cacheCompression({
    algorithm,
    ...(brotliQuality === undefined ? {} : { brotliQuality }),
  });
  const quality = algorithm === 'brotli' ? { quality: brotliQuality ?? DEFAULT_BROTLI_QUALITY } : {};
  const keyv = new Keyv(store, { namespace, useKeyPrefix: false, ...(compression ? { compression } : {}) });
  try {
    const run = { ...(await exercise(keyv, entries, rounds)), decodeAllMs: await decodeTime(entries, compression) };
    const raw = await store.getClient();
    const byTool: Record<string, number> = {};
    let storedBytes = 0;
    for (const e of entries) {
      const bytes = Number(await raw.strLen(`${namespace}::${e.key}`));
      storedBytes += bytes;
      byTool[e.tool] = (byTool[e.tool] ?? 0) + bytes;
    }
    return { backend: 'redis', algorithm, ...quality, entries: entries.length, storedBytes, byTool, ...run };
  } finally {
    await keyv.clear().catch(() => undefined);
    await keyv.disconnect().catch(() => undefined);
  }
}

/** The results as a Markdown table, with each algorithm's ratio to `none` on the same backend. */
export function formatCompression(results: readonly CompressionResult[]): string {
  const base = (r: CompressionResult) => results.find((b) => b.backend === r.backend && b.algorithm === 'none');
  const lines = [
    '| backend | compression | entries | bytes stored | ratio | file bytes | write all ms | read all ms | read CPU ms | decode ms | mismatches |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    const b = base(r);
    const ratio = b ? round(b.storedBytes / r.storedBytes, 2) : '';
    lines.push(
      `| ${r.backend} | ${r.algorithm}${r.quality === undefined ? '' : ` q${r.quality}`} | ${r.entries} | ${r.storedBytes} | ${ratio}× | ${r.fileBytes ?? ''} | ${r.writeAllMs} | ${r.readAllMs} | ${r.readCpuMs} | ${r.decodeAllMs} | ${r.mismatches} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Options of {@link measureCompression}. */
export interface MeasureCompressionOptions {
  logger: Logger;
  /** Read rounds per setting (median). @default 5 */
  rounds?: number;
  /** Also measure the Redis cache at this URL. */
  cacheUrl?: string;
  /** Told what is being measured. */
  progress?: (line: string) => void;
}

/**
 * The whole comparison: the cached answers of `tickers`, then every compression setting (and zlib's default brotli
 * quality 11, to show what the cache's lower setting costs in bytes) on SQLite, and on Redis with `cacheUrl`.
 */
export async function measureCompression(
  tickers: readonly string[],
  options: MeasureCompressionOptions,
): Promise<CompressionResult[]> {
  const rounds = options.rounds ?? 5;
  options.progress?.(`collecting the cached answers of ${tickers.length} tickers…`);
  const entries = await collectEntries(tickers, options.logger);
  const variants: [CacheCompression, number | undefined][] = [
    ...CACHE_COMPRESSIONS.map((a): [CacheCompression, undefined] => [a, undefined]),
    ['brotli', 11],
  ];
  const url = options.cacheUrl;
  // One untimed round of every setting first: whichever was measured first paid the process's warm-up (JIT, the
  // brotli and zlib code, the GC after collecting) and read two to three times slower than the same decoder later.
  options.progress?.('warming up (one untimed round of every setting)…');
  for (const [algorithm, quality] of variants) await measureSqlite(entries, algorithm, 1, quality);
  const results: CompressionResult[] = [];
  for (const backend of url ? (['sqlite', 'redis'] as const) : (['sqlite'] as const)) {
    for (const [algorithm, quality] of variants) {
      options.progress?.(`${backend}, ${algorithm}${quality === undefined ? '' : ` q${quality}`}…`);
      results.push(
        backend === 'redis' && url
          ? await measureRedis(url, entries, algorithm, rounds, quality)
          : await measureSqlite(entries, algorithm, rounds, quality),
      );
    }
  }
  return results;
}
