/**
 * Where a run's ETA comes from. The metrics recorder implements {@link EtaSource} from recorded durations of past
 * runs; the pipeline asks it once, before the first event, and shows the answer in `runStarted`.
 */
import type { Eta } from './types.js';

/** What the ETA needs to know about the run being estimated. */
export interface EtaRequest {
  /** The run skips cache reads (`--fresh`): it fetches everything, so only cold runs say how long it takes. */
  fresh?: boolean;
}

/** A source of run duration estimates. */
export interface EtaSource {
  /**
   * Estimated duration of a run for `ticker` (already normalised), or `null` when there is no history yet.
   * Must answer synchronously and quickly: it sits before the first visible output. Errors it throws are logged
   * and treated as `null`.
   */
  estimate(ticker: string, request?: EtaRequest): Eta | null;
}
