/**
 * `/research-stock NVDA --file` through the real Bolt app (signed request, Web API stand-in, research double): the
 * run's thread ends with the report attached as a Markdown file via files.uploadV2.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { logger } from '../../src/log.js';
import { createSlackApp, type SlackApp } from '../../src/slack/app.js';
import { commandBody, postSigned } from '../helpers/slack-request.js';
import { SlackResearchDouble } from '../helpers/slack-research-double.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';

const SECRET = 'test-signing-secret-0123456789abcdef';

let standIn: SlackStandIn;
let research: SlackResearchDouble;
let slack: SlackApp;
let appUrl: string;
let home: string;

beforeAll(async () => {
  standIn = await new SlackStandIn().start();
  research = new SlackResearchDouble({ stepMs: 20 });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-slack-file-'));
  const config = loadConfig({
    TICKERDESK_HOME: home,
    SLACK_BOT_TOKEN: standIn.token,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: standIn.apiUrl,
    PORT: '0',
  });
  slack = createSlackApp({ config, research, metrics: research, logger });
  const { port } = await slack.start(0);
  appUrl = `http://127.0.0.1:${port}/slack/events`;
});

afterAll(async () => {
  await slack?.stop(5000);
  await standIn?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('/research-stock NVDA --file', () => {
  it('attaches the report as a Markdown file at the end of the run thread', async () => {
    const body = commandBody({
      command: '/research-stock',
      text: 'NVDA --file',
      responseUrl: standIn.responseUrl('f'),
    });
    const res = await postSigned(appUrl, body, 'application/x-www-form-urlencoded', { secret: SECRET });
    expect(res.status).toBe(200);
    const until = Date.now() + 15_000;
    while (research.records.length < 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    await slack.launcher.idle();

    const parent = standIn.callsOf('chat.postMessage').find((c) => !c.args.thread_ts && c.ts);
    expect(parent?.ts).toBeDefined();
    const files = standIn.files.filter((f) => f.threadTs === parent?.ts);
    expect(files.map((f) => f.filename)).toEqual([expect.stringMatching(/^NVDA-\d{4}-\d{2}-\d{2}\.md$/)]);
    expect(files[0]?.data.toString('utf8')).toMatch(/^# .*NVDA.*: research report/);
    // The ticker was read without the option.
    expect(standIn.callsOf().some((c) => String(c.args.text ?? '').includes('--file'))).toBe(false);
  }, 30_000);
});
