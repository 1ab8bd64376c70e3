import { describe, expect, it } from 'vitest';
import { SECTIONS } from '../../src/research/types.js';
import { createTemplateWriter, templateParagraphs } from '../../src/writers/template/index.js';
import { koBundle, nvdaBundle, nvdaNews, ok, unavailable, weakBundle } from '../helpers/bundle-fixtures.js';
import { runWriterContract, writeReport } from '../helpers/writer-contract.js';

runWriterContract('template', () => createTemplateWriter());

describe('template writer on NVDA', () => {
  it('states the real FY figures with their periods and sources', async () => {
    const { sections } = await writeReport(createTemplateWriter(), nvdaBundle());
    const f = sections.fundamentals.join('');
    expect(f).toContain('| FY2024 | $60.92B | +125.9% |');
    expect(f).toContain('Revenue grew 65.5% to $215.94B in FY2026 (SEC EDGAR), after +114.2% in FY2025.');
    expect(f).toContain('Over FY2022–FY2026 revenue compounded at 68.3% a year');
    expect(f).toContain('In the latest quarter, Q1 FY2027, revenue was $81.62B, up 85.2%');
    expect(f).toContain('operating margin narrowed from 62.4% in FY2025 to 60.4% in FY2026');
    expect(f).toContain('Free cash flow was $96.68B in FY2026, 44.8% of revenue.');
    expect(f).toContain('net cash of $53.14B');
    expect(f).toContain('At $214.72 (close of 2026-08-21), the shares trade at 43.8x FY2026 diluted EPS of $4.90.');
    expect(f).toContain('A market capitalisation of $5.20T (2026-08-22) is 24.1x FY2026 revenue.');
  });

  it('writes trend, momentum, consensus, events, risks and a verdict with reasons', async () => {
    const { sections } = await writeReport(createTemplateWriter(), nvdaBundle());
    const t = sections.technicals.join('');
    expect(t).toContain('NVDA closed at $214.72 on 2026-08-21');
    expect(t).toContain('19.1% above its 200-day average ($180.32)');
    expect(t).toContain('golden-cross state');
    expect(t).toContain('RSI 14 is 58.4, neither overbought nor oversold.');
    const n = sections.news.join('');
    expect(n).toContain('58 analysts cover NVDA, with a consensus rating of strong buy (2026-08-21).');
    expect(n).toContain('Their mean price target of $304.12 sits 41.6% above the $214.72 price');
    expect(n).toContain('4 on results of operations and financial condition (item 2.02)');
    expect(n).toContain('The latest results filing is dated 2026-05-28, 85 days');
    const r = sections.risks.join('');
    expect(r).toContain('44.1% over 90 days (to 2026-08-21)');
    expect(r).toContain(
      'Insiders sold $64.8M of stock in 5 open-market sales and bought none over the 12 months to 2026-08-15',
    );
    const v = sections.verdict.join('');
    expect(v).toMatch(/^\*\*Buy\*\*, with high confidence/);
    expect(v).toContain('What would change the view:');
    expect(v).toContain('a close below the 200-day average of $180.32');
    expect(sections.summary.join('')).toContain('**NVIDIA Corporation (NVDA): Buy**');
  });

  it('streams each section in several paragraph chunks', async () => {
    const { sections } = await writeReport(createTemplateWriter(), nvdaBundle());
    for (const { id } of SECTIONS) expect(sections[id].length, id).toBeGreaterThanOrEqual(2);
    expect(sections.fundamentals[0]).toMatch(/^\| Fiscal year \|/);
    expect(sections.fundamentals[0]?.endsWith('\n\n')).toBe(true);
  });

  it('is deterministic', async () => {
    const a = await writeReport(createTemplateWriter(), nvdaBundle());
    const b = await writeReport(createTemplateWriter(), nvdaBundle());
    expect(a.sections).toEqual(b.sections);
  });
});

describe('template writer on degraded and weak bundles', () => {
  it('says plainly what the bundled data lacks', async () => {
    const { sections } = await writeReport(createTemplateWriter(), koBundle());
    expect(sections.news.join('')).toContain('No analyst consensus is available for KO in the bundled data set.');
    expect(sections.news.join('')).toContain('KO filed no 8-K reports in the last 365 days to 2026-08-21.');
    expect(sections.fundamentals.join('')).toContain('No quarterly financial statements are available for KO');
    expect(sections.risks.join('')).toContain('No insider transactions (SEC Form 4) are available for KO');
    expect(sections.verdict.join('')).toMatch(/^\*\*Hold\*\*/);
  });

  it("calls an analyst without data 'not assessed', never neutral, and the verdict names it (KO without news)", async () => {
    const b = koBundle();
    b.news = unavailable('No company events (SEC 8-K filings) are available for KO in the bundled data set.');
    b.analyst = unavailable('No analyst consensus is available for KO in the bundled data set.');
    const { sections } = await writeReport(createTemplateWriter(), b);
    const verdict = sections.verdict.join('');
    expect(verdict).toContain('; no data for news and consensus.');
    expect(verdict).toContain('news and consensus not assessed (no data)');
    expect(verdict).not.toContain('news and consensus neutral');
    expect(sections.summary.join('')).toContain('no data for news and consensus');
  });

  it('falls back to the market snapshot when there are no statements', async () => {
    const b = nvdaBundle();
    b.financialsAnnual = unavailable('none');
    const { sections } = await writeReport(createTemplateWriter(), b);
    expect(sections.fundamentals).toEqual([
      'No annual financial statements are available for NVDA in the bundled data set.\n\n',
      'Without statements, growth, margins and cash flow cannot be assessed. The last close was $214.72 (2026-08-21). The market snapshot of 2026-08-22 shows a market capitalisation of $5.20T and a P/E of 32.9x.',
    ]);
  });

  it('writes a reasoned Sell with red flags and what would change it', async () => {
    const { sections } = await writeReport(createTemplateWriter(), weakBundle());
    expect(sections.fundamentals.join('')).toContain('there is no meaningful P/E: diluted EPS was -$1.80 in FY2025');
    expect(sections.news.join('')).toContain(
      'Red flags in the filings: non-reliance on previously issued financial statements (item 4.02).',
    );
    expect(sections.risks.join('')).toContain("Leverage is heavy: debt is 3.0x shareholders' equity in FY2025.");
    const v = sections.verdict.join('');
    expect(v).toMatch(/^\*\*Sell\*\*/);
    expect(v).toContain('a return to revenue growth (-18.2% in FY2025)');
  });
});

