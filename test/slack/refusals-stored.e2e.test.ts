/**
 * Permission refusals are kept in the run log (issue 15, part 6): a refused `/research-stock` on the real runtime,
 * signed as Slack signs it, is stored with its time, user, channel and what was asked; after a restart on the same
 * TICKERDESK_HOME, `/perf` and `npm run perf` both show its count and time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { logger } from '../../src/log.js';
import { openMetricsStore } from '../../src/metrics/store.js';
import { type SlackOnRuntime, startSlackOnRuntime, waitFor } from '../helpers/slack-runtime.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';
import { renderBlocks } from '../helpers/slack-transcript.js';

const ENV = { ALLOWED_USERS: 'U0ALICE', ADMIN_USERS: 'U0BOSS' };
let home: string;
let standIn: SlackStandIn;
let app: SlackOnRuntime | undefined;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-refusals-'));
  standIn = await new SlackStandIn().start();
});

afterAll(async () => {
  await app?.close();
  await standIn.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('a refusal survives a restart', () => {
  it('is stored with time, user, channel and what was asked', async () => {
    app = await startSlackOnRuntime(ENV, { home, standIn });
    const res = await app.command('/research-stock', 'NVDA', { channel: 'C0DESK', user: 'U0STRANGER' });
    expect(String(res.json?.text)).toContain('You are not on the list of people who may run research here.');
    await app.close();
    app = undefined;
    const store = await openMetricsStore(path.join(home, 'metrics.sqlite'), { history: false });
    try {
      const { refusals } = await store.perfReport();
      expect(refusals?.count).toBe(1);
      expect(refusals?.byReason).toEqual({ user: 1 });
      expect(refusals?.last).toMatchObject({
        user: 'U0STRANGER',
        channel: 'C0DESK',
        action: 'research',
        reason: 'user',
        what: '/research-stock NVDA',
      });
      expect(Date.parse(refusals?.last?.at ?? '')).not.toBeNaN();
    } finally {
      await store.close();
    }
  });

  it('/perf after the restart shows its count and time', async () => {
    app = await startSlackOnRuntime(ENV, { home, standIn });
    await app.command('/perf', '', { channel: 'C0DESK', user: 'U0ALICE', tag: 'perf-after-restart' });
    await waitFor(() => standIn.callsOf('response_url:perf-after-restart').length > 0, 'the /perf answer');
    const call = standIn.callsOf('response_url:perf-after-restart')[0];
    const text = renderBlocks((call?.args.blocks as unknown[]) ?? []);
    expect(text).toContain('Permission refusals recorded: 1 (1 user not allowed), last <!date^');
    expect(text).toContain('(<@U0STRANGER> in <#C0DESK>: /research-stock NVDA)');
  });

  it('npm run perf shows it too', async () => {
    let out = '';
    const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true } };
    const code = await runCli(['perf'], { io, env: { TICKERDESK_HOME: home, DATA_SOURCE: 'bundled' }, logger });
    expect(code).toBe(0);
    expect(out).toMatch(
      /Permission refusals: 1\n\s+user not allowed\s+1\n\s+last\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC: U0STRANGER in C0DESK, \/research-stock NVDA/,
    );
  });
});
