/**
 * The parent of a run that stopped early: a cancelled run reads "cancelled", not "failed" (a new user pressing Cancel
 * saw ":x: Research on NVDA failed … The run was cancelled: Cancel was pressed in Slack … Try again").
 */
import { describe, expect, it } from 'vitest';
import { RunCancelledError, ToolFailedError } from '../../../src/errors.js';
import { failedMessage, shortFailedMessage } from '../../../src/slack/blocks/final.js';
import { applyRunEvent, initialProgress, type ProgressState } from '../../../src/slack/progress-state.js';
import { CANCEL_REASON } from '../../../src/slack/run-registry.js';

const T0 = 1_700_000_000_000;

function stopped(error: RunCancelledError | ToolFailedError): ProgressState {
  return applyRunEvent(
    initialProgress('NVDA', T0, 'U0ALICE'),
    { type: 'runFailed', payload: { runId: 'r1', ticker: 'NVDA', error, durationMs: 1200 } },
    T0 + 1200,
  );
}

const texts = (blocks: unknown[]) => JSON.stringify(blocks);

describe('the parent of a run that stopped', () => {
  it('says a run cancelled from Slack was cancelled, leaving who to the thread', () => {
    const state = stopped(new RunCancelledError(CANCEL_REASON));
    expect(state.cancelled).toBe(true);
    const message = failedMessage(state, T0 + 1200);
    expect(message.text).toBe('Research on NVDA was cancelled');
    const blocks = texts(message.blocks);
    expect(blocks).toContain(':octagonal_sign: Research on *NVDA* was cancelled after 1.2 s.');
    expect(blocks).toContain('Nothing was written. Start it again with `/research-stock NVDA`.');
    expect(blocks).not.toContain('failed');
    expect(blocks).not.toContain(CANCEL_REASON);
    expect(texts(shortFailedMessage(state, T0 + 1200).blocks)).toContain('was cancelled after 1.2 s.');
  });

  it('names another reason for a cancel, such as the channel gone', () => {
    const state = stopped(new RunCancelledError('Slack refused the channel (is_archived)'));
    const message = failedMessage(state, T0 + 1200);
    expect(message.text).toBe('Research on NVDA was cancelled: Slack refused the channel (is_archived)');
    expect(texts(message.blocks)).toContain('was cancelled after 1.2 s: Slack refused the channel (is_archived)');
  });

  it('carries the reason as a field of the error, not parsed back from its message', () => {
    const error = new RunCancelledError('the channel was archived.');
    expect(error.reason).toBe('the channel was archived.');
    const state = stopped(error);
    expect(state.cancelReason).toBe('the channel was archived.');
    expect(failedMessage(state, T0 + 1200).text).toBe('Research on NVDA was cancelled: the channel was archived.');
    const silent = stopped(new RunCancelledError());
    expect(silent.cancelReason).toBeUndefined();
    expect(texts(failedMessage(silent, T0 + 1200).blocks)).toContain('was cancelled after 1.2 s.');
    expect(stopped(new ToolFailedError('get_price_history', 'the data server stopped')).cancelReason).toBeUndefined();
  });

  it('still says a failed run failed', () => {
    const state = stopped(new ToolFailedError('get_price_history', 'the data server stopped'));
    expect(state.cancelled).toBe(false);
    const blocks = texts(failedMessage(state, T0 + 1200).blocks);
    expect(blocks).toContain(':x: Research on *NVDA* failed after 1.2 s.');
  });
});
