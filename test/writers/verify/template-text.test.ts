import { describe, expect, it } from 'vitest';
import { analyzeBundle } from '../../../src/research/analysts/index.js';
import { ANALYSTS, type AnalystName, type DataBundle, type Findings, SECTIONS } from '../../../src/research/types.js';
import { formatFigure } from '../../../src/writers/format.js';
import { createTemplateWriter } from '../../../src/writers/template/index.js';
import { buildReference, checkNumbers } from '../../../src/writers/verify/index.js';
import { emptyBundle, koBundle, nvdaBundle, weakBundle } from '../../helpers/bundle-fixtures.js';

async function text(stream: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const d of stream) out += d;
  return out;
}

describe('number check on the template writer (which states only figures)', () => {
  for (const [name, make] of [
    ['nvda', nvdaBundle],
    ['ko', koBundle],
    ['weak', weakBundle],
    ['empty', emptyBundle],
  ] as const) {
    it(`finds no unmatched number in any ${name} section or point`, async () => {
      const bundle: DataBundle = make();
      const findings = Object.fromEntries(ANALYSTS.map((a) => [a, analyzeBundle(a, bundle)])) as Record<
        AnalystName,
        Findings
      >;
      const figures = Object.values(findings).flatMap((f) => f.figures);
      const ref = buildReference(figures);
      const ignore = [bundle.ticker, bundle.profile.status === 'ok' ? bundle.profile.data.name : ''];
      const writer = createTemplateWriter();
      const unmatched: string[] = [];
      for (const f of Object.values(findings)) {
        for (const p of f.points)
          unmatched.push(...checkNumbers(p, ref, ignore).unmatched.map((n) => `${f.analyst}: ${n.text} in "${p}"`));
      }
      for (const { id } of SECTIONS) {
        const md = await text(writer.writeSection(id, { ticker: bundle.ticker, findings, bundle }));
        unmatched.push(
          ...checkNumbers(md, ref, ignore).unmatched.map(
            (n) => `${id}: ${n.text} in "${md.slice(Math.max(0, n.start - 60), n.end + 30)}"`,
          ),
        );
      }
      expect(unmatched).toEqual([]);
    });

    it(`accepts every ${name} figure in its display form, with and without a sign`, () => {
      const bundle: DataBundle = make();
      const figures = ANALYSTS.flatMap((a) => analyzeBundle(a, bundle).figures);
      const ref = buildReference(figures);
      const rejected = figures
        .filter((f) => f.unit !== 'date')
        .flatMap((f) => [formatFigure(f), formatFigure(f, { signed: true })].map((t) => `${f.name} ${t}`))
        .filter((line) => checkNumbers(`It is ${line.split(' ').slice(1).join(' ')} now.`, ref).unmatched.length > 0);
      expect(rejected).toEqual([]);
    });
  }
});
