/**
 * The benchmark's latency model, scaled 1:100 from the flow tickerdesk replaces: each tool call 100 ms (injected in
 * the MCP server's tool handlers through `MCP_TOOL_LATENCY_MS`), each analyst 600–900 ms and each section's writing
 * 100–150 ms (injected in the template writer through its delay options). Delays are deterministic per name, so
 * every run of every flow sees the same model.
 */
import type { AnalystName, SectionId } from '../src/research/types.js';
import { ANALYSTS, SECTIONS } from '../src/research/types.js';
import { createTemplateWriter } from '../src/writers/template/index.js';
import type { Writer } from '../src/writers/types.js';

/** Latency of every tool call, ms (the MCP server awaits it in each handler). */
export const TOOL_LATENCY_MS = 100;
/** Range of an analyst's latency, ms (inclusive). */
export const ANALYST_RANGE_MS: readonly [number, number] = [600, 900];
/** Range of a section's writing latency, ms (inclusive). */
export const SECTION_RANGE_MS: readonly [number, number] = [100, 150];

/** FNV-1a hash of `name` mapped onto `[lo, hi]`: the same name always gets the same delay. */
export function spread(name: string, [lo, hi]: readonly [number, number]): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return lo + (h % (hi - lo + 1));
}

/** An analyst's injected latency, ms (600–900). */
export const analystDelayMs = (analyst: AnalystName): number => spread(`analyst:${analyst}`, ANALYST_RANGE_MS);

/** A section's injected writing latency, ms (100–150). */
export const sectionDelayMs = (section: SectionId): number => spread(`section:${section}`, SECTION_RANGE_MS);

/**
 * The critical-path bound, ms: slowest tool + slowest analyst + slowest section. Tools run side by side, analysts
 * side by side on the fetched data, sections side by side on the findings (posted in order), so no schedule of this
 * work can finish sooner.
 */
export function criticalPathBoundMs(): number {
  return (
    TOOL_LATENCY_MS + Math.max(...ANALYSTS.map(analystDelayMs)) + Math.max(...SECTIONS.map((s) => sectionDelayMs(s.id)))
  );
}

/** The template writer with the model's analyst and section latencies. */
export function benchWriter(): Writer {
  return createTemplateWriter({ analystDelayMs, sectionDelayMs });
}
