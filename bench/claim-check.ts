/**
 * The claim check's cost on a whole report: the sections of a real run, checked as the Claude writer checks them
 * (one claim reference per run, then every section: claims, numbers in words, recommendations), timed over many
 * repetitions. CPU only; no I/O.
 */
import type { RunResult } from '../src/research/types.js';
import {
  buildClaimReference,
  checkClaims,
  extractNumbers,
  unwantedRecommendations,
} from '../src/writers/verify/index.js';
import { median, percentile, round } from './stats.js';

/** What `npm run bench` prints about the claim check. */
export interface ClaimCheckCost {
  ticker: string;
  /** Characters and checked numbers of the whole report. */
  chars: number;
  numbers: number;
  /** Median and p95 of checking every section of the report once, ms. */
  checkMedianMs: number;
  checkP95Ms: number;
  /** Median of building the run's claim reference (once per run), ms. */
  buildMedianMs: number;
  /** Findings in the report (0 for the template writer's text). */
  findings: number;
}

/**
 * Time the claim check on `result`'s sections.
 * @param repetitions timed repetitions after as many untimed ones (the JIT warm-up). @default 200
 */
export function measureClaimCheck(result: RunResult, repetitions = 200): ClaimCheckCost {
  const figures = result.findings.flatMap((f) => f.figures);
  const ignore = [result.ticker, result.companyName ?? ''];
  const texts = result.sections.map((s) => s.markdown);
  const builds: number[] = [];
  const checks: number[] = [];
  let findings = 0;
  for (let i = 0; i < 2 * repetitions; i++) {
    const t0 = performance.now();
    const ref = buildClaimReference(figures);
    const t1 = performance.now();
    findings = result.sections.reduce(
      (n, s) =>
        n +
        checkClaims(s.markdown, ref, ignore).length +
        unwantedRecommendations(s.markdown, s.id, result.verdict.rating).length,
      0,
    );
    const t2 = performance.now();
    if (i >= repetitions) {
      builds.push(t1 - t0);
      checks.push(t2 - t1);
    }
  }
  const numbers = texts.reduce((n, t) => n + extractNumbers(t, ignore).length, 0);
  return {
    ticker: result.ticker,
    chars: texts.reduce((n, t) => n + t.length, 0),
    numbers,
    checkMedianMs: round(median(checks), 2),
    checkP95Ms: round(percentile(checks, 95), 2),
    buildMedianMs: round(median(builds), 2),
    findings,
  };
}
