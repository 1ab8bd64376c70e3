/**
 * `npm run audit:figures [-- SHARED_DIR] [--ticker T …]`: recomputes the report's figures for every bundled ticker
 * independently from the raw files (`../shared/data`, or SHARED_DATA_DIR), with the audit's own readers
 * (`scripts/audit/`), and lists every difference beyond rounding. Each remaining difference must be explained in
 * {@link EXPLAINED}; an unexplained one exits 1.
 *
 * The report side is the real pipeline with the template writer, in process, on the committed `data/` (the bundled
 * MCP server over an in-memory transport), so the figures compared are the ones every front end prints.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figure, FigureUnit } from '../src/research/types.js';
import { bundledResearch } from '../test/report/bundled-run.js';
import { type Expected, recompute } from './audit/recompute.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const only = args.flatMap((a, i) => (args[i - 1] === '--ticker' ? [a.toUpperCase()] : []));
const dirArg = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--ticker');
const shared = resolve(dirArg ?? process.env.SHARED_DATA_DIR ?? join(repo, '..', 'shared', 'data'));

/**
 * Differences that remain, each with its reason: `ticker` (or `*`), figure name, and a period prefix (or `*`).
 * A difference is explained only by an entry that names it; the reason is printed beside it.
 */
const EXPLAINED: { ticker: string; name: string; period: string; why: string }[] = [
  {
    ticker: 'AMZN',
    name: 'eps_ttm',
    period: 'TTM to Q2 FY2026',
    why: "yfinance's 2026-06-30 AMZN row has diluted EPS (5.75) but no revenue or net income; the statement parsers keep only quarters with revenue or net income, so the report's TTM ends at Q1 FY2026",
  },
  {
    ticker: 'AMZN',
    name: 'pe_ratio',
    period: '*',
    why: 'follows from the TTM EPS above: the report divides by the four complete quarters to Q1 FY2026 (TTM EPS $8.36)',
  },
];

/** Absolute tolerance per unit: what the report's own rounding (4 decimals, whole USD) can account for. */
const TOLERANCE: Record<FigureUnit, number> = {
  USD: 1,
  'USD/share': 0.005,
  '%': 0.0006,
  x: 0.0006,
  count: 0,
  shares: 1,
  days: 0,
  index: 0.005,
  date: 0,
};

interface Difference {
  ticker: string;
  name: string;
  period: string;
  report: number | undefined;
  raw: number;
  how: string;
  why?: string;
}

function explain(d: Difference): string | undefined {
  return EXPLAINED.find(
    (e) =>
      (e.ticker === '*' || e.ticker === d.ticker) &&
      e.name === d.name &&
      (e.period === '*' || d.period.startsWith(e.period)),
  )?.why;
}

function compare(ticker: string, figures: Figure[], expected: Expected[]): { checked: number; diffs: Difference[] } {
  const diffs: Difference[] = [];
  let checked = 0;
  for (const e of expected) {
    const f = figures.find((x) => x.name === e.name && x.period === e.period);
    checked++;
    const unit = f?.unit ?? 'USD';
    const tol = Math.max(TOLERANCE[unit], Math.abs(e.value) * 1e-6);
    if (f && Math.abs(f.value - e.value) <= tol) continue;
    const d: Difference = { ticker, name: e.name, period: e.period, report: f?.value, raw: e.value, how: e.how };
    const why = explain(d);
    diffs.push(why ? { ...d, why } : d);
  }
  return { checked, diffs };
}

async function main(): Promise<number> {
  if (!existsSync(join(shared, 'PROVENANCE.txt'))) {
    console.error(`audit:figures: no shared data at ${shared}; pass its path or set SHARED_DATA_DIR.`);
    return 2;
  }
  const { research, close } = await bundledResearch();
  const { createBundledProvider } = await import('../src/mcp-server/providers/bundled.js');
  const index = createBundledProvider(join(repo, 'data')).load();
  const tickers = Object.entries(index.tickers)
    .filter(([t, e]) => e.has.some((k) => k !== 'profile') && (only.length === 0 || only.includes(t)))
    .map(([t]) => t);
  let checked = 0;
  const all: Difference[] = [];
  try {
    for (const ticker of tickers) {
      const result = await research.start(ticker).result;
      const figures = result.findings.flatMap((f) => f.figures);
      const r = compare(ticker, figures, recompute(shared, ticker));
      checked += r.checked;
      all.push(...r.diffs);
    }
  } finally {
    await close();
  }
  const fmt = (v: number | undefined) => (v === undefined ? 'missing' : Number(v.toPrecision(10)).toString());
  for (const d of all) {
    const line = `${d.ticker} ${d.name} ${d.period}: report ${fmt(d.report)}, raw ${fmt(d.raw)} (${d.how})`;
    console.log(d.why ? `explained   ${line}\n              why: ${d.why}` : `UNEXPLAINED ${line}`);
  }
  const open = all.filter((d) => !d.why).length;
  console.log(
    `audit:figures: ${tickers.length} tickers, ${checked} figures recomputed from ${shared}; ${checked - all.length} agree within rounding, ${all.length - open} differ with a reason, ${open} unexplained.`,
  );
  return open > 0 ? 1 : 0;
}

process.exitCode = await main();
