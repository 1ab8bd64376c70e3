/**
 * Where watchlists and each channel's last digest are kept: keyv on a SQLite file (`watchlists.sqlite` under
 * `TICKERDESK_HOME`) or on Redis with `CACHE_URL` (namespace `tickerdesk:watchlists`), so every instance and a
 * restarted process see the same lists. Keys: `list:<channel>` (a {@link Watchlist}), `digest:<channel>` (a
 * {@link DigestState}) and `channels` (the channels that have a list, for the digest to visit).
 *
 * Edits in one process are serialised (read, change, write). On Redis, where several instances share the lists, a
 * list is written only if it still holds what the edit read (compare-and-set, {@link RedisLists}) and the edit is
 * applied again otherwise, and the channels are a Redis set: two instances editing one channel's list, or two
 * channels' lists, at the same instant both keep their edits. On SQLite (one instance) `channels` is a keyv record.
 */
import type Keyv from 'keyv';
import { type KeyvLocation, type KeyvRedisAccess, type KeyvStoreOptions, openKeyvStore } from '../keyv-open.js';
import type { Logger } from '../log.js';
import { bounded } from '../tools/bounded.js';
import { RedisLists } from './redis-lists.js';
import type { DigestState, Watchlist } from './types.js';

/** Keeps watchlists and digest states. */
export interface WatchlistStore {
  /** The channel's watchlist; `undefined` when it has none. @throws StoreUnavailableError */
  get(channel: string): Promise<Watchlist | undefined>;
  /**
   * Change the channel's watchlist with `edit` (given the current list, or `undefined`), atomically (on Redis across
   * instances too); an empty result removes the list. `edit` may be called more than once — again with the newer
   * list when another instance wrote it meanwhile — so it must start its bookkeeping afresh on each call. Resolves
   * with the list written. @throws StoreUnavailableError (also when the list kept changing for
   * {@link EDIT_ATTEMPTS} attempts)
   */
  update(channel: string, edit: (current: Watchlist | undefined) => Watchlist): Promise<Watchlist>;
  /** Every channel that has a watchlist. @throws StoreUnavailableError */
  channels(): Promise<string[]>;
  /** The channel's last digest. @throws StoreUnavailableError */
  lastDigest(channel: string): Promise<DigestState | undefined>;
  /** Record the channel's digest. @throws StoreUnavailableError */
  setLastDigest(channel: string, state: DigestState): Promise<void>;
  /** Close the file or connection. Idempotent. */
  close(): Promise<void>;
}

/** The watchlist store could not answer (file locked or damaged, Redis down, past the time bound). */
export class StoreUnavailableError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

const listKey = (channel: string) => `list:${channel}`;
const digestKey = (channel: string) => `digest:${channel}`;
const CHANNELS = 'channels';
const CHANNEL_SET = 'channel-set';

/** Attempts at one edit on Redis while other instances keep changing the same list. */
export const EDIT_ATTEMPTS = 20;

function isWatchlist(value: unknown): value is Watchlist {
  const w = value as Partial<Watchlist> | null;
  return w !== null && typeof w === 'object' && typeof w.channel === 'string' && Array.isArray(w.tickers);
}

function isDigestState(value: unknown): value is DigestState {
  const d = value as Partial<DigestState> | null;
  return d !== null && typeof d === 'object' && typeof d.session === 'string' && typeof d.snapshot === 'object';
}

/** A {@link WatchlistStore} over one Keyv. Failures are thrown as {@link StoreUnavailableError} and logged. */
export class KeyvWatchlistStore implements WatchlistStore {
  readonly #keyv: Keyv;
  readonly #log: Logger;
  readonly #opTimeoutMs: number;
  readonly #label: string;
  readonly #redis: RedisLists | undefined;
  #edits: Promise<unknown> = Promise.resolve();
  #closed = false;

  /** @param options.redis the Redis behind `keyv`, when it is on Redis: edits are then compare-and-set. */
  constructor(keyv: Keyv, options: { logger: Logger; opTimeoutMs?: number; label: string; redis?: KeyvRedisAccess }) {
    this.#keyv = keyv;
    this.#log = options.logger;
    this.#opTimeoutMs = options.opTimeoutMs ?? 1000;
    this.#label = options.label;
    this.#redis =
      options.redis &&
      new RedisLists(options.redis, keyv, { list: listKey, channelSet: CHANNEL_SET, oldChannels: CHANNELS });
    keyv.throwOnErrors = true;
    keyv.on('error', (err: unknown) => this.#log.debug({ err }, `watchlist store ${this.#label}: keyv error event`));
  }

  async get(channel: string): Promise<Watchlist | undefined> {
    const value = await this.#op('read', () => this.#keyv.get(listKey(channel)));
    return isWatchlist(value) && value.tickers.length > 0 ? value : undefined;
  }

  update(channel: string, edit: (current: Watchlist | undefined) => Watchlist): Promise<Watchlist> {
    const redis = this.#redis;
    const next = this.#edits.then(() =>
      redis ? this.#updateOnRedis(redis, channel, edit) : this.#updateHere(channel, edit),
    );
    this.#edits = next.catch(() => undefined);
    return next;
  }

