/**
 * Compare with… (issue 14, part 5) on the real runtime: the finished report's picker lists the company's peers from
 * the same GICS sub-industry (`get_peers` through the gateway, bundled data); picking one posts a side-by-side
 * comparison in the report's thread through the follow-up path (`src/conversation/`). A pick from another channel
 * is answered privately and nothing is posted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_ACTIONS } from '../../src/slack/blocks/run-actions.js';
import { FOREIGN_NOTE } from '../../src/slack/listeners/actions/run-button.js';
import { researchInSlack, type SlackOnRuntime, startSlackOnRuntime, waitFor } from '../helpers/slack-runtime.js';
import { renderBlocks } from '../helpers/slack-transcript.js';

let app: SlackOnRuntime;
let parentTs: string;

interface Picker {
  action_id?: string;
  type: string;
  options?: { text: { text: string }; value: string }[];
}

const picker = (): Picker | undefined =>
  ((app.standIn.messages.get(parentTs)?.blocks ?? []) as { type: string; elements?: Picker[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .find((e) => e.action_id === RUN_ACTIONS.compare);
const replies = () => [...app.standIn.messages.values()].filter((m) => m.threadTs === parentTs);

beforeAll(async () => {
  app = await startSlackOnRuntime({}, { peers: true });
  parentTs = await researchInSlack(app, 'C0CMP');
}, 90_000);

afterAll(async () => {
  await app?.close();
});

describe('Compare with…', () => {
  it('the finished parent reads as a person sees it: the verdict, then Refresh, Compare with… and Report file', () => {
    const parent = renderBlocks(app.standIn.messages.get(parentTs)?.blocks ?? []);
    expect(parent).toContain('*Verdict:*');
    expect(parent.split('\n').at(-1)).toBe(
      '[:arrows_counterclockwise: Refresh] [Compare with… ▾] [:page_facing_up: Report file]',
    );
  });

  it('lists peers of the same GICS sub-industry, nearest market cap first', () => {
    const p = picker();
    expect(p?.type).toBe('static_select');
    const labels = p?.options?.map((o) => o.text.text) ?? [];
    expect(labels.length).toBeGreaterThan(2);
    expect(labels.length).toBeLessThanOrEqual(10);
    // NVIDIA's sub-industry is Semiconductors; AMD and Broadcom are in it, Apple is not.
    expect(labels.some((l) => l.startsWith('AVGO · '))).toBe(true);
    expect(labels.some((l) => l.startsWith('AMD · '))).toBe(true);
    expect(labels.some((l) => l.startsWith('AAPL'))).toBe(false);
    expect(p?.options?.every((o) => /^.+\|[A-Z.]+$/.test(o.value))).toBe(true);
  });

  it('a pick posts the side-by-side comparison in the report’s thread', async () => {
    const amd = picker()?.options?.find((o) => o.text.text.startsWith('AMD · '));
    const before = replies().length;
    const res = await app.action(
      { action_id: RUN_ACTIONS.compare, type: 'static_select', selected_option: { value: String(amd?.value) } },
      { channel: 'C0CMP', user: 'U0ALICE', messageTs: parentTs },
    );
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    await app.slack.followUps?.idle();
    await waitFor(() => replies().length > before, 'the comparison');
    const answer = replies()
      .slice(before)
      .map((m) => `${m.text}\n${renderBlocks(m.blocks)}`)
      .join('\n');
    expect(answer).toContain('NVDA');
    expect(answer).toContain('AMD');
    expect(answer).toMatch(/Gross margin/);
  });

  it('a pick from another channel is answered privately and posts nothing', async () => {
    const amd = picker()?.options?.find((o) => o.text.text.startsWith('AMD · '));
    const before = replies().length;
    await app.action(
      { action_id: RUN_ACTIONS.compare, type: 'static_select', selected_option: { value: String(amd?.value) } },
      { channel: 'C0ELSEWHERE', user: 'U0BOB', messageTs: parentTs },
    );
    await waitFor(() => app.standIn.callsOf('response_url:action:U0BOB').length === 1, 'the private answer');
    expect(app.standIn.callsOf('response_url:action:U0BOB')[0]?.args.text).toBe(FOREIGN_NOTE);
    expect(replies().length).toBe(before);
  });
});
