/**
 * Stage 3, sections: all six report sections written side by side by the run's writer, streamed chunk by chunk,
 * and emitted in report order through a {@link SectionSequencer}. A section whose writer fails keeps whatever it
 * wrote and gets a plain-words note; the run goes on. Costs the slowest section.
 */
import { errorMessage } from '../errors.js';
import type { SectionContext, Writer } from '../writers/types.js';
import { abortable, taskSignal } from './abort.js';
import type { ProblemNote } from './problems.js';
import { SectionSequencer, type SectionSink } from './section-order.js';
import { type AnalystName, SECTIONS, type Section, type SectionId } from './types.js';

/** Which analyst's findings a section mainly rests on (summary and verdict rest on all of them). */
export const SECTION_ANALYST: Readonly<Partial<Record<SectionId, AnalystName>>> = {
  fundamentals: 'fundamentals',
  technicals: 'technicals',
  news: 'news',
  risks: 'risk',
};

/** Options for {@link writeSections}. */
export interface WriteSectionsOptions {
  signal: AbortSignal;
  /** Receives the ordered section events. */
  sink: SectionSink;
}

/** The written sections in report order and the problems met. */
export interface SectionsOutcome {
  sections: Section[];
  /** Plain-words notes for sections that could not be written. */
  problems: ProblemNote[];
}

/**
 * Write every section at once; emit them in order.
 * @throws the abort reason (a TickerdeskError) when `options.signal` aborts; a section's own failure never throws.
 */
export async function writeSections(
  writer: Writer,
  context: SectionContext,
  options: WriteSectionsOptions,
): Promise<SectionsOutcome> {
  const sequencer = new SectionSequencer(SECTIONS, options.sink);
  const failures: (ProblemNote | undefined)[] = SECTIONS.map(() => undefined);

  const one = async (index: number, id: SectionId, title: string): Promise<void> => {
    const signal = taskSignal(options.signal);
    let iterator: AsyncIterator<string> | undefined;
    let wrote = false;
    try {
      iterator = writer.writeSection(id, context, signal)[Symbol.asyncIterator]();
      for (;;) {
        const step = await abortable(iterator.next(), signal);
        if (step.done) break;
        if (typeof step.value === 'string' && step.value !== '') {
          wrote = true;
          sequencer.push(index, step.value);
        }
      }
      if (!wrote) throw new Error('the writer returned no text');
    } catch (err) {
      if (signal.aborted) {
        // Do not wait: a writer stuck in an await would hold us here.
        iterator?.return?.().catch(() => {});
        throw err;
      }
      const reason = `The ${title} section could not be written: ${errorMessage(err)}`;
      failures[index] = { text: reason, cause: errorMessage(err), kind: 'section', part: title };
      sequencer.push(index, `${wrote ? '\n\n' : ''}_${reason.replace(/_/g, '\\_')}_\n`);
      sequencer.finish(index, reason);
      return;
    }
    // A writer's own note (a fallback writer took over, figures left unverified) degrades the section and the run.
    const note = writer.sectionNote?.(id);
    if (note) failures[index] = { text: `${title}: ${note}`, cause: note, kind: 'section', part: title };
    const analyst = SECTION_ANALYST[id];
    const degraded = note ?? (analyst ? context.findings[analyst]?.degraded : undefined);
    sequencer.finish(index, degraded);
  };

  await Promise.all(SECTIONS.map(({ id, title }, index) => one(index, id, title)));
  return { sections: sequencer.sections(), problems: failures.filter((p): p is ProblemNote => p !== undefined) };
}
