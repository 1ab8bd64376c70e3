/**
 * Counts the tool calls a gateway actually sends to its MCP servers, from its per-call metrics: every attempt of a
 * `miss` is a server call; distinct (tool, arguments) pairs are distinct cache keys among them.
 */
import type { ToolGateway } from '../src/tools/types.js';

/** Server calls seen since the last {@link CallCounter.reset}. */
export interface CallCount {
  /** Calls sent to a server (attempts, retries included). */
  calls: number;
  /** Distinct (server, tool, canonical arguments) among them. */
  distinct: number;
  /** Gateway calls answered from the cache. */
  hits: number;
  /** Gateway calls that joined an identical call in flight. */
  coalesced: number;
  /** Every gateway call (hits, misses, coalesced, errors). */
  requests: number;
}

/** A listener on one gateway's metrics. */
export class CallCounter {
  #keys = new Map<string, number>();
  #calls = 0;
  #hits = 0;
  #coalesced = 0;
  #requests = 0;
  readonly #off: () => void;

  constructor(gateway: ToolGateway) {
    this.#off = gateway.onMetric((m) => {
      this.#requests += 1;
      if (m.cache === 'hit') this.#hits += 1;
      if (m.cache === 'coalesced') this.#coalesced += 1;
      if (m.cache === 'miss' && m.attempts > 0) {
        this.#calls += m.attempts;
        this.#keys.set(m.key, (this.#keys.get(m.key) ?? 0) + m.attempts);
      }
    });
  }

  /** Forget what was counted. */
  reset(): void {
    this.#keys = new Map();
    this.#calls = 0;
    this.#hits = 0;
    this.#coalesced = 0;
    this.#requests = 0;
  }

  /** The counts so far. */
  read(): CallCount {
    return {
      calls: this.#calls,
      distinct: this.#keys.size,
      hits: this.#hits,
      coalesced: this.#coalesced,
      requests: this.#requests,
    };
  }

  /** Stop listening. */
  stop(): void {
    this.#off();
  }
}
