/**
 * The live parent's status line: the ETA phrase before and after the run reports its estimate.
 */
import { describe, expect, it } from 'vitest';
import type { Eta } from '../../../src/research/types.js';
import { etaPhrase, progressMessage } from '../../../src/slack/blocks/progress.js';
import { applyRunEvent, initialProgress } from '../../../src/slack/progress-state.js';

const T0 = 1_700_000_000_000;

function started(eta: Eta | null) {
  return applyRunEvent(
    initialProgress('NVDA', T0, 'U0ALICE'),
    {
      type: 'runStarted',
      payload: { runId: 'r1', ticker: 'NVDA', startedAt: new Date(T0).toISOString(), toolsTotal: 8, eta },
    },
    T0 + 5,
  );
}

describe('etaPhrase', () => {
  it('does not call the run a first run before the run has said whether there is history', () => {
    const state = initialProgress('NVDA', T0, 'U0ALICE');
    expect(etaPhrase(state, T0)).toBe('estimating the ETA…');
    const status = progressMessage(state, T0).blocks.at(-1);
    expect(JSON.stringify(status)).not.toContain('no ETA yet');
  });

  it('says there is no finished run to go by only when the run reported no history', () => {
    expect(etaPhrase(started(null), T0 + 10)).toBe('no ETA yet (no finished run to go by)');
  });

  it('counts down from the estimate once the run reported one', () => {
    const eta: Eta = {
      totalMs: 6000,
      perStageMs: { prefetch: 4000, analysts: 500, sections: 1500 },
      basedOn: 3,
      kind: 'cold',
    };
    expect(etaPhrase(started(eta), T0 + 2000)).toBe('about 4 s left (median of 3 cold runs)');
  });

  it('is not late at "elapsed 0 s" past a warm median of a few ms; late only a second or a quarter past it', () => {
    const warm: Eta = { totalMs: 7, perStageMs: { prefetch: 2, analysts: 2, sections: 3 }, basedOn: 4, kind: 'warm' };
    expect(etaPhrase(started(warm), T0 + 400)).toBe('almost done (median of 4 warm runs)');
    expect(progressMessage(started(warm), T0 + 400).text).not.toContain('taking longer than usual');
    expect(etaPhrase(started(warm), T0 + 1200)).toBe('taking longer than usual (median of 4 warm runs)');
    const cold: Eta = {
      totalMs: 8000,
      perStageMs: { prefetch: 6000, analysts: 1000, sections: 1000 },
      basedOn: 2,
      kind: 'cold',
    };
    expect(etaPhrase(started(cold), T0 + 9000)).toBe('almost done (median of 2 cold runs)');
    expect(etaPhrase(started(cold), T0 + 10_000)).toBe('taking longer than usual (median of 2 cold runs)');
  });
});
