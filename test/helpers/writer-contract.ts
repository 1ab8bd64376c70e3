/**
 * The Writer contract suite, run against every writer (template, Claude): like keyv's adapter suite, one
 * `describe` block that any writer must pass.
 *
 * - `analyze` returns valid Findings for every analyst (signal, confidence 0–1, figures with unit and source, derived
 *   figures naming their inputs, points that state no unbacked number);
 * - `writeSection` yields non-empty Markdown, without headings, for every section;
 * - no invented numbers: every number in every section matches a figure of the findings within its printed rounding
 *   (see `unbackedNumbers` in `src/writers/format.ts`);
 * - untrusted event text (a prompt-injection attempt in the fixture's 8-K text) never reaches the report;
 * - bundles with missing or failed parts still give every section, in plain words.
 */
import { describe, expect, it } from 'vitest';
import { allFigures } from '../../src/research/analysts/lookup.js';
import {
  ANALYSTS,
  type AnalystName,
  type DataBundle,
  type Findings,
  SECTIONS,
  type SectionId,
} from '../../src/research/types.js';
import { unbackedNumbers } from '../../src/writers/format.js';
import type { SectionContext, Writer } from '../../src/writers/types.js';
import { emptyBundle, koBundle, nvdaBundle, weakBundle } from './bundle-fixtures.js';

const UNITS = new Set(['USD', 'USD/share', '%', 'x', 'count', 'shares', 'days', 'index', 'date']);

/** Fixture bundles the contract runs on, by name. */
export const CONTRACT_BUNDLES: Record<string, () => DataBundle> = {
  NVDA: nvdaBundle,
  KO: koBundle,
  WEAK: weakBundle,
  empty: emptyBundle,
};

/** Every section of a bundle written by `writer`: findings, context, and each section's chunks. */
export async function writeReport(
  writer: Writer,
  bundle: DataBundle,
): Promise<{ context: SectionContext; sections: Record<SectionId, string[]> }> {
  const entries = await Promise.all(ANALYSTS.map(async (a) => [a, await writer.analyze(a, bundle)] as const));
  const findings = Object.fromEntries(entries) as Record<AnalystName, Findings>;
  const name = bundle.profile.status === 'ok' ? bundle.profile.data.name : undefined;
  const context: SectionContext = { ticker: bundle.ticker, findings, bundle, ...(name ? { companyName: name } : {}) };
  const sections = {} as Record<SectionId, string[]>;
  await Promise.all(
    SECTIONS.map(async ({ id }) => {
      const chunks: string[] = [];
      for await (const chunk of writer.writeSection(id, context)) chunks.push(chunk);
      sections[id] = chunks;
    }),
  );
  return { context, sections };
}

/** Problems with one Findings object (empty when valid). */
export function findingsProblems(f: Findings, analyst: AnalystName, ignore: readonly string[] = []): string[] {
  const out: string[] = [];
  if (f.analyst !== analyst) out.push(`analyst is ${f.analyst}, expected ${analyst}`);
  if (!['bullish', 'neutral', 'bearish'].includes(f.signal)) out.push(`bad signal ${f.signal}`);
  if (!(f.confidence >= 0 && f.confidence <= 1)) out.push(`confidence ${f.confidence} outside 0–1`);
  if (!Array.isArray(f.points) || f.points.some((p) => typeof p !== 'string' || p.trim() === ''))
    out.push('bad points');
  if (f.degraded !== undefined && f.degraded.trim() === '') out.push('empty degraded reason');
  if (f.figures.length === 0 && f.degraded === undefined && analyst !== 'news') out.push('no figures and not degraded');
  for (const g of f.figures) {
    if (!g.name || !g.label) out.push(`figure without name or label: ${JSON.stringify(g)}`);
    if (!Number.isFinite(g.value)) out.push(`figure ${g.name} is not finite`);
    if (!UNITS.has(g.unit)) out.push(`figure ${g.name} has unit ${g.unit}`);
    if (!g.source?.provider || !g.source.ref) out.push(`figure ${g.name} has no source`);
    if (g.derived && !/÷|−|\+|×|\^/.test(g.source.ref)) out.push(`derived figure ${g.name} does not name its inputs`);
  }
  for (const p of f.points) {
    const bad = unbackedNumbers(p, f.figures, ignore);
    if (bad.length > 0) out.push(`point "${p}" states unbacked numbers ${bad.join(', ')}`);
  }
  return out;
}

/**
 * Register the contract suite for a writer. `makeWriter` is called once per test (a fresh writer each time).
 * @example runWriterContract('template', () => createTemplateWriter());
 */
export function runWriterContract(name: string, makeWriter: () => Writer | Promise<Writer>): void {
  describe(`Writer contract: ${name}`, () => {
    for (const [label, build] of Object.entries(CONTRACT_BUNDLES)) {
      describe(`on the ${label} bundle`, () => {
        it('analyze returns valid findings for every analyst', async () => {
          const writer = await makeWriter();
          const bundle = build();
          for (const analyst of ANALYSTS) {
            const f = await writer.analyze(analyst, bundle);
            expect(findingsProblems(f, analyst, [bundle.ticker])).toEqual([]);
          }
        });

        it('writeSection yields non-empty Markdown without headings for every section', async () => {
          const writer = await makeWriter();
          const { sections } = await writeReport(writer, build());
          for (const { id } of SECTIONS) {
            const chunks = sections[id];
            expect(chunks.length, id).toBeGreaterThan(0);
            expect(chunks.every((c) => typeof c === 'string')).toBe(true);
            const text = chunks.join('');
            expect(text.trim().length, id).toBeGreaterThan(20);
            expect(text, id).not.toMatch(/^#{1,6} /m);
          }
        });

        it('states no number that is not a figure (within printed rounding)', async () => {
          const writer = await makeWriter();
          const { context, sections } = await writeReport(writer, build());
          const figures = allFigures(Object.values(context.findings));
          const ignore = [context.ticker, context.companyName ?? context.ticker];
          for (const { id } of SECTIONS) {
            expect(unbackedNumbers(sections[id].join(''), figures, ignore), id).toEqual([]);
          }
        });

        it('never repeats untrusted event text', async () => {
          const writer = await makeWriter();
          const { sections } = await writeReport(writer, build());
          const report = Object.values(sections).flat().join('\n');
          expect(report).not.toMatch(/IGNORE PREVIOUS|999\.99/i);
        });
      });
    }

    it('says in plain words when data is missing', async () => {
      const writer = await makeWriter();
      const { sections } = await writeReport(writer, emptyBundle());
      expect(sections.fundamentals.join('')).toMatch(/could not be fetched|not available|no .*data/i);
      expect(sections.technicals.join('')).toMatch(/could not be fetched|not available|no .*data/i);
    });

    it('usage() returns numbers', async () => {
      const writer = await makeWriter();
      const u = writer.usage();
      for (const v of [u.inputTokens, u.outputTokens, u.cacheReadTokens, u.cacheWriteTokens, u.costUsd]) {
        expect(Number.isFinite(v)).toBe(true);
      }
    });
  });
}
