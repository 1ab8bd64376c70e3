/**
 * Releases streamed text sentence by sentence, each one number-checked before it leaves, so a reader sees text as it
 * is written and never sees an unchecked number.
 *
 * A sentence ends at a newline, or at `.`, `!` or `?` followed by a space and an upper-case letter or Markdown
 * marker (so `U.S. sales`, `Aug. 21` and `60.9` do not end one). Two modes:
 * - `hold`: the first sentence with an unmatched number and everything after it are held back (`held`), and the
 *   offending numbers are collected, so the caller can ask for a rewrite of the rest;
 * - `mark`: sentences are always released; unmatched numbers are marked `⚠️unverified` and counted, and a sentence
 *   with a flag marked `drop` (a verdict other than the decided one) is left out and counted.
 * Markdown heading lines are dropped in both modes (sections carry no heading; the front end adds the title), and so
 * are sentences the reader has already seen (`shown`: a rewrite that starts over does not repeat them).
 */
import { markUnverified, SENTENCE_BOUNDARY } from '../verify/index.js';

/** Something in a sentence that matches no data: an unmatched number, or a wrong verdict (`drop`). */
export interface Flag {
  /** The printed slice, e.g. `$9,999` or `Strong Sell`. */
  text: string;
  /** Where it ends in the checked text (the unverified mark goes there). */
  end: number;
  /** Leave the whole sentence out in `mark` mode rather than marking it. */
  drop?: boolean;
  /** Why it is wrong, in plain words for the rewrite prompt (e.g. `"$130.50B" is Revenue (FY2025), but the sentence
   * is about FY2026`); absent for a number that matches no figure at all. */
  reason?: string;
}

/** Sentences compare equal when they differ only in spacing or a list marker. */
const norm = (s: string) =>
  s
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '')
    .replace(/\s+/g, ' ')
    .trim();

const BOUNDARY = SENTENCE_BOUNDARY;

/** A gate over one streamed answer. */
export class CheckedText {
  readonly #check: (text: string) => readonly Flag[];
  readonly #mode: 'hold' | 'mark';
  readonly #shown: Set<string>;
  #buffer = '';
  #failed = false;
  #atLineStart = true;
  /** Text held back after the first failing sentence (`hold` mode). */
  held = '';
  /** Printed forms of the unmatched numbers found (in order, unique). */
  readonly offending: string[] = [];
  /** The flags behind {@link offending} (the first flag of each printed form). */
  readonly flags: Flag[] = [];
  /** Numbers marked unverified (`mark` mode). */
  marked = 0;
  /** Sentences left out for a wrong verdict (`mark` mode). */
  dropped = 0;

  /**
   * @param check returns the flags of a text (offsets relative to it).
   * @param shown text the reader has already seen; its sentences are not released again.
   */
  constructor(check: (text: string) => readonly Flag[], mode: 'hold' | 'mark', shown = '') {
    this.#check = check;
    this.#mode = mode;
    this.#shown = new Set(sentences(shown).map(norm).filter(Boolean));
  }

  /** True once a sentence failed in `hold` mode. */
  get failed(): boolean {
    return this.#failed;
  }

  /** Add a delta; returns the text released now (possibly empty). */
  push(delta: string): string {
    if (this.#failed) {
      this.held += delta;
      return '';
    }
    this.#buffer += delta;
    let cut = -1;
    for (const m of this.#buffer.matchAll(BOUNDARY)) cut = (m.index ?? 0) + m[0].length;
    if (cut <= 0) return '';
    const ready = this.#buffer.slice(0, cut);
    this.#buffer = this.#buffer.slice(cut);
    return this.#release(ready);
  }

  /** End of the answer: check and release what is left. */
  end(): string {
    const rest = this.#buffer;
    this.#buffer = '';
    if (this.#failed) {
      this.held += rest;
      // Name every offending number of the held text, so a rewrite can avoid them all.
      this.#collect(this.#check(this.held));
      return '';
    }
    return this.#release(rest);
  }

  #collect(flags: readonly Flag[]): void {
    for (const f of flags) {
      if (this.offending.includes(f.text)) continue;
      this.offending.push(f.text);
      this.flags.push(f);
    }
  }

  #release(text: string): string {
    let out = '';
    const parts = sentences(text);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] ?? '';
      const lineStart = this.#atLineStart;
      this.#atLineStart = part.endsWith('\n');
      if (lineStart && /^\s{0,3}#{1,6}\s/.test(part)) continue; // a heading: the front end adds the title
      if (this.#shown.has(norm(part))) continue; // already shown (a rewrite starting over)
      const bad = this.#check(part);
      this.#collect(bad);
      if (bad.length === 0) {
        out += part;
      } else if (this.#mode === 'mark' && bad.some((b) => b.drop)) {
        this.dropped += 1;
        if (!lineStart && part.endsWith('\n')) out += '\n'; // keep the paragraph's line end
      } else if (this.#mode === 'mark') {
        this.marked += bad.length;
        out += markUnverified(part, bad);
      } else {
        this.#failed = true;
        this.held = parts.slice(i).join('') + this.#buffer;
        this.#buffer = '';
        return out;
      }
    }
    return out;
  }
}

/** Split text after each sentence boundary (see the module comment). */
export function sentences(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (const m of text.matchAll(BOUNDARY)) {
    const to = (m.index ?? 0) + m[0].length;
    out.push(text.slice(from, to));
    from = to;
  }
  if (from < text.length) out.push(text.slice(from));
  return out;
}
