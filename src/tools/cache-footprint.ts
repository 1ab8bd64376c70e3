/**
 * What the tool cache holds, for `npm run perf` and `/perf`: live entries, how many are compressed, the bytes they
 * take as stored and as JSON (the compression ratio), and the SQLite file's size on disk. Reads only: the SQLite
 * file is opened read-only (nothing created, no journal change), Redis is scanned under the cache's namespace.
 */
import fs from 'node:fs';
import { defaultDeserialize } from '@keyv/serialize';
import type { Config } from '../config.js';
import { type CacheCompressionOptions, cacheCompression } from './cache-compression.js';

/** The tool cache's contents (also the writer's findings and sections, which share it). */
export interface CacheFootprint {
  backend: 'sqlite' | 'redis';
  /** The SQLite file, or the Redis URL without its password. */
  location: string;
  /** `CACHE_COMPRESSION` in effect. */
  compression: string;
  /** Entries not yet expired. */
  entries: number;
  /** Of those, stored compressed. */
  compressed: number;
  /** Bytes the live entries take as stored (base64 of compressed bytes, or JSON). */
  storedBytes: number;
  /** Bytes the same entries take as JSON. */
  jsonBytes: number;
  /** `jsonBytes / storedBytes`; null with no entries. */
  ratio: number | null;
  /** SQLite only: the file's size on disk with its WAL, bytes (expired rows included until read). */
  diskBytes?: number;
  /** Entries that could not be read (another compression, damaged); counted, left alone. */
  unreadable: number;
}

/** Options of {@link cacheFootprint}. */
export interface FootprintOptions {
  /** @default Date.now() */
  now?: number;
  /** Redis: the cache's key prefix (as `createRedisCache`'s `namespace`). @default `tickerdesk:tools` */
  namespace?: string;
  /** Measure the entries' JSON size (decompressing them) for the ratio. @default true */
  json?: boolean;
}

/** The Redis cache's key prefix (`createRedisCache`'s default namespace). */
export const REDIS_NAMESPACE = 'tickerdesk:tools';

/** SQLite: the keyv namespace of tool-cache rows (`tools:…` keys). */
export const SQLITE_KEY_PATTERN = 'tools:%';

/** A count over stored cache values: live entries, of them compressed, bytes as stored and as JSON, unreadable. */
export interface Tally {
  entries: number;
  compressed: number;
  storedBytes: number;
  jsonBytes: number;
  unreadable: number;
}

/** Add one stored keyv value (`{"value":…,"expires":…}`) to `tally`; expired values are skipped. */
async function count(
  raw: string,
  tally: Tally,
  decompress: ((v: unknown) => Promise<unknown>) | undefined,
  now: number,
): Promise<void> {
  try {
    const { value, expires } = defaultDeserialize(raw) as { value: unknown; expires?: number | null };
    if (typeof expires === 'number' && expires < now) return;
    const compressed = Buffer.isBuffer(value);
    tally.entries += 1;
    if (compressed) tally.compressed += 1;
    tally.storedBytes += Buffer.byteLength(raw);
    // Without `decompress` (a scrape), the JSON size is not measured.
    if (decompress) tally.jsonBytes += Buffer.byteLength(JSON.stringify(compressed ? await decompress(value) : value));
  } catch {
    tally.unreadable += 1;
  }
}

/**
 * Count stored cache values `raws` (keyv's serialised `{"value":…,"expires":…}`), as {@link cacheFootprint} does:
 * the one measurement of what the tool cache holds, used by `/perf`, `npm run perf`, `/metrics` and the cache flush.
 * With `json: false` compressed values are not decompressed (`jsonBytes` stays 0): cheap enough for each scrape.
 */
