/**
 * ETA from recorded runs: the median of recent runs' stage durations, cold and warm apart. A run is expected warm
 * when the same ticker finished (ok or degraded) within the warm window (the shortest tool-cache TTL), else cold.
 * Kept in memory so `estimate` is synchronous, as the pipeline needs it at `runStarted`.
 */
import type { EtaRequest } from '../research/eta.js';
import { type Eta, STAGES, type Stage } from '../research/types.js';
import { DEFAULT_TTL_MS } from '../tools/ttl.js';
import { percentile } from './stats.js';
import type { RunRecord } from './types.js';

/** The shortest default tool-cache TTL, ms (15 minutes: prices and news expire first). */
export const DEFAULT_WARM_WINDOW_MS = Math.min(...Object.values(DEFAULT_TTL_MS));
/** Runs per kind the median uses. */
export const ETA_SAMPLE = 20;
/** Finished runs kept in memory. */
const KEEP = 500;

/** What the ETA needs of a finished run. */
export interface EtaSample {
  ticker: string;
  finishedAt: string;
  kind: 'cold' | 'warm';
  stageMs: Record<Stage, number>;
}

/** Turn a finished record into a sample; null when it did not finish well or lacks a stage duration. */
export function sampleOf(record: RunRecord): EtaSample | null {
  if (record.outcome !== 'ok' && record.outcome !== 'degraded') return null;
  if (!record.finishedAt || !record.cacheKind) return null;
  const stageMs = {} as Record<Stage, number>;
  for (const stage of STAGES) {
    const ms = record.stageMs[stage];
    if (typeof ms !== 'number') return null;
    stageMs[stage] = ms;
  }
  return { ticker: record.ticker, finishedAt: record.finishedAt, kind: record.cacheKind, stageMs };
}

/** In-memory history of finished runs answering `estimate(ticker)`. */
export class EtaHistory {
  private readonly samples: EtaSample[] = [];
  constructor(
    private readonly warmWindowMs = DEFAULT_WARM_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Add a finished run (newest last). */
  add(sample: EtaSample): void {
    this.samples.push(sample);
    if (this.samples.length > KEEP) this.samples.splice(0, this.samples.length - KEEP);
  }

  /**
   * Whether a run of `ticker` started now is expected to find its data in the cache. A fresh run (`--fresh`) reads
   * no cache, so it is always cold.
   */
  expectedKind(ticker: string, request: EtaRequest = {}): 'cold' | 'warm' {
    if (request.fresh) return 'cold';
    const since = this.now() - this.warmWindowMs;
    const t = ticker.trim().toUpperCase();
    return this.samples.some((s) => s.ticker === t && Date.parse(s.finishedAt) >= since) ? 'warm' : 'cold';
  }

  /**
   * Expected duration of a run of `ticker`: per-stage medians of the last {@link ETA_SAMPLE} runs of the expected
   * kind; when there are none of that kind, of the other kind (and `kind` says which). Null with no history.
   * A fresh run is estimated from cold runs (see {@link expectedKind}).
   */
  estimate(ticker: string, request: EtaRequest = {}): Eta | null {
    const wanted = this.expectedKind(ticker, request);
    const pick = (kind: 'cold' | 'warm') => this.samples.filter((s) => s.kind === kind).slice(-ETA_SAMPLE);
    let kind = wanted;
    let used = pick(kind);
    if (used.length === 0) {
      kind = wanted === 'warm' ? 'cold' : 'warm';
      used = pick(kind);
    }
    if (used.length === 0) return null;
    const perStageMs = {} as Record<Stage, number>;
    for (const stage of STAGES)
      perStageMs[stage] = Math.round(
        percentile(
          used.map((s) => s.stageMs[stage]),
          50,
        ) ?? 0,
      );
    const totalMs = STAGES.reduce((sum, stage) => sum + perStageMs[stage], 0);
    return { totalMs, perStageMs, basedOn: used.length, kind };
  }
}
