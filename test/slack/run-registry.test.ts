/**
 * The run registry the report buttons read: who may cancel (the requester, an admin), what a second Cancel or one
 * after the end finds, and that only the newest finished results are kept whole (each holds a data bundle).
 */
import { describe, expect, it } from 'vitest';
import type { RunHandle, RunResult } from '../../src/research/types.js';
import { RunRegistry } from '../../src/slack/run-registry.js';

/** A handle that records the reasons it was cancelled with. */
function handle(runId: string): RunHandle & { reasons: (string | undefined)[] } {
  const reasons: (string | undefined)[] = [];
  const h = {
    runId,
    ticker: 'NVDA',
    result: new Promise<RunResult>(() => undefined),
    reasons,
    on: () => h,
    off: () => h,
    cancel: (reason?: string) => reasons.push(reason),
  };
  return h;
}
const started = (registry: RunRegistry, runId: string, requester = 'U0ALICE') => {
  const h = handle(runId);
  registry.started({ runId, ticker: 'NVDA', channel: 'C1', ts: `1.${runId}`, requester }, h);
  return h;
};
const result = (runId: string) => ({ runId }) as RunResult;

describe('RunRegistry', () => {
  it('lets the requester and an admin cancel, nobody else; a second Cancel finds it cancelled', () => {
    const registry = new RunRegistry(['U0ADMIN']);
    const a = started(registry, 'a');
    expect(registry.cancel('a', 'U0BOB').kind).toBe('not-allowed');
    expect(a.reasons).toEqual([]);
    expect(registry.cancel('a', 'U0ALICE').kind).toBe('cancelled');
    expect(a.reasons).toEqual(['Cancel was pressed in Slack']);
    const again = registry.cancel('a', 'U0ALICE');
    expect(again.kind).toBe('already-ended');
    expect(registry.get('a')).toMatchObject({ status: 'cancelled', cancelledBy: 'U0ALICE' });
    const b = started(registry, 'b');
    expect(registry.cancel('b', 'U0ADMIN').kind).toBe('cancelled');
    expect(b.reasons).toHaveLength(1);
    expect(registry.cancel('missing', 'U0ALICE').kind).toBe('unknown');
  });

  it('a run that ended is not cancelled; it is found by its thread', () => {
    const registry = new RunRegistry();
    const a = started(registry, 'a');
    registry.ended('a', result('a'));
    expect(registry.cancel('a', 'U0ALICE').kind).toBe('already-ended');
    expect(a.reasons).toEqual([]);
    expect(registry.byThread('C1', '1.a')?.status).toBe('finished');
  });

  it('keeps runs up to its bound, and whole results only for the newest finished ones', () => {
    const registry = new RunRegistry([], 5, 2);
    for (const id of ['r1', 'r2', 'r3', 'r4', 'r5', 'r6']) {
      started(registry, id);
      registry.ended(id, result(id));
    }
    expect(registry.get('r1')).toBeUndefined();
    expect(registry.get('r2')?.status).toBe('finished');
    expect(['r2', 'r3', 'r4', 'r5', 'r6'].map((id) => registry.get(id)?.result !== undefined)).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
  });
});
