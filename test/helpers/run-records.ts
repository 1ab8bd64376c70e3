/** Reading run records in tests. */
import type { MetricsStore } from '../../src/metrics/store.js';

/** The record of `runId` once the recorder has finished it (polls the run log, at most 6 s). */
export async function finalRecord(metrics: MetricsStore, runId: string) {
  for (let i = 0; i < 300; i++) {
    const r = await metrics.get(runId);
    if (r && r.outcome !== 'running') return r;
    await new Promise((res) => setTimeout(res, 20));
  }
  return metrics.get(runId);
}
