/** Thread records for follow-up tests and the bench: the record a finished run's thread keeps. */
import type { ThreadRecord } from '../../src/conversation/types.js';
import type { RunResult } from '../../src/research/types.js';

/** The record of a thread whose run finished with `result` (no sections kept, no earlier questions). */
export function finishedThread(result: RunResult, channel = 'C1', requester = 'U1'): ThreadRecord {
  return {
    version: 1,
    key: { channel, threadTs: '1.0' },
    runId: result.runId,
    ticker: result.ticker,
    requester,
    startedAt: result.startedAt,
    status: 'finished',
    findings: result.findings,
    sections: [],
    verdict: result.verdict,
    exchanges: [],
  };
}
