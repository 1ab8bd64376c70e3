/**
 * The template writer: offline and deterministic. `analyze` runs the rule-based analysts
 * ({@link analyzeBundle}); `writeSection` turns their figures into Markdown prose, paragraph by paragraph, printing
 * no number that is not a figure's value (formatted with its unit, its period named).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, TickerdeskError } from '../../errors.js';
import { analyzeBundle } from '../../research/analysts/index.js';
import { type AnalystName, type DataBundle, emptyUsage, type Findings, type SectionId } from '../../research/types.js';
import type { SectionContext, Writer } from '../types.js';
import { Facts } from './facts.js';
import { fundamentalsSection } from './sections/fundamentals.js';
import { newsSection } from './sections/news.js';
import { risksSection } from './sections/risks.js';
import { summarySection } from './sections/summary.js';
import { technicalsSection } from './sections/technicals.js';
import { verdictSection } from './sections/verdict.js';

/** Options of {@link createTemplateWriter}: injected latency for the benchmark (never used by the pipeline). */
export interface TemplateWriterOptions {
  /** Delay before an analyst's findings are returned, ms. @default 0 */
  analystDelayMs?: (analyst: AnalystName) => number;
  /** Delay before a section's first chunk, ms. @default 0 */
  sectionDelayMs?: (section: SectionId) => number;
}

const SECTION_WRITERS: Record<SectionId, (facts: Facts) => string[]> = {
  summary: summarySection,
  fundamentals: fundamentalsSection,
  technicals: technicalsSection,
  news: newsSection,
  risks: risksSection,
  verdict: verdictSection,
};

/**
 * The Markdown paragraphs of one section, synchronously (what `writeSection` streams).
 * @throws TickerdeskError (WriterFailed) for a section id the writer does not know.
 */
export function templateParagraphs(section: SectionId, context: SectionContext): string[] {
  const company =
    context.companyName ?? (context.bundle.profile.status === 'ok' ? context.bundle.profile.data.name : undefined);
  const facts = new Facts(company ? { ...context, companyName: company } : context);
  const write = SECTION_WRITERS[section];
  if (!write)
    throw new TickerdeskError(ErrorCode.WriterFailed, `The template writer has no section called "${section}".`);
  return write(facts);
}

function cancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw new TickerdeskError(ErrorCode.WriterFailed, 'The report was cancelled before this part was written.', {
      cause: signal.reason,
    });
}

async function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0) return;
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
  } catch (err) {
    cancelled(signal);
    throw err;
  }
}

/**
 * The offline writer, named `template`. `usage()` is always zero (no model).
 * @example const writer = createTemplateWriter(); for await (const chunk of writer.writeSection('summary', ctx)) …
 */
export function createTemplateWriter(options: TemplateWriterOptions = {}): Writer {
  return {
    name: 'template',
    async analyze(analyst: AnalystName, bundle: DataBundle, signal?: AbortSignal): Promise<Findings> {
      cancelled(signal);
      await wait(options.analystDelayMs?.(analyst) ?? 0, signal);
      return analyzeBundle(analyst, bundle);
    },
    async *writeSection(section: SectionId, context: SectionContext, signal?: AbortSignal): AsyncIterable<string> {
      cancelled(signal);
      await wait(options.sectionDelayMs?.(section) ?? 0, signal);
      const paras = templateParagraphs(section, context);
      for (const [i, p] of paras.entries()) {
        cancelled(signal);
        yield i < paras.length - 1 ? `${p}\n\n` : p;
      }
    },
    usage: emptyUsage,
  };
}
