/**
 * The report as a file: Markdown with the sources of its figures, and the price chart beside it.
 */
export { type ReportFiles, reportBaseName, writeReportFiles } from './files.js';
export { buildReportMarkdown, type ReportChart, type ReportOptions, runDate, tableCell } from './markdown.js';
