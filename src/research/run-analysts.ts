/**
 * Stage 2, analysts: fundamentals, technicals, news and risk side by side on the shared bundle, through the run's
 * writer (no tool calls). The stage costs the slowest analyst. An analyst that fails yields neutral findings with
 * confidence 0 and a plain-words `degraded` reason; the run goes on.
 */
import { errorMessage } from '../errors.js';
import type { Writer } from '../writers/types.js';
import { abortable, taskSignal } from './abort.js';
import { missingReason } from './analysts/common.js';
import type { ProblemNote } from './problems.js';
import { ANALYSTS, type AnalystName, type BundleKey, type DataBundle, type Findings, type RunEvents } from './types.js';

/** Plain-words names of the analysts. */
export const ANALYST_LABELS: Readonly<Record<AnalystName, string>> = {
  fundamentals: 'fundamentals',
  technicals: 'technicals',
  news: 'news & events',
  risk: 'risk',
};

/** Options for {@link runAnalysts}. */
export interface RunAnalystsOptions {
  signal: AbortSignal;
  /** Called as each analyst finishes (in finishing order), with its findings and duration, ms. */
  onAnalystFinished?: (event: RunEvents['analystFinished']) => void;
  /** Clock, ms. @default Date.now */
  now?: () => number;
}

/** Findings of every analyst, in {@link ANALYSTS} order, and the problems met. */
export interface AnalystsOutcome {
  findings: Findings[];
  byAnalyst: Record<AnalystName, Findings>;
  /** Plain-words notes: analysts that failed or reported degraded findings (data gaps excepted). */
  problems: ProblemNote[];
}

/** Neutral, zero-confidence findings standing in for an analyst that failed. */
export function degradedFindings(analyst: AnalystName, reason: string): Findings {
  return { analyst, signal: 'neutral', confidence: 0, points: [], figures: [], degraded: reason };
}

/**
 * The failed bundle parts whose "could not be fetched" sentence is all that `degraded` says (empty when it says
 * anything more): such a note repeats a fetch failure the run already lists.
 */
function repeatedFailures(bundle: DataBundle, degraded: string): BundleKey[] {
  let rest = degraded;
  const keys: BundleKey[] = [];
  for (const key of Object.keys(bundle) as (BundleKey | 'ticker')[]) {
    if (key === 'ticker' || bundle[key].status !== 'failed') continue;
    const sentence = missingReason(bundle, key);
    if (sentence && rest.includes(sentence)) {
      rest = rest.replace(sentence, '');
      keys.push(key);
    }
  }
  return rest.trim() === '' ? keys : [];
}

/**
 * Run every analyst at once.
 * @throws the abort reason (a TickerdeskError) when `options.signal` aborts; analysts' own failures never throw.
 */
export async function runAnalysts(
  writer: Writer,
  bundle: DataBundle,
  options: RunAnalystsOptions,
): Promise<AnalystsOutcome> {
  const now = options.now ?? Date.now;

  const failures = new Map<AnalystName, string>();
  const one = async (analyst: AnalystName): Promise<Findings> => {
    const startedAt = now();
    const signal = taskSignal(options.signal);
    let findings: Findings;
    try {
      findings = await abortable(
        Promise.resolve().then(() => writer.analyze(analyst, bundle, signal)),
        signal,
      );
    } catch (err) {
      if (signal.aborted) throw err;
      const reason = `The ${ANALYST_LABELS[analyst]} analysis could not be completed: ${errorMessage(err)}`;
      findings = degradedFindings(analyst, reason);
      failures.set(analyst, errorMessage(err));
    }
    options.onAnalystFinished?.({ analyst, findings, ms: now() - startedAt });
    return findings;
  };

  const findings = await Promise.all(ANALYSTS.map(one));
  const byAnalyst = Object.fromEntries(findings.map((f, i) => [ANALYSTS[i], f])) as Record<AnalystName, Findings>;
  // A data gap (the data set lacks the data) is said in its section; it is no problem of the run.
  const problems = findings.flatMap((f): ProblemNote[] =>
    f.degraded && f.degraded !== f.dataGap
      ? [
          {
            text: f.degraded,
            cause: failures.get(f.analyst) ?? f.degraded,
            kind: 'analysis',
            part: ANALYST_LABELS[f.analyst],
            repeats: repeatedFailures(bundle, f.degraded),
          },
        ]
      : [],
  );
  return { findings, byAnalyst, problems };
}