export async function tallyValues(
  raws: Iterable<string>,
  config: Pick<Config, 'cacheCompression'>,
  options: { now?: number; json?: boolean } = {},
): Promise<Tally> {
  const now = options.now ?? Date.now();
  const tally: Tally = { entries: 0, compressed: 0, storedBytes: 0, jsonBytes: 0, unreadable: 0 };
  let decompress: ((v: unknown) => Promise<unknown>) | undefined;
  if (options.json !== false) {
    const { algorithm } = config.cacheCompression;
    // With compression off, entries compressed earlier are still measured, as brotli (the default's) bytes.
    const settings: CacheCompressionOptions = { algorithm: algorithm === 'none' ? 'brotli' : algorithm };
    const adapter = await cacheCompression(settings);
    decompress = (v: unknown) => (adapter ? adapter.decompress(v) : Promise.resolve(v));
  }
  for (const raw of raws) await count(raw, tally, decompress, now);
  return tally;
}

function result(
  backend: CacheFootprint['backend'],
  location: string,
  compression: string,
  tally: Tally,
): CacheFootprint {
  const ratio = tally.storedBytes > 0 ? Math.round((tally.jsonBytes / tally.storedBytes) * 100) / 100 : null;
  return { backend, location, compression, ...tally, ratio };
}

async function sqliteRows(file: string): Promise<string[]> {
  if (!fs.existsSync(file)) return [];
  const { default: sqlite3 } = await import('sqlite3');
  const db = await new Promise<import('sqlite3').Database>((resolve, reject) => {
    const d = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => (err ? reject(err) : resolve(d)));
  });
  try {
    db.configure('busyTimeout', 5000);
    return await new Promise<string[]>((resolve, reject) =>
      db.all(
        'SELECT value FROM keyv WHERE key LIKE ?',
        [SQLITE_KEY_PATTERN],
        (err: Error | null, rows: { value: string }[]) =>
          err ? (/no such table/.test(err.message) ? resolve([]) : reject(err)) : resolve(rows.map((r) => r.value)),
      ),
    );
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}

/**
 * The values of the Redis keys under `namespace` (`<namespace>::…`); with `remove`, each key is deleted as it is read
 * (GETDEL: the cache flush). @throws the Redis error.
 */
export async function redisValues(url: string, namespace: string, remove = false): Promise<string[]> {
  const { createRedisClient } = await import('./redis-client.js');
  const client = createRedisClient(url);
  client.on('error', () => undefined);
  await client.connect();
  try {
    const values: string[] = [];
    for await (const keys of client.scanIterator({ MATCH: `${namespace}::*`, COUNT: 500 })) {
      for (const key of keys) {
        const v = remove ? await client.getDel(key) : await client.get(key);
        if (typeof v === 'string') values.push(v);
      }
    }
    return values;
  } finally {
    client.destroy();
  }
}

const size = (f: string) => {
  try {
    return fs.statSync(f).size;
  } catch {
    return 0;
  }
};

/** The SQLite file's size on disk with its WAL, bytes. */
export const sqliteDiskBytes = (file: string) => size(file) + size(`${file}-wal`);

/**
 * The footprint of the tool cache `config` names (Redis with `CACHE_URL`, else the SQLite file at `CACHE_PATH`).
 * With `json: false` (the Prometheus scrape) compressed entries are not decompressed: `jsonBytes` is 0, `ratio` null.
 * @throws the SQLite or Redis error when the cache cannot be read (callers show the report without it).
 */
export async function cacheFootprint(config: Config, options: FootprintOptions = {}): Promise<CacheFootprint> {
  const compression = config.cacheCompression.algorithm;
  const tallyOptions = { ...(options.now === undefined ? {} : { now: options.now }), json: options.json !== false };
  if (config.cacheUrl) {
    const { redactRedisUrl } = await import('./redis-url.js');
    const namespace = options.namespace ?? REDIS_NAMESPACE;
    const tally = await tallyValues(await redisValues(config.cacheUrl, namespace), config, tallyOptions);
    const footprint = result('redis', redactRedisUrl(config.cacheUrl), compression, tally);
    return tallyOptions.json ? footprint : { ...footprint, ratio: null };
  }
  const tally = await tallyValues(await sqliteRows(config.cachePath), config, tallyOptions);
  const footprint = result('sqlite', config.cachePath, compression, tally);
  return { ...footprint, ...(tallyOptions.json ? {} : { ratio: null }), diskBytes: sqliteDiskBytes(config.cachePath) };
}
