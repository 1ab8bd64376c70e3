import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportMarkdown, reportBaseName, runDate, tableCell, writeReportFiles } from '../../src/report/index.js';
import type { RunResult } from '../../src/research/types.js';
import { SECTIONS } from '../../src/research/types.js';
import { PNG_SIGNATURE, pngSize } from '../charts/helpers.js';
import { bundledRun } from './bundled-run.js';

describe('buildReportMarkdown', () => {
  let nvda: RunResult;
  beforeAll(async () => {
    nvda = await bundledRun('NVDA');
  }, 60_000);

  it('has a title, the run date, every section in report order, then the sources', () => {
    const md = buildReportMarkdown(nvda);
    expect(md.startsWith(`# ${nvda.companyName} (NVDA): research report\n`)).toBe(true);
    expect(md).toContain(`Run date ${runDate(nvda)}`);
    expect(md).toContain('data as of 2026-08-2');
    expect(md).toContain(nvda.verdict.line);
    const headings = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual([...SECTIONS.map((s) => s.title), 'Sources of the figures']);
    for (const section of nvda.sections) expect(md).toContain(section.markdown.trim());
  });

  it('leads with the last close when a newer part would make "data as of" look current', () => {
    // Regression: a report on the stand-ins (prices to 2026-08-21, Finnhub consensus of 2026-12-04) opened with
    // "Run date 2026-12-07 · data as of 2026-12-04", 74 trading days after the close the report rests on.
    const live = structuredClone(nvda);
    const { bundle } = live;
    if (bundle.prices.status !== 'ok' || bundle.analyst.status !== 'ok')
      throw new Error('NVDA has prices and consensus');
    bundle.prices.data = {
      ...bundle.prices.data,
      provenance: { provider: 'yahoo', live: true, asOf: '2026-08-21', tried: [] },
    };
    bundle.analyst.data = {
      ...bundle.analyst.data,
      asOf: '2026-12-04',
      provenance: { provider: 'finnhub', live: true, asOf: '2026-12-04', tried: [] },
    };
    const md = buildReportMarkdown(live);
    expect(md).toContain(`_Run date ${runDate(live)} · last close 2026-08-21 (newest data 2026-12-04) · verdict: `);
    expect(md).not.toContain('data as of 2026-12-04');
    expect(md).toContain('- Consensus: Finnhub (live), ratings and price target as of 2026-12-04');
  });

  it('lists every figure of the findings with its value, period and source', () => {
    const md = buildReportMarkdown(nvda);
    const sources = md.slice(md.indexOf('## Sources of the figures'));
    const revenue = nvda.findings
      .find((f) => f.analyst === 'fundamentals')
      ?.figures.find((f) => f.name === 'revenue' && f.period === 'FY2024');
    expect(revenue).toBeDefined();
    // The FY2024 revenue row names its filing and links the SEC filing index.
    const row = sources.split('\n').find((line) => line.startsWith('| Revenue | $60.92B | FY2024 |'));
    expect(row).toContain(`[SEC EDGAR](${revenue?.source.url})`);
    expect(row).toContain(tableCell(revenue?.source.ref ?? 'missing'));
    // One row per distinct figure, across all analysts.
    const distinct = new Set(
      nvda.findings.flatMap((f) =>
        f.figures.map((g) => JSON.stringify([g.name, g.period ?? '', g.value, g.source.provider, g.source.ref])),
      ),
    );
    const rows = sources.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Figure |'));
    expect(rows.length).toBe(distinct.size);
    expect(sources).toContain('### Technicals');
    // One name for the SEC statements source: the figure rows name it as the data-source line and the thread's
    // answers do ("SEC EDGAR"), never by the API's name.
    expect(md).not.toMatch(/SEC companyfacts/i);
    expect(sources).toMatch(/\| 52-week high \| \$236\.54 \|/);
  });

  it('places the chart after the Technicals section with its alt text and caption', () => {
    const md = buildReportMarkdown(nvda, {
      chart: { file: 'NVDA 2026-11-30.png', altText: 'Line chart [NVDA]', caption: 'Source: IBKR daily prices.' },
    });
    const image = md.indexOf('![Line chart NVDA](NVDA%202026-11-30.png)');
    expect(image).toBeGreaterThan(md.indexOf('## Technicals'));
    expect(image).toBeLessThan(md.indexOf('## News & events'));
    expect(md).toContain('_Source: IBKR daily prices._');
    expect(md).toContain('Price chart: Source: IBKR daily prices.');
  });

  it('says when the report is degraded, and why', () => {
    const degraded: RunResult = { ...nvda, outcome: 'degraded', problems: ['Analyst ratings were unavailable.'] };
    expect(buildReportMarkdown(degraded)).toContain('> - Analyst ratings were unavailable.');
  });

  it('escapes table cells', () => {
    expect(tableCell('a | b\nc')).toBe('a \\| b c');
  });
});

describe('writeReportFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tickerdesk-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes TICKER-DATE.md and TICKER-DATE.png, the Markdown pointing at the chart', async () => {
    const result = await bundledRun('KO');
    const out = join(dir, 'nested', 'reports');
    const files = await writeReportFiles(result, out);
    const base = reportBaseName(result);
    expect(base).toBe(`KO-${result.startedAt.slice(0, 10)}`);
    expect(files).toEqual({ markdownPath: join(out, `${base}.md`), pngPath: join(out, `${base}.png`) });
    const png = readFileSync(files.pngPath ?? '');
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(pngSize(png)).toEqual({ width: 1200, height: 700 });
    const md = readFileSync(files.markdownPath, 'utf8');
    expect(md).toContain(`](${base}.png)`);
    expect(md).toContain('## Sources of the figures');
  }, 60_000);

  it('still writes the report, without a chart, when there are no prices', async () => {
    const result = await bundledRun('KO');
    const noPrices: RunResult = {
      ...result,
      bundle: {
        ...result.bundle,
        prices: { status: 'unavailable', reason: 'No price history in the bundled data set for KO.', source: 'test' },
      },
    };
    const sub = join(dir, 'no-prices');
    const files = await writeReportFiles(noPrices, sub);
    expect(files.pngPath).toBeUndefined();
    expect(files.chartProblem).toBe('There is no price chart for KO: no price history in the bundled data set.');
    expect(existsSync(join(sub, `${reportBaseName(result)}.png`))).toBe(false);
    expect(readFileSync(files.markdownPath, 'utf8')).not.toContain('![');
  }, 60_000);
});
