/**
 * Cancel on the real runtime (issue 14, part 5): every data tool of our MCP server answers after 20 s
 * (`MCP_TOOL_LATENCY_MS`), so the run is waiting on slow tools when the requester presses Cancel (a `block_actions`
 * payload signed and form-encoded as Slack sends it). The run stops at once, the SQLite run record says
 * `cancelled`, the parent says so and the thread says who cancelled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_ACTIONS } from '../../src/slack/blocks/run-actions.js';
import { finalRecord } from '../helpers/run-records.js';
import { type SlackOnRuntime, startSlackOnRuntime, waitFor } from '../helpers/slack-runtime.js';
import { renderBlocks } from '../helpers/slack-transcript.js';

let app: SlackOnRuntime;

beforeAll(async () => {
  app = await startSlackOnRuntime({ MCP_TOOL_LATENCY_MS: '20000' });
});

afterAll(async () => {
  await app?.close();
});

describe('Cancel on a run waiting on slow tools', () => {
  it('stops the run; the run record says cancelled; the thread says who cancelled', async () => {
    const res = await app.command('/research-stock', 'AAPL', { channel: 'C0SLOW' });
    expect(res.status).toBe(200);
    const parent = () => [...app.standIn.messages.values()].find((m) => m.channel === 'C0SLOW' && !m.threadTs);
    const cancelButton = () =>
      (parent()?.blocks as { type: string; elements?: { action_id?: string; value?: string }[] }[] | undefined)
        ?.filter((b) => b.type === 'actions')
        .flatMap((b) => b.elements ?? [])
        .find((e) => e.action_id === RUN_ACTIONS.cancel);
    await waitFor(() => cancelButton() !== undefined, 'the Cancel button');
    await waitFor(() => renderBlocks(parent()?.blocks ?? []).includes('Fetch data (0/8 tools)'), 'the prefetch');
    const runId = String(cancelButton()?.value);
    const ts = parent()?.ts as string;

    const pressed = await app.action(
      { action_id: RUN_ACTIONS.cancel, type: 'button', value: runId },
      { channel: 'C0SLOW', user: 'U0ALICE', messageTs: ts },
    );
    expect(pressed.status).toBe(200);
    const record = await finalRecord(app.runtime.metrics, runId);
    expect(record?.outcome).toBe('cancelled');
    // Stopped while the tools were still working: none of them answered.
    expect(record?.tools.total).toBe(0);
    expect(record?.thread).toBe(ts);
    await app.slack.launcher.idle();
    expect(renderBlocks(parent()?.blocks ?? [])).toMatch(
      /^:octagonal_sign: Research on \*AAPL\*.* was cancelled after /m,
    );
    const replies = [...app.standIn.messages.values()].filter((m) => m.threadTs === ts).map((m) => m.text);
    expect(replies).toContain(':octagonal_sign: <@U0ALICE> cancelled this AAPL run.');
  }, 60_000);
});
