/**
 * The Writer contract: findings in, streamed Markdown out. The template writer (offline, deterministic) and the
 * Claude writer both satisfy it and both run the same contract test suite.
 */
import type { AnalystName, DataBundle, Findings, SectionId, Usage } from '../research/types.js';

/** Everything a section writer may read: every analyst's findings and the bundle. */
export interface SectionContext {
  ticker: string;
  companyName?: string;
  findings: Record<AnalystName, Findings>;
  bundle: DataBundle;
}

/** A writer of findings and sections. */
export interface Writer {
  /** `template` or `claude`. */
  readonly name: string;
  /**
   * One analyst's structured findings from the bundle only (no tool calls).
   * @throws TickerdeskError (WriterFailed / LlmUnavailable) when it cannot produce findings.
   */
  analyze(analyst: AnalystName, bundle: DataBundle, signal?: AbortSignal): Promise<Findings>;
  /**
   * Stream one section's Markdown (no heading; the front end adds the title). Every number in the text must come
   * from `context.findings[*].figures`.
   */
  writeSection(section: SectionId, context: SectionContext, signal?: AbortSignal): AsyncIterable<string>;
  /** Token use and cost so far (zeros for writers that use no model). */
  usage(): Usage;
  /**
   * Optional: why a written section is degraded (written by a fallback, numbers left unverified), in plain words, or
   * `undefined`. Read after the section's stream ends; the pipeline may put it in `Section.degraded`.
   */
  sectionNote?(section: SectionId): string | undefined;
  /**
   * Optional: how many analyses and sections so far were served from the writer cache (`hits`) or written by the
   * writer (`misses`); set by the cached writer (`src/writers/cached.ts`).
   */
  cacheStats?(): WriterCacheStats;
}

/** Writer-cache counts: analyses and sections served from the cache (`hits`) or written (`misses`). */
export interface WriterCacheStats {
  hits: number;
  misses: number;
}
