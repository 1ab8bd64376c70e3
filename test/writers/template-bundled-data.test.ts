/**
 * The template writer and the analysts on the real bundled data set (`data/`), read through the bundled provider
 * with the same arguments the pipeline's plan uses: real figures, with periods, and no invented numbers.
 */
import { describe, expect, it } from 'vitest';
import { createBundledProvider } from '../../src/mcp-server/providers/bundled.js';
import { allFigures, getFigure } from '../../src/research/analysts/lookup.js';
import { SECTIONS } from '../../src/research/types.js';
import { unbackedNumbers } from '../../src/writers/format.js';
import { createTemplateWriter } from '../../src/writers/template/index.js';
import { bundleFor, DATA_DIR, hasBundledData as hasData } from '../helpers/bundled-data.js';
import { writeReport } from '../helpers/writer-contract.js';

describe.skipIf(!hasData)('template writer on the bundled data set', () => {
  it('writes NVDA from SEC figures: FY2024 revenue of $60.92B', async () => {
    const bundle = await bundleFor(createBundledProvider(DATA_DIR), 'NVDA');
    const { context, sections } = await writeReport(createTemplateWriter(), bundle);
    expect(getFigure(context.findings.fundamentals, 'revenue', 'FY2024')?.value).toBe(60_922_000_000);
    expect(sections.fundamentals.join('')).toContain('| FY2024 | $60.92B |');
    const figures = allFigures(Object.values(context.findings));
    for (const { id } of SECTIONS) {
      expect(unbackedNumbers(sections[id].join(''), figures, [context.ticker, context.companyName ?? '']), id).toEqual(
        [],
      );
    }
  });

  it.each(['AAPL', 'MSFT', 'TSLA', 'KO', 'JPM', 'BRK.B'])(
    'writes %s with every number backed by a figure',
    async (ticker) => {
      const provider = createBundledProvider(DATA_DIR);
      if (!provider.tickers().includes(ticker)) return;
      const bundle = await bundleFor(provider, ticker);
      const { context, sections } = await writeReport(createTemplateWriter(), bundle);
      const figures = allFigures(Object.values(context.findings));
      for (const { id } of SECTIONS) {
        const text = sections[id].join('');
        expect(text.trim().length, `${ticker} ${id}`).toBeGreaterThan(20);
        expect(unbackedNumbers(text, figures, [context.ticker, context.companyName ?? '']), `${ticker} ${id}`).toEqual(
          [],
        );
      }
    },
  );
});

describe.skipIf(!hasData)('template writer wording on the bundled data set (read as a new user would)', () => {
  const TICKERS = ['NVDA', 'AAPL', 'MSFT', 'KO', 'JPM', 'V', 'BRK.B', 'SAMSUNG', 'MPWR', 'PEP', 'LLY'];
  const reports = new Map<string, Record<string, string>>();
  const report = async (ticker: string) => {
    const known = reports.get(ticker);
    if (known) return known;
    const bundle = await bundleFor(createBundledProvider(DATA_DIR), ticker);
    const { sections } = await writeReport(createTemplateWriter(), bundle);
    const text = Object.fromEntries(SECTIONS.map(({ id }) => [id, sections[id].join('')]));
    reports.set(ticker, text);
    return text;
  };

  it.each(TICKERS)('%s: counts agree with their nouns, and no NaN, undefined or Infinity', async (ticker) => {
    const all = Object.values(await report(ticker)).join('\n');
    expect(all).not.toMatch(/\b1 (analysts|purchases|open-market sales|8-K reports|8-K filings)\b/);
    expect(all).not.toMatch(/\b(NaN|undefined|Infinity|null)\b/);
    expect(all).not.toMatch(/none of them in\b/);
    expect(all).not.toMatch(/rating of none|\$\d{4}/);
  });

  it('KO: one insider purchase is "1 purchase"; low growth is not said to slow "sharply"', async () => {
    const ko = await report('KO');
    expect(ko.risks).toMatch(/bought \$[\d.]+K in 1 purchase over/);
    expect(ko.verdict).not.toMatch(/slowing sharply from [0-4]\.\d%/);
    expect(ko.verdict).toMatch(/revenue starting to shrink \(it grew 1\.9% in FY2025\)/);
  });

  it('NVDA: the trend reason reads as a sentence, a return against the trend as a caveat', async () => {
    const v = (await report('NVDA')).verdict ?? '';
    // NVDA: 10.0% above its 200-day average, but -2.2% over three months.
    expect(v).toContain(
      '- An uptrend: the price is 10.0% above its 200-day average, though it returned -2.2% over three months.',
    );
    expect(v).not.toContain('and a three-month return');
  });

  it.each(['JPM', 'V', 'SAMSUNG'])('%s: Risks names each missing part once', async (ticker) => {
    const sentences = ((await report(ticker)).risks ?? '')
      .split(/(?<=\.)\s+|Data gaps: /)
      .map((s) => s.trim())
      .filter(Boolean);
    expect(sentences.length).toBeGreaterThan(0);
    expect(sentences.filter((s, i) => sentences.indexOf(s) !== i)).toEqual([]);
  });
});
