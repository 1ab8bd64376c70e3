/**
 * No false alarms: the template writer states only figures, in the sentences they belong to, and only the rules'
 * verdict, so the claim check and the recommendation check must find nothing in its six sections (and the analysts'
 * points) for every bundled ticker with statements, and for the fixture bundles.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBundledProvider } from '../../../src/mcp-server/providers/bundled.js';
import { analyzeBundle } from '../../../src/research/analysts/index.js';
import { ANALYSTS, type AnalystName, type DataBundle, type Findings, SECTIONS } from '../../../src/research/types.js';
import { decideVerdict } from '../../../src/research/verdict.js';
import { createTemplateWriter } from '../../../src/writers/template/index.js';
import { buildClaimReference, checkClaims, unwantedRecommendations } from '../../../src/writers/verify/index.js';
import { emptyBundle, koBundle, nvdaBundle, weakBundle } from '../../helpers/bundle-fixtures.js';
import { bundleFor, DATA_DIR, hasBundledData } from '../../helpers/bundled-data.js';

async function text(stream: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const d of stream) out += d;
  return out;
}

/** Every claim finding in the template writer's report of `bundle`, with the sentence around it. */
async function findingsOf(bundle: DataBundle): Promise<string[]> {
  const findings = Object.fromEntries(ANALYSTS.map((a) => [a, analyzeBundle(a, bundle)])) as Record<
    AnalystName,
    Findings
  >;
  const ref = buildClaimReference(Object.values(findings).flatMap((f) => f.figures));
  const name = bundle.profile.status === 'ok' ? bundle.profile.data.name : '';
  const ignore = [bundle.ticker, name];
  const writer = createTemplateWriter();
  const out: string[] = [];
  const report = (where: string, md: string) => {
    for (const f of checkClaims(md, ref, ignore)) {
      out.push(`${bundle.ticker} ${where}: ${f.reason} in "${md.slice(Math.max(0, f.start - 80), f.end + 30)}"`);
    }
  };
  for (const f of Object.values(findings)) for (const p of f.points) report(`${f.analyst} point`, p);
  const { rating } = decideVerdict(Object.values(findings));
  for (const { id } of SECTIONS) {
    const md = await text(writer.writeSection(id, { ticker: bundle.ticker, findings, bundle }));
    report(id, md);
    for (const r of unwantedRecommendations(md, id, rating)) out.push(`${bundle.ticker} ${id}: ${r.reason}`);
  }
  return out;
}

describe('claim check on the template writer (true by construction)', () => {
  it.each([
    ['nvda', nvdaBundle],
    ['ko', koBundle],
    ['weak', weakBundle],
    ['empty', emptyBundle],
  ] as const)('finds nothing in the %s fixture report', async (_name, make) => {
    expect(await findingsOf(make())).toEqual([]);
  });
});

const withStatements = (): string[] => {
  if (!hasBundledData) return [];
  const index = JSON.parse(fs.readFileSync(path.join(DATA_DIR, 'index.json'), 'utf8')) as {
    tickers: Record<string, { has?: string[] }>;
  };
  return Object.entries(index.tickers)
    .filter(([, t]) => t.has?.includes('financials'))
    .map(([ticker]) => ticker);
};

describe.skipIf(!hasBundledData)('claim check on the template writer, every bundled ticker with statements', () => {
  const tickers = withStatements();

  it('covers the tickers with statements', () => {
    expect(tickers.length).toBeGreaterThanOrEqual(30);
  });

  it.each(tickers)('finds nothing in the %s report', async (ticker) => {
    const bundle = await bundleFor(createBundledProvider(DATA_DIR), ticker);
    expect(await findingsOf(bundle)).toEqual([]);
  });
});
