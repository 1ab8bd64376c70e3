/**
 * The report as a file: one Markdown document with a title, the run date, every section in report order, the price
 * chart (when one was rendered) right after the Technicals section, and at the end the sources of every figure the
 * report may state, as a table (figure, value, period, provider, filing or file, date, link).
 *
 * A pure function of a finished {@link RunResult}; numbers are printed with the writers' formatting (USD, %, x).
 */
import { sourceLabel } from '../charts/source-label.js';
import { bundleAsOf } from '../research/analysts/common.js';
import type { AnalystName, Figure, RunResult } from '../research/types.js';
import { formatFigure } from '../writers/format.js';
import { dataSources, dataSourcesMarkdown } from './data-sources.js';

/** A chart image to reference from the report (a file beside it). */
export interface ReportChart {
  /** Path of the image relative to the Markdown file, e.g. `NVDA-2026-11-30.png`. */
  file: string;
  altText: string;
  caption: string;
}

/** Options of {@link buildReportMarkdown}. */
export interface ReportOptions {
  /** The run's price chart, placed after the Technicals section. */
  chart?: ReportChart;
}

const ANALYST_TITLES: Record<AnalystName, string> = {
  fundamentals: 'Fundamentals',
  technicals: 'Technicals',
  news: 'News, consensus and filings',
  risk: 'Risk',
};

/** The run date of a result, ISO `YYYY-MM-DD` (UTC), from its start time. */
export function runDate(result: Pick<RunResult, 'startedAt'>): string {
  return result.startedAt.slice(0, 10);
}

/** Escape text for one Markdown table cell (pipes, line breaks). */
export function tableCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').trim();
}

/** Escape text for a Markdown image's alt text. */
function altCell(text: string): string {
  return text.replace(/[[\]]/g, '').replace(/\r?\n/g, ' ');
}

function figureKey(f: Figure): string {
  return JSON.stringify([f.name, f.period ?? '', f.value, f.source.provider, f.source.ref]);
}

function sourceCell(f: Figure): string {
  const provider = sourceLabel(f.source);
  const named = f.source.url ? `[${tableCell(provider)}](${f.source.url})` : tableCell(provider);
  return `${named}: ${tableCell(f.source.ref)}`;
}

/** The figures table of one analyst, or '' when it has none. */
function figureTable(title: string, figures: readonly Figure[], seen: Set<string>): string {
  const rows: string[] = [];
  for (const f of figures) {
    const key = figureKey(f);
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(
      `| ${tableCell(f.label)} | ${tableCell(formatFigure(f))} | ${tableCell(f.period ?? f.source.period ?? '')} | ` +
        `${sourceCell(f)} | ${tableCell(f.source.asOf ?? '')} |`,
    );
  }
  if (rows.length === 0) return '';
  return [
    `### ${title}`,
    '',
    '| Figure | Value | Period | Source | Filed or captured |',
    '|---|---:|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/**
 * Build the whole report of a run as Markdown.
 * @example writeFileSync('NVDA-2026-11-30.md', buildReportMarkdown(result, { chart: { file: 'NVDA-2026-11-30.png', altText, caption } }))
 */
export function buildReportMarkdown(result: RunResult, options: ReportOptions = {}): string {
  const who = result.companyName ? `${result.companyName} (${result.ticker})` : result.ticker;
  const asOf = bundleAsOf(result.bundle);
  const out: string[] = [`# ${who}: research report`, ''];
  const sources = dataSources(result.bundle, new Date(result.startedAt));
  const meta = [`Run date ${runDate(result)}`];
  // The prices' date leads when a newer part (live consensus, filings) would make "data as of" look more current
  // than the prices the report rests on.
  const close = sources.pricesAsOf;
  if (close && asOf && close < asOf) meta.push(`last close ${close} (newest data ${asOf})`);
  else if (asOf) meta.push(`data as of ${asOf}`);
  meta.push(`verdict: ${result.verdict.line}`);
  out.push(`_${meta.join(' · ')}_`, '');
  const sourced = dataSourcesMarkdown(sources);
  if (sourced) out.push(sourced);
  if (result.problems.length > 0) {
    out.push('> **Degraded report.** Some data was missing:', ...result.problems.map((p) => `> - ${p}`), '');
  }

  const sections = [...result.sections].sort((a, b) => a.index - b.index);
  for (const section of sections) {
    out.push(`## ${section.title}`, '', section.markdown.trim(), '');
    if (section.degraded && !section.markdown.includes(section.degraded)) out.push(`_Note: ${section.degraded}_`, '');
    if (section.id === 'technicals' && options.chart) {
      const { file, altText, caption } = options.chart;
      out.push(`![${altCell(altText)}](${encodeURI(file)})`, '', `_${caption}_`, '');
    }
  }

  out.push('---', '', '## Sources of the figures', '');
  out.push(
    'Every number in this report comes from one of the figures below; derived figures name their inputs. ' +
      'Amounts in USD, per-share figures in USD per share, percentages in %.',
    '',
  );
  const seen = new Set<string>();
  const tables = result.findings
    .map((f) => figureTable(ANALYST_TITLES[f.analyst], f.figures, seen))
    .filter((t) => t !== '');
  out.push(...(tables.length > 0 ? tables : ['No figures were available for this run.', '']));
  if (options.chart) out.push(`Price chart: ${options.chart.caption}`, '');

  const tools = result.tools;
  out.push(
    '---',
    '',
    `_Generated by tickerdesk, run ${result.runId} (${result.outcome}), ${tools.total} data calls ` +
      `(${tools.hits} from cache). A rule-based reading of the data, not investment advice._`,
    '',
  );
  return out.join('\n');
}
