/**
 * `@keyv/redis`'s store with one connection attempt at a time. Its `getClient()` connects when the client is not
 * open, and a client counts as open from the moment it starts connecting: a second operation arriving meanwhile was
 * sent on a client not yet ready and, with no offline queue, failed at once ("The client is offline"). Here the
 * operations that arrive while a connection is being made wait for that one attempt (and share its failure).
 * Used by the tool cache (whose calls come in bursts when Redis is back after being down) and the small keyv stores
 * of `src/keyv-open.ts` (watchlists, threads, installations).
 */
import KeyvRedis, { type RedisClientConnectionType } from '@keyv/redis';

/** A {@link KeyvRedis} whose concurrent first operations share one connection attempt. */
export class SingleConnectKeyvRedis<T> extends KeyvRedis<T> {
  #connecting: Promise<RedisClientConnectionType> | undefined;

  /** The connected client; operations arriving while it connects wait for the same attempt. */
  override async getClient(): Promise<RedisClientConnectionType> {
    if (this.#connecting) return this.#connecting;
    if (this.client.isOpen) return super.getClient();
    const attempt = super.getClient().finally(() => {
      this.#connecting = undefined;
    });
    this.#connecting = attempt;
    return attempt;
  }
}
