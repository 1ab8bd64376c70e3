/**
 * `/research-stock NVDA --file` through the real Bolt app (signed request, Web API stand-in, research double): the
 * run's thread ends with the report attached as a Markdown file via files.uploadV2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackOnDouble, startSlackOnDouble } from '../helpers/slack-double-app.js';
import { SlackResearchDouble } from '../helpers/slack-research-double.js';
import type { SlackStandIn } from '../helpers/slack-stand-in.js';

let app: SlackOnDouble;
let standIn: SlackStandIn;
let research: SlackResearchDouble;

beforeAll(async () => {
  research = new SlackResearchDouble({ stepMs: 20 });
  app = await startSlackOnDouble(research);
  standIn = app.standIn;
});

afterAll(async () => {
  await app?.close();
});

describe('/research-stock NVDA --file', () => {
  it('attaches the report as a Markdown file at the end of the run thread', async () => {
    const res = await app.command('/research-stock', 'NVDA --file', { channel: 'C0MARKETS', user: 'U0ALICE' });
    expect(res.status).toBe(200);
    await app.runsDone(1);

    const parent = standIn.callsOf('chat.postMessage').find((c) => !c.args.thread_ts && c.ts);
    expect(parent?.ts).toBeDefined();
    const files = standIn.files.filter((f) => f.threadTs === parent?.ts);
    expect(files.map((f) => f.filename)).toEqual([expect.stringMatching(/^NVDA-\d{4}-\d{2}-\d{2}\.md$/)]);
    expect(files[0]?.data.toString('utf8')).toMatch(/^# .*NVDA.*: research report/);
    // The ticker was read without the option.
    expect(standIn.callsOf().some((c) => String(c.args.text ?? '').includes('--file'))).toBe(false);
  }, 30_000);
});