  async #updateOnRedis(
    redis: RedisLists,
    channel: string,
    edit: (current: Watchlist | undefined) => Watchlist,
  ): Promise<Watchlist> {
    for (let attempt = 1; attempt <= EDIT_ATTEMPTS; attempt++) {
      const stored = await this.#op('read', () => redis.read(channel));
      const current = isWatchlist(stored.value) && stored.value.tickers.length > 0 ? stored.value : undefined;
      const written = edit(current);
      const next = written.tickers.length === 0 ? undefined : written;
      if (await this.#op('write', () => redis.replace(channel, stored, next))) return written;
    }
    return this.#op('write', () =>
      Promise.reject(new Error(`the list of ${channel} kept changing for ${EDIT_ATTEMPTS} attempts`)),
    );
  }

  async #updateHere(channel: string, edit: (current: Watchlist | undefined) => Watchlist): Promise<Watchlist> {
    const written = edit(await this.get(channel));
    const channels = new Set(await this.channels());
    if (written.tickers.length === 0) {
      await this.#op('write', () => this.#keyv.delete(listKey(channel)));
      channels.delete(channel);
    } else {
      await this.#op('write', () => this.#keyv.set(listKey(channel), written));
      channels.add(channel);
    }
    await this.#op('write', () => this.#keyv.set(CHANNELS, [...channels].sort()));
    return written;
  }

  async channels(): Promise<string[]> {
    const redis = this.#redis;
    if (redis) return this.#op('read', () => redis.channels());
    const value = await this.#op('read', () => this.#keyv.get(CHANNELS));
    return Array.isArray(value) ? value.filter((c): c is string => typeof c === 'string') : [];
  }

  async lastDigest(channel: string): Promise<DigestState | undefined> {
    const value = await this.#op('read', () => this.#keyv.get(digestKey(channel)));
    return isDigestState(value) ? value : undefined;
  }

  async setLastDigest(channel: string, state: DigestState): Promise<void> {
    await this.#op('write', () => this.#keyv.set(digestKey(channel), state));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#edits;
    await bounded(() => this.#keyv.disconnect(), this.#opTimeoutMs, new Error('close timed out')).catch(
      () => undefined,
    );
  }

  async #op<T>(op: string, fn: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new StoreUnavailableError('The watchlist store is closed.');
    try {
      return await bounded(
        fn,
        this.#opTimeoutMs,
        new Error(`the watchlist store did not answer within ${this.#opTimeoutMs} ms`),
      );
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.#log.warn({ op, err: message }, `The watchlist store ${this.#label} could not ${op} (${message}).`);
      throw new StoreUnavailableError(`The watchlist store could not ${op} (${message}).`, { cause: err });
    }
  }
}

/** Every ticker some channel watches, each once, and how many channels have a list. */
export interface WatchedTickers {
  /** Normalised tickers, in the order of the channels and of each list. */
  tickers: string[];
  /** Channels with a watchlist. */
  channels: number;
}

/**
 * Every ticker some channel watches (the prewarm, scheduled or by hand, refreshes them so the digests read a warm
 * cache). @throws StoreUnavailableError
 */
export async function watchedTickers(store: WatchlistStore): Promise<WatchedTickers> {
  const channels = await store.channels();
  const lists = await Promise.all(channels.map((c) => store.get(c)));
  return { tickers: [...new Set(lists.flatMap((l) => l?.tickers ?? []))], channels: lists.filter(Boolean).length };
}

/** Options of {@link openWatchlistStore}: the logger and the time bounds. */
export type WatchlistStoreOptions = KeyvStoreOptions;

/**
 * Open the watchlist store at `location` (Redis when `redisUrl` is set, else the SQLite file). Never throws: a store
 * that cannot be used fails each operation with {@link StoreUnavailableError}.
 */
export async function openWatchlistStore(
  location: KeyvLocation,
  options: WatchlistStoreOptions,
): Promise<WatchlistStore> {
  return openKeyvStore(
    location,
    options,
    { namespace: 'watchlists', what: 'watchlist store' },
    (keyv, o) => new KeyvWatchlistStore(keyv, o),
  );
}
