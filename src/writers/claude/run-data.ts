/**
 * What the Claude writer computes once per run from the bundle: the deterministic findings (figures, signals), the
 * known dates, the names to skip in the number check, and the caller holding the run's one system prefix.
 */
import { analyzeBundle } from '../../research/analysts/index.js';
import {
  ANALYSTS,
  type AnalystName,
  type DataBundle,
  type Figure,
  type Findings,
  type Verdict,
} from '../../research/types.js';
import { buildClaimReference, type ClaimReference, figureIds } from '../verify/index.js';
import type { ClaudeCaller } from './caller.js';
import { buildDataBlock, buildSystem } from './prompt.js';

/** One run's data. */
export interface RunData {
  bundle: DataBundle;
  deterministic: Record<AnalystName, Findings>;
  /** Every analyst's figures. */
  figures: Figure[];
  /** Every date the bundle knows (event, filing, as-of, period end, fetch). */
  dates: string[];
  /** Names that are not numbers (company name, ticker). */
  ignore: string[];
  /** Figure id → figure: what a reference such as `{revenue.FY2026}` prints (the ids the prompt lists). */
  ids: Map<string, Figure>;
  caller: ClaudeCaller;
}

/** Every date the bundle knows, for the number check. */
export function bundleDates(bundle: DataBundle): string[] {
  const dates: string[] = [];
  for (const part of Object.values(bundle)) {
    if (typeof part === 'object' && part.status === 'ok') dates.push(part.fetchedAt);
  }
  if (bundle.news.status === 'ok') dates.push(...bundle.news.data.events.map((e) => e.date));
  if (bundle.insider.status === 'ok') {
    for (const t of bundle.insider.data.transactions) dates.push(t.filingDate, t.transactionDate);
  }
  if (bundle.technicals.status === 'ok') dates.push(bundle.technicals.data.asOf);
  if (bundle.analyst.status === 'ok') {
    dates.push(bundle.analyst.data.asOf, ...bundle.analyst.data.history.map((h) => h.date));
  }
  if (bundle.prices.status === 'ok') dates.push(bundle.prices.data.start, bundle.prices.data.end);
  for (const fin of [bundle.financialsAnnual, bundle.financialsQuarterly]) {
    if (fin.status === 'ok') dates.push(...fin.data.periods.map((p) => p.periodEnd));
  }
  if (bundle.profile.status === 'ok' && bundle.profile.data.snapshot) dates.push(bundle.profile.data.snapshot.asOf);
  return dates;
}

/**
 * Build a run's data; `makeCaller` gets the run's system prefix (built here, once).
 * Pure apart from `makeCaller`: the same bundle gives the same prefix bytes.
 */
export function buildRunData(
  bundle: DataBundle,
  makeCaller: (system: ReturnType<typeof buildSystem>) => ClaudeCaller,
): RunData {
  const deterministic = Object.fromEntries(ANALYSTS.map((a) => [a, analyzeBundle(a, bundle)])) as Record<
    AnalystName,
    Findings
  >;
  const name = bundle.profile.status === 'ok' ? bundle.profile.data.name : undefined;
  const figures = ANALYSTS.flatMap((a) => deterministic[a].figures);
  return {
    bundle,
    deterministic,
    figures,
    ids: figureIds(figures),
    dates: bundleDates(bundle),
    ignore: [name, bundle.ticker].filter((s): s is string => Boolean(s)),
    caller: makeCaller(buildSystem(buildDataBlock(bundle, deterministic))),
  };
}

function confidenceFigure(name: string, value: number): Figure {
  return {
    name,
    label: name.replace(/_/g, ' '),
    value,
    unit: 'index',
    source: { provider: 'tickerdesk-rules', ref: 'research/verdict.ts' },
  };
}

/**
 * The claim-check reference of a section: every figure, each analyst's confidence and the verdict's confidence
 * (sections may say "confidence 0.76"), and the bundle's dates.
 */
export function sectionReference(data: RunData, findings: readonly Findings[], verdict: Verdict): ClaimReference {
  const extra = [
    ...findings.map((f) => confidenceFigure(`confidence_${f.analyst}`, f.confidence)),
    confidenceFigure('verdict_confidence', verdict.confidence),
  ];
  return buildClaimReference([...data.figures, ...extra], data.dates);
}
