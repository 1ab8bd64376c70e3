/**
 * Compression of large tool-cache entries through keyv's compression adapters (`@keyv/compress-brotli`,
 * `@keyv/compress-gzip`), for the SQLite and the Redis cache alike. keyv hands the adapter each entry's value (our
 * `CacheEntry` object) and stores what it returns; this wrapper adds what the adapters lack:
 * - a threshold: an entry whose JSON is under `minBytes` is stored as it is (compressing 200 bytes costs more than
 *   it saves);
 * - old entries still read: a value that is not compressed bytes (an entry written before compression, or under the
 *   threshold) is returned as it is, where the adapters would throw on it;
 * - one shape for both: gzip (pako) takes and gives strings and `Uint8Array`s, so the value is JSON-encoded for it
 *   and its output made a `Buffer` (keyv's serializer stores Buffers as base64, a `Uint8Array` as an object).
 */
import zlib from 'node:zlib';
import type { CompressionAdapter } from 'keyv';

/** Compression algorithms the tool cache can use; `none` stores entries as JSON. */
export const CACHE_COMPRESSIONS = ['brotli', 'gzip', 'none'] as const;

/** One of {@link CACHE_COMPRESSIONS}. */
export type CacheCompression = (typeof CACHE_COMPRESSIONS)[number];

/** Entries whose JSON is shorter than this are stored uncompressed, bytes. @default 1024 */
export const DEFAULT_COMPRESS_MIN_BYTES = 1024;

/** Brotli quality the cache uses (see {@link CacheCompressionOptions.brotliQuality}). */
export const DEFAULT_BROTLI_QUALITY = 5;

/** Options of {@link cacheCompression}. */
export interface CacheCompressionOptions {
  /** @default 'brotli' */
  algorithm?: CacheCompression;
  /** Entries whose JSON is shorter are stored uncompressed, bytes (UTF-16 code units). @default 1024 */
  minBytes?: number;
  /**
   * Brotli quality, 0–11: 11 (zlib's default) compresses a few per cent smaller than 5 at several times the CPU per
   * write. Ignored for gzip. @default 5
   */
  brotliQuality?: number;
}

/** Compress a value's JSON to bytes, and bytes back to the value. */
interface Codec {
  encode(json: string): Promise<Buffer>;
  decode(bytes: Buffer): Promise<unknown>;
}

async function brotliCodec(quality: number): Promise<Codec> {
  const { default: KeyvBrotli } = await import('@keyv/compress-brotli');
  // Given the JSON already made for the threshold, so the value is serialised once; Node's zlib underneath.
  const brotli = new KeyvBrotli({
    serialize: (json: string) => json,
    deserialize: (bytes: Buffer) => JSON.parse(bytes.toString('utf8')) as unknown,
    compressOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality } },
  });
  return {
    encode: async (json) => (await brotli.compress(json)) as Buffer,
    decode: (bytes) => brotli.decompress(bytes),
  };
}

async function gzipCodec(): Promise<Codec> {
  const { default: KeyvGzip } = await import('@keyv/compress-gzip');
  const gzip = new KeyvGzip();
  return {
    encode: async (json) => {
      const bytes: Uint8Array = await gzip.compress(json);
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    decode: async (bytes) => JSON.parse(String(await gzip.decompress(new Uint8Array(bytes)))) as unknown,
  };
}

/**
 * The keyv `compression` option for `options.algorithm` (default brotli), or `undefined` for `none` (keyv then
 * stores plain JSON, and still reads what was stored compressed only if given an adapter: turning compression off
 * on a cache that holds compressed entries makes them unreadable misses, counted and refetched). Compressed values
 * are `Buffer`s (stored by keyv as `:base64:` strings); anything else read back is an entry stored uncompressed
 * (small, or written before compression was turned on) and is returned unchanged. Only the chosen adapter's
 * package is loaded.
 * @example new Keyv({ store, namespace: 'tools', compression: await cacheCompression({ algorithm: 'brotli' }) })
 */
export async function cacheCompression(options: CacheCompressionOptions = {}): Promise<CompressionAdapter | undefined> {
  const algorithm = options.algorithm ?? 'brotli';
  if (algorithm === 'none') return undefined;
  const codec =
    algorithm === 'brotli' ? await brotliCodec(options.brotliQuality ?? DEFAULT_BROTLI_QUALITY) : await gzipCodec();
  const minBytes = options.minBytes ?? DEFAULT_COMPRESS_MIN_BYTES;
  return {
    async compress(value: unknown): Promise<unknown> {
      if (value === undefined) return value;
      const json = JSON.stringify(value);
      return json.length < minBytes ? value : codec.encode(json);
    },
    async decompress(value: unknown): Promise<unknown> {
      return Buffer.isBuffer(value) ? codec.decode(value) : value;
    },
    // keyv serialises with its own serializer; these are the adapter contract's, for callers that use them alone.
    serialize: (data) => JSON.stringify(data),
    deserialize: (data) => JSON.parse(data),
  };
}
