/**
 * Opening a small keyv store of the app's own state (report threads, watchlists): on Redis when `CACHE_URL` is set
 * (so every instance shares it), else on a SQLite file under `TICKERDESK_HOME` (folders created; a damaged file moved
 * aside for a fresh one). The store's users bound each operation and turn failures into "no record".
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import type { Logger } from './log.js';
import { isDamagedDatabase, moveAside } from './sqlite-files.js';
import type { RedisClient } from './tools/redis-client.js';

/** Where to keep a store: Redis at `redisUrl` when set, else the SQLite file at `sqlitePath`. */
export interface KeyvLocation {
  sqlitePath: string;
  redisUrl?: string | undefined;
}

/** How to open it. */
export interface OpenKeyvOptions {
  /** keyv namespace on SQLite (e.g. `threads`); on Redis the keys are prefixed `tickerdesk:<namespace>`. */
  namespace: string;
  /** What the store is, in a warning's words: `thread store`, `watchlist store`. */
  what: string;
  logger: Logger;
  /** Bound on each operation, ms (the SQLite busy timeout is at least 5 s). @default 1000 */
  opTimeoutMs?: number;
  /** Bound on connecting to Redis, ms. @default 1000 */
  connectTimeoutMs?: number;
}

/**
 * The Redis behind a keyv opened on Redis, for what keyv cannot do atomically (transactions, Redis sets). Values
 * written here must be in keyv's format (`keyv.serialize({ value })`) for keyv to read them.
 */
export interface KeyvRedisAccess {
  /** The store's own client, connected (on first use, within the connect bound). @throws when Redis cannot be reached */
  client(): Promise<RedisClient>;
  /** The Redis key keyv keeps `key` under: `tickerdesk:<namespace>::<key>`. */
  key(key: string): string;
}

/** An opened keyv and a label naming where it lives, for log lines. */
export interface OpenedKeyv {
  keyv: Keyv;
  /** `on Redis (CACHE_URL)` or the SQLite file's path. */
  label: string;
  /** Set when the keyv is on Redis. */
  redis?: KeyvRedisAccess;
}

/**
 * Open a keyv at `location`. Never throws: a SQLite file that cannot be opened is still returned (its operations
 * fail, and the caller logs them); a damaged one is moved aside to `<file>.damaged-<ms>` first.
 */
export async function openKeyv(location: KeyvLocation, options: OpenKeyvOptions): Promise<OpenedKeyv> {
  const opTimeoutMs = options.opTimeoutMs ?? 1000;
  if (location.redisUrl) {
    const [{ SingleConnectKeyvRedis }, { createRedisClient }] = await Promise.all([
      import('./tools/keyv-redis-single-connect.js'),
      import('./tools/redis-client.js'),
    ]);
    const namespace = `tickerdesk:${options.namespace}`;
    const client = createRedisClient(location.redisUrl, { connectTimeoutMs: options.connectTimeoutMs ?? 1000 });
    const store = new SingleConnectKeyvRedis(client, {
      namespace,
      connectionTimeout: options.connectTimeoutMs ?? 1000,
      throwOnConnectError: true,
      throwOnErrors: true,
    });
    const redis: KeyvRedisAccess = {
      client: async () => {
        await store.getClient();
        return client;
      },
      key: (key) => store.createKeyPrefix(key, namespace),
    };
    return { keyv: new Keyv(store, { namespace, useKeyPrefix: false }), label: 'on Redis (CACHE_URL)', redis };
  }
  const file = location.sqlitePath;
  const open = async (): Promise<{ store: KeyvSqlite; error?: unknown }> => {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
    } catch {
      // SQLite's own error on the first query says why.
    }
    const store = new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: Math.max(opTimeoutMs, 5000) });
    // Touch the file now: a damaged one answers SQLITE_NOTADB here, not on a person's first request.
    const error = await store.query('SELECT count(*) FROM sqlite_master').then(
      () => undefined,
      (err: unknown) => err ?? new Error('unknown SQLite error'),
    );
    return error === undefined ? { store } : { store, error };
  };
  let opened = await open();
  if (opened.error !== undefined && isDamagedDatabase(opened.error)) {
    await opened.store.disconnect().catch(() => undefined);
    try {
      const aside = moveAside(file);
      options.logger.warn(
        { movedTo: aside },
        `The ${options.what} ${file} was damaged; moved it to ${aside} and started a fresh one.`,
      );
      opened = await open();
    } catch (err) {
      options.logger.warn(
        { err },
        `The ${options.what} ${file} is damaged and could not be moved aside: remove the file.`,
      );
    }
  }
  return { keyv: new Keyv({ store: opened.store, namespace: options.namespace }), label: file };
}

/** Options every store opened by {@link openKeyvStore} takes. */
export interface KeyvStoreOptions {
  logger: Logger;
  /** Bound on each operation, ms. @default 1000 */
  opTimeoutMs?: number;
  /** Bound on connecting to Redis, ms. @default 1000 */
  connectTimeoutMs?: number;
}

/**
 * Open a keyv at `location` ({@link openKeyv}) and build a store on it with `build`, handing it the logger, the
 * operation bound, the label and, on Redis, the {@link KeyvRedisAccess}. Never throws.
 */
export async function openKeyvStore<S>(
  location: KeyvLocation,
  options: KeyvStoreOptions,
  kind: { namespace: string; what: string },
  build: (keyv: Keyv, options: { logger: Logger; opTimeoutMs: number; label: string; redis?: KeyvRedisAccess }) => S,
): Promise<S> {
  const opTimeoutMs = options.opTimeoutMs ?? 1000;
  const { keyv, label, redis } = await openKeyv(location, {
    ...kind,
    logger: options.logger,
    opTimeoutMs,
    ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
  });
  return build(keyv, { logger: options.logger, opTimeoutMs, label, ...(redis ? { redis } : {}) });
}
