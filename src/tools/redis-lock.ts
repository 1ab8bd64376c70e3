/**
 * Short cross-process locks on Redis: `SET key token NX PX ttl` to take one, and compare-and-delete /
 * compare-and-extend scripts so a holder only ever releases or extends its own lock. A lock expires by itself when
 * its holder dies, so it never outlives a crashed process by more than its TTL.
 */
import { randomUUID } from 'node:crypto';

/** The two Redis commands the lock needs (an `@redis/client` v5 client provides them). */
export interface LockCommands {
  set(
    key: string,
    value: string,
    options: { condition: 'NX'; expiration: { type: 'PX'; value: number } },
  ): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const EXTEND =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

/** Options of {@link RedisLocks}. */
export interface RedisLocksOptions {
  /** Prefix of every lock key. @default `tickerdesk:lock:` */
  prefix?: string;
  /** Lifetime of a lock unless extended, ms. @default 5000 */
  ttlMs?: number;
}

/**
 * Named locks over one Redis connection. Every method rejects with the Redis client's error when Redis cannot be
 * reached; callers decide whether to go on without the lock.
 * @example
 * const token = await locks.acquire('tickerdesk/get_company_profile:{"ticker":"NVDA"}');
 * if (token) try { … } finally { await locks.release(name, token); }
 */
export class RedisLocks {
  readonly #client: () => Promise<LockCommands>;
  readonly #prefix: string;
  /** Lifetime of a lock unless extended, ms. */
  readonly ttlMs: number;

  /** @param client resolves to a connected client (called before every command). */
  constructor(client: () => Promise<LockCommands>, options: RedisLocksOptions = {}) {
    this.#client = client;
    this.#prefix = options.prefix ?? 'tickerdesk:lock:';
    this.ttlMs = options.ttlMs ?? 5000;
  }

  /** Take the lock `name` for `ttlMs` (default {@link ttlMs}): its token when taken, `undefined` when held. */
  async acquire(name: string, ttlMs: number = this.ttlMs): Promise<string | undefined> {
    const token = randomUUID();
    const client = await this.#client();
    const reply = await client.set(this.#prefix + name, token, {
      condition: 'NX',
      expiration: { type: 'PX', value: ttlMs },
    });
    return reply === 'OK' ? token : undefined;
  }

  /** Release `name` if `token` still holds it. @returns whether it was released by this call. */
  async release(name: string, token: string): Promise<boolean> {
    const client = await this.#client();
    return Number(await client.eval(RELEASE, { keys: [this.#prefix + name], arguments: [token] })) === 1;
  }

  /** Push `name`'s expiry to {@link ttlMs} from now if `token` still holds it. @returns whether it was extended. */
  async extend(name: string, token: string): Promise<boolean> {
    const client = await this.#client();
    const reply = await client.eval(EXTEND, { keys: [this.#prefix + name], arguments: [token, String(this.ttlMs)] });
    return Number(reply) === 1;
  }
}
