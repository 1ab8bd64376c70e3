/**
 * Token and cost accounting of one run's Claude calls: input, cache-write, cache-read and output tokens, and the cost
 * in USD from the configured price table (USD per million tokens).
 */
import type { Config } from '../../config.js';
import type { Usage } from '../../research/types.js';

/** The usage fields of an Anthropic response (message_start / message_delta / a non-streamed message). */
export interface ApiUsage {
  input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  output_tokens?: number | null;
}

/** Accumulates usage over every call of a run. Counters only grow. */
export class UsageMeter {
  readonly #prices: Config['anthropic']['prices'];
  #input = 0;
  #cacheWrite = 0;
  #cacheRead = 0;
  #output = 0;
  #calls = 0;

  constructor(prices: Config['anthropic']['prices']) {
    this.#prices = prices;
  }

  /** Add one response's usage (call once per response; `output_tokens` is the response's total). */
  add(usage: ApiUsage): void {
    this.#calls += 1;
    this.#input += usage.input_tokens ?? 0;
    this.#cacheWrite += usage.cache_creation_input_tokens ?? 0;
    this.#cacheRead += usage.cache_read_input_tokens ?? 0;
    this.#output += usage.output_tokens ?? 0;
  }

  /** Responses counted so far. */
  get calls(): number {
    return this.#calls;
  }

  /** Totals and cost, USD: tokens × price per million tokens, per kind. */
  usage(): Usage {
    const p = this.#prices;
    const costUsd =
      (this.#input * p.inputPerMTok +
        this.#cacheWrite * p.cacheWritePerMTok +
        this.#cacheRead * p.cacheReadPerMTok +
        this.#output * p.outputPerMTok) /
      1_000_000;
    return {
      inputTokens: this.#input,
      cacheWriteTokens: this.#cacheWrite,
      cacheReadTokens: this.#cacheRead,
      outputTokens: this.#output,
      costUsd,
    };
  }
}
