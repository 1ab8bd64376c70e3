/**
 * The watchlist store's writes on Redis (`CACHE_URL`), made atomic so that instances sharing Redis never lose an
 * edit: a channel's list is replaced only if it still holds what the edit was computed from (compare-and-set, one
 * Lua script), and the channels that have a list are a Redis set (`SADD` / `SREM` in the same script), not a JSON
 * array rewritten by whoever wrote last. Values are kept in keyv's format, so the store's keyv reads them as before.
 *
 * Lists written before this change kept their channels in a keyv record `channels` (a JSON array): it is still read,
 * and the first write folds it into the set and deletes it, in the same script.
 */
import type Keyv from 'keyv';
import type { KeyvRedisAccess } from '../keyv-open.js';

/**
 * KEYS: the list, the set of channels, the old `channels` record. ARGV: the list's value the edit was computed from
 * (`''`: none), its new value (`''`: delete it), the channel. Returns 1 when written, 0 when the list had changed.
 */
const REPLACE_LIST = `
local current = redis.call('get', KEYS[1])
if (current or '') ~= ARGV[1] then return 0 end
local old = redis.call('get', KEYS[3])
if old then
  local ok, record = pcall(cjson.decode, old)
  if ok and type(record) == 'table' and type(record.value) == 'table' then
    for _, c in ipairs(record.value) do
      if type(c) == 'string' then redis.call('sadd', KEYS[2], c) end
    end
  end
  redis.call('del', KEYS[3])
end
if ARGV[2] == '' then
  redis.call('del', KEYS[1])
  redis.call('srem', KEYS[2], ARGV[3])
else
  redis.call('set', KEYS[1], ARGV[2])
  redis.call('sadd', KEYS[2], ARGV[3])
end
return 1
`;

/** Keys of one store, unprefixed (as keyv names them). */
export interface RedisListKeys {
  /** The channel's list (a keyv record). */
  list(channel: string): string;
  /** The Redis set of channels that have a list. */
  channelSet: string;
  /** The keyv record of channels written before the set existed (a JSON array). */
  oldChannels: string;
}

/** A list as stored: its raw value (to compare against) and what it holds. */
export interface StoredList {
  /** The stored string; `undefined` when the channel has no list. */
  raw: string | undefined;
  /** The record's value, unchecked. */
  value: unknown;
}

/** Compare-and-set writes of watchlists on Redis. Every method rejects with the Redis client's error. */
export class RedisLists {
  readonly #redis: KeyvRedisAccess;
  readonly #keyv: Keyv;
  readonly #keys: RedisListKeys;

  constructor(redis: KeyvRedisAccess, keyv: Keyv, keys: RedisListKeys) {
    this.#redis = redis;
    this.#keyv = keyv;
    this.#keys = keys;
  }

  /** The channel's list as stored. */
  async read(channel: string): Promise<StoredList> {
    const client = await this.#redis.client();
    const raw = (await client.get(this.#redis.key(this.#keys.list(channel)))) ?? undefined;
    return { raw, value: raw === undefined ? undefined : await this.#decode(raw) };
  }

  /**
   * Write `next` as the channel's list (`undefined`: delete it) if it still is `from`, and keep the set of channels
   * in step. @returns whether it was written (`false`: another writer changed the list since `from` was read).
   */
  async replace(channel: string, from: StoredList, next: unknown): Promise<boolean> {
    const client = await this.#redis.client();
    const value = next === undefined ? '' : await this.#encode(next);
    const reply = await client.eval(REPLACE_LIST, {
      keys: [
        this.#redis.key(this.#keys.list(channel)),
        this.#redis.key(this.#keys.channelSet),
        this.#redis.key(this.#keys.oldChannels),
      ],
      arguments: [from.raw ?? '', value, channel],
    });
    return Number(reply) === 1;
  }

  /** Every channel that has a list (the set, and the old record while it exists), read in one transaction. */
  async channels(): Promise<string[]> {
    const client = await this.#redis.client();
    const [members, old] = await client
      .multi()
      .sMembers(this.#redis.key(this.#keys.channelSet))
      .get(this.#redis.key(this.#keys.oldChannels))
      .exec();
    const channels = new Set(Array.isArray(members) ? members.map(String) : []);
    const oldValue = typeof old === 'string' ? await this.#decode(old) : undefined;
    if (Array.isArray(oldValue)) for (const c of oldValue) if (typeof c === 'string') channels.add(c);
    return [...channels].sort();
  }

  async #encode(value: unknown): Promise<string> {
    const serialize = this.#keyv.serialize;
    if (!serialize) throw new Error('the watchlist keyv has no serializer');
    return serialize({ value });
  }

  async #decode(raw: string): Promise<unknown> {
    const deserialize = this.#keyv.deserialize;
    if (!deserialize) throw new Error('the watchlist keyv has no deserializer');
    return (await deserialize<unknown>(raw))?.value;
  }
}
