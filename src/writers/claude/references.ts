/**
 * Figure references in a streamed answer: each `{id}` the model writes is replaced with the figure's display form
 * before the text goes on (to the claim check, then the reader). A reference split across stream deltas (`{reven` …
 * `ue.FY2026}`) is held back until it is complete and the next character is known (a unit typed after it is dropped
 * when the display form has it); a `{` that cannot start a reference is released at once.
 */
import type { Figure } from '../../research/types.js';
import { REFERENCE, resolveReferences } from '../verify/index.js';

/**
 * What the end of a delta may leave unfinished: an id cut off (`{`, `{revenue.FY20`), a whole reference whose typed
 * unit may follow (`{pe_ratio}` then `x`), or a `$` that may precede one.
 */
const OPEN_TAIL = /\$?(?:\{[A-Za-z]?[\w.-]{0,80}\}?)?$/;

/** How many references to known ids `text` holds. */
export function countReferences(text: string, ids: ReadonlyMap<string, Figure>): number {
  let n = 0;
  for (const m of text.matchAll(REFERENCE)) if (ids.has(m[1] ?? '')) n += 1;
  return n;
}

/** Resolves references in one streamed answer. */
export class ReferenceStream {
  readonly #ids: ReadonlyMap<string, Figure>;
  #pending = '';
  /** References resolved so far. */
  resolved = 0;

  constructor(ids: ReadonlyMap<string, Figure>) {
    this.#ids = ids;
  }

  /** Add a delta; returns the text ready now, references replaced (a reference still open is held back). */
  push(delta: string): string {
    const text = this.#pending + delta;
    const open = text.match(OPEN_TAIL);
    const cut = open ? (open.index ?? text.length) : text.length;
    this.#pending = text.slice(cut);
    return this.#resolve(text.slice(0, cut));
  }

  /** End of the answer: what is held back, as written (an unfinished reference is no reference). */
  end(): string {
    const rest = this.#pending;
    this.#pending = '';
    return this.#resolve(rest);
  }

  #resolve(text: string): string {
    this.resolved += countReferences(text, this.#ids);
    return resolveReferences(text, this.#ids);
  }
}

/**
 * A streamed answer with its references resolved (see {@link ReferenceStream}).
 * @param onResolved called with the number of references resolved in the answer, when it ends.
 */
export async function* resolveStream(
  stream: AsyncIterable<string>,
  ids: ReadonlyMap<string, Figure>,
  onResolved: (count: number) => void = () => {},
): AsyncGenerator<string> {
  const refs = new ReferenceStream(ids);
  try {
    for await (const delta of stream) {
      const out = refs.push(delta);
      if (out) yield out;
    }
    const rest = refs.end();
    if (rest) yield rest;
  } finally {
    onResolved(refs.resolved);
  }
}
