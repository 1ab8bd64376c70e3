/**
 * Save a run's report as files: `DIR/TICKER-YYYY-MM-DD.md` (the whole report with its sources) and
 * `DIR/TICKER-YYYY-MM-DD.png` (the price chart), the date being the run date. A chart that cannot be drawn does
 * not stop the report: the Markdown is written without it and the reason is returned.
 */
import { join } from 'node:path';
import { renderRunChart } from '../charts/run-chart.js';
import type { RunResult } from '../research/types.js';
import { ensureFolder, writeFileAtomic } from './atomic-write.js';
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
 * overwritten. Each file is written whole or not at all (temporary file + rename). A chart that cannot be drawn or
 * saved is no error: the report is written without it and `chartProblem` says why (the caller tells the person;
 * nothing is logged here).
 * @throws NotAFolderError when `dir` is a file or a device; the file system's error when the report cannot be written.
 */
export async function writeReportFiles(result: RunResult, dir: string): Promise<ReportFiles> {
  await ensureFolder(dir);
  const base = reportBaseName(result);
  const files: ReportFiles = { markdownPath: join(dir, `${base}.md`) };
  let chart: { file: string; altText: string; caption: string } | undefined;
  const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));
  try {
    const rendered = await renderRunChart(result);
    const pngPath = join(dir, `${base}.png`);
    try {
      await writeFileAtomic(pngPath, rendered.png);
    } catch (err) {
      throw new Error(`the chart could not be saved as ${pngPath} (${reason(err)})`);
    }
    files.pngPath = pngPath;
    chart = { file: `${base}.png`, altText: rendered.altText, caption: rendered.caption };
  } catch (err) {
    files.chartProblem = reason(err);
  }
  await writeFileAtomic(files.markdownPath, buildReportMarkdown(result, chart ? { chart } : {}));
  return files;
}
