/**
 * In-order emission of sections written in parallel. Section k's events (`sectionStarted`, its `sectionDelta`s,
 * `sectionReady`) are emitted only after sections 1…k−1 are fully emitted; chunks of later sections are buffered
 * and flushed when their turn comes. So consumers see one ordered stream while the writing is not serialised.
 *
 * Invariant: for each section, the concatenated deltas equal `section.markdown`.
 */
import type { RunEvents, Section, SectionId } from './types.js';

/** Where ordered section events go. */
export interface SectionSink {
  started(event: RunEvents['sectionStarted']): void;
  delta(event: RunEvents['sectionDelta']): void;
  ready(event: RunEvents['sectionReady']): void;
}

interface SectionState {
  id: SectionId;
  title: string;
  chunks: string[];
  /** How many chunks were emitted. */
  flushed: number;
  started: boolean;
  finished: boolean;
  degraded?: string;
}

/** Orders the events of sections that are written concurrently. */
export class SectionSequencer {
  readonly #states: SectionState[];
  readonly #sink: SectionSink;
  #cursor = 0;

  /** @param sections the report's sections in report order (see `SECTIONS`). */
  constructor(sections: readonly { id: SectionId; title: string }[], sink: SectionSink) {
    this.#states = sections.map(({ id, title }) => ({
      id,
      title,
      chunks: [],
      flushed: 0,
      started: false,
      finished: false,
    }));
    this.#sink = sink;
  }

  /** Add a chunk of Markdown to section `index` (0-based). Empty chunks are ignored. */
  push(index: number, text: string): void {
    const state = this.#state(index);
    if (state.finished) throw new Error(`Section ${state.id} is already finished.`);
    if (text === '') return;
    state.chunks.push(text);
    if (index === this.#cursor) this.#flush(index, state);
  }

  /** Mark section `index` written (optionally degraded, with a plain-words reason) and emit what is now due. */
  finish(index: number, degraded?: string): void {
    const state = this.#state(index);
    if (state.finished) return;
    state.finished = true;
    if (degraded !== undefined) state.degraded = degraded;
    this.#advance();
  }

  /** True once every section has been emitted. */
  get complete(): boolean {
    return this.#cursor >= this.#states.length;
  }

  /** Every section finished so far, in report order. */
  sections(): Section[] {
    return this.#states.flatMap((state, index) => (state.finished ? [this.#section(index, state)] : []));
  }

  #state(index: number): SectionState {
    const state = this.#states[index];
    if (!state) throw new RangeError(`No section at index ${index}.`);
    return state;
  }

  #section(index: number, state: SectionState): Section {
    const section: Section = { id: state.id, title: state.title, index, markdown: state.chunks.join('') };
    if (state.degraded !== undefined) section.degraded = state.degraded;
    return section;
  }

  #flush(index: number, state: SectionState): void {
    if (!state.started) {
      state.started = true;
      this.#sink.started({ section: state.id, index, title: state.title });
    }
    while (state.flushed < state.chunks.length) {
      const text = state.chunks[state.flushed] as string;
      state.flushed++;
      this.#sink.delta({ section: state.id, index, text });
    }
  }

  #advance(): void {
    while (this.#cursor < this.#states.length) {
      const index = this.#cursor;
      const state = this.#state(index);
      if (state.chunks.length > 0 || state.finished) this.#flush(index, state);
      if (!state.finished) return;
      this.#cursor++;
      this.#sink.ready({ section: this.#section(index, state) });
    }
  }
}
