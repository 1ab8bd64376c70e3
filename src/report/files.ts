/**
 * Save a run's report as files: `DIR/TICKER-YYYY-MM-DD.md` (the whole report with its sources) and
 * `DIR/TICKER-YYYY-MM-DD.png` (the price chart), the date being the run date. A chart that cannot be drawn does
 * not stop the report: the Markdown is written without it and the reason is returned.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderRunChart } from '../charts/run-chart.js';
import { logger } from '../log.js';
import type { RunResult } from '../research/types.js';
import { buildReportMarkdown, runDate } from './markdown.js';

/** What {@link writeReportFiles} wrote. */
export interface ReportFiles {
  /** Absolute or `dir`-relative path of the Markdown report. */
  markdownPath: string;
  /** Path of the chart PNG; absent when no chart could be drawn. */
  pngPath?: string;
  /** Why there is no chart, in plain words. */
  chartProblem?: string;
}

/** `NVDA-2026-11-30`: the file name (without extension) of a run's report. */
export function reportBaseName(result: Pick<RunResult, 'ticker' | 'startedAt'>): string {
  return `${result.ticker}-${runDate(result)}`;
}

/**
 * Write the report (and its chart) into `dir`, creating it when missing. Files of the same ticker and date are
 * overwritten.
 * @throws Error (from the file system) when `dir` cannot be created or written.
 */
export async function writeReportFiles(result: RunResult, dir: string): Promise<ReportFiles> {
  await mkdir(dir, { recursive: true });
  const base = reportBaseName(result);
  const files: ReportFiles = { markdownPath: join(dir, `${base}.md`) };
  let chart: { file: string; altText: string; caption: string } | undefined;
  try {
    const rendered = await renderRunChart(result);
    const pngPath = join(dir, `${base}.png`);
    await writeFile(pngPath, rendered.png);
    files.pngPath = pngPath;
    chart = { file: `${base}.png`, altText: rendered.altText, caption: rendered.caption };
  } catch (err) {
    files.chartProblem = err instanceof Error ? err.message : String(err);
    logger.warn({ err, ticker: result.ticker }, 'the price chart was not drawn; writing the report without it');
  }
  await writeFile(files.markdownPath, buildReportMarkdown(result, chart ? { chart } : {}));
  return files;
}