describe('template writer wording of counts', () => {
  it('says one filing in the singular, and whether it fell within the last 90 days', async () => {
    const bundle = nvdaBundle();
    const news = nvdaNews();
    news.events = news.events.filter((e) => e.date === '2026-06-25' || e.date === '2025-11-19');
    const recentOnly = await writeReport(createTemplateWriter(), {
      ...bundle,
      news: ok({ ...news, events: news.events.slice(0, 1) }),
    });
    expect(recentOnly.sections.news.join('')).toContain(
      'NVDA filed 1 8-K report in the last 365 days to 2026-08-21, within the last 90 days.',
    );
    const older = { ...news, events: [{ ...news.events[0], date: '2026-01-05' }] } as typeof news;
    const oldOnly = await writeReport(createTemplateWriter(), { ...bundle, news: ok(older) });
    expect(oldOnly.sections.news.join('')).toContain(
      'NVDA filed 1 8-K report in the last 365 days to 2026-08-21, not within the last 90 days.',
    );
    const both = await writeReport(createTemplateWriter(), { ...bundle, news: ok(news) });
    expect(both.sections.news.join('')).toMatch(
      /NVDA filed 2 8-K reports in the last 365 days to 2026-08-21, 1 of them within the last 90 days\./,
    );
  });
});

describe('template writer on a consensus without a rating', () => {
  it('says no consensus rating was given, not "a consensus rating of none"', async () => {
    const bundle = nvdaBundle();
    if (bundle.analyst.status === 'ok')
      bundle.analyst = { ...bundle.analyst, data: { ...bundle.analyst.data, rating: 'none' } };
    const { sections } = await writeReport(createTemplateWriter(), bundle);
    const n = sections.news.join('');
    expect(n).toContain('58 analysts cover NVDA, with no consensus rating given (2026-08-21).');
    expect(n).not.toContain('rating of none');
  });
});

describe('template writer options', () => {
  it('awaits injected analyst and section delays and reports zero usage', async () => {
    const seen: string[] = [];
    const writer = createTemplateWriter({
      analystDelayMs: (a) => {
        seen.push(a);
        return 5;
      },
      sectionDelayMs: (s) => {
        seen.push(s);
        return 5;
      },
    });
    await writeReport(writer, nvdaBundle());
    expect(seen).toEqual(expect.arrayContaining(['fundamentals', 'risk', 'summary', 'verdict']));
    expect(writer.usage()).toEqual({
      inputTokens: 0,
      cacheWriteTokens: 0,
      cacheReadTokens: 0,
      outputTokens: 0,
      costUsd: 0,
    });
    expect(writer.name).toBe('template');
  });

  it('writes every section even when the context lacks an analyst', async () => {
    const writer = createTemplateWriter();
    const fundamentals = await writer.analyze('fundamentals', nvdaBundle());
    const ctx = { ticker: 'NVDA', findings: { fundamentals } as never, bundle: nvdaBundle() };
    for (const { id } of SECTIONS) expect(templateParagraphs(id, ctx).join('').length, id).toBeGreaterThan(20);
    expect(templateParagraphs('technicals', ctx)).toEqual(['No technicals findings were produced for NVDA.']);
  });

  it('rejects an unknown section with a plain error', () => {
    expect(() =>
      templateParagraphs('appendix' as never, { ticker: 'NVDA', findings: {} as never, bundle: nvdaBundle() }),
    ).toThrow('The template writer has no section called "appendix".');
  });

  it('stops with a plain error when cancelled', async () => {
    const writer = createTemplateWriter({ sectionDelayMs: () => 10_000 });
    const ctl = new AbortController();
    const findings = Object.fromEntries(
      await Promise.all(
        (['fundamentals', 'technicals', 'news', 'risk'] as const).map(async (a) => [
          a,
          await writer.analyze(a, nvdaBundle()),
        ]),
      ),
    );
    const it = writer.writeSection('summary', { ticker: 'NVDA', findings, bundle: nvdaBundle() } as never, ctl.signal);
    const pending = (async () => {
      for await (const _ of it) {
        /* drain */
      }
    })();
    setTimeout(() => ctl.abort(), 10);
    await expect(pending).rejects.toThrow(/cancelled/);
  });
});
