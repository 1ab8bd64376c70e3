/**
 * Two instances of the Slack app on the real runtime behind one load balancer, sharing a real Redis (`CACHE_URL`),
 * each with a TICKERDESK_HOME (and so a SQLite file) of its own: the run log is the one on Redis, so a run on each
 * instance shows in `/perf` and on the performance page of either, a `/perf reset` made on one is seen by the other,
 * and a refusal on one is counted on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../src/log.js';
import { renderPerfPage } from '../../src/ops/perf-page.js';
import { perfFigures } from '../../src/ops/perf-report.js';
import { redisSkipReason, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { researchInSlack, type SlackOnRuntime, startSlackOnRuntime, waitFor } from '../helpers/slack-runtime.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';
import { renderBlocks } from '../helpers/slack-transcript.js';

const skip = redisSkipReason();
if (skip) console.warn(skip);

let redis: TestRedis;
let standIn: SlackStandIn;
let a: SlackOnRuntime;
let b: SlackOnRuntime;

/** The texts posted to the response_url tagged `tag`, in order. */
const answers = (tag: string) =>
  standIn
    .callsOf(`response_url:${tag}`)
    .map((c) => `${String(c.args.text ?? '')}\n${renderBlocks((c.args.blocks as unknown[]) ?? [])}`);

/** Send `/perf text` to `app` as `user` and return its private answer. */
async function perf(app: SlackOnRuntime, text: string, user: string, tag: string): Promise<string> {
  const res = await app.command('/perf', text, { channel: 'C0DESK', user, tag });
  expect(res.status).toBe(200);
  if (res.json?.text) return String(res.json.text);
  await waitFor(() => answers(tag).length > 0, `the answer to /perf ${text}`, 60_000);
  return answers(tag)[0] as string;
}

describe.skipIf(skip !== undefined)('two instances sharing the run log on Redis', () => {
  beforeAll(async () => {
    // A private server: the runtime writes under tickerdesk:… keys, which another test run must not see.
    redis = await startTestRedis({ fresh: true });
    standIn = await new SlackStandIn().start();
    // A slow first connection on a loaded machine must not send the run log to the SQLite file (it checks sharing).
    const env = { CACHE_URL: redis.url, CACHE_CONNECT_TIMEOUT_MS: '10000', ADMIN_USERS: 'U0BOSS', PREWARM_TOP_N: '0' };
    a = await startSlackOnRuntime(env, { standIn, admin: {} });
    b = await startSlackOnRuntime(env, { standIn, admin: {} });
  }, 60_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await standIn?.close();
    await redis?.stop();
  });

  it('a run on each instance: /perf on either counts both', async () => {
    await researchInSlack(a, 'C0ALPHA', 'NVDA');
    await researchInSlack(b, 'C0BETA', 'AAPL');
    for (const [app, tag] of [
      [a, 'perf-a'],
      [b, 'perf-b'],
    ] as const) {
      const answer = await perf(app, '', 'U0ALICE', tag);
      expect(answer).toContain('tickerdesk: 2 runs');
      // The live performance page (GET /perf) of either instance, drawn from the same run log.
      const page = await renderPerfPage(perfFigures(app.runtime.metrics, app.runtime.config, logger));
      expect(page).toContain('tickerdesk performance: 2 runs (ok 2)');
      const recent = await app.runtime.metrics.recent(10);
      expect(recent.map((r) => `${r.ticker} ${r.channel} ${r.outcome}`).sort()).toEqual([
        'AAPL C0BETA ok',
        'NVDA C0ALPHA ok',
      ]);
    }
  });

  it('a /perf reset on one instance is seen by the other; a refusal on one is counted on both', async () => {
    const reset = await perf(a, 'reset', 'U0BOSS', 'reset-a');
    expect(reset).toContain('Performance figures reset <!date^');
    const after = await perf(b, '', 'U0ALICE', 'perf-b-after-reset');
    expect(after).toContain('No research runs since the reset.');
    expect(after).toContain('by <@U0BOSS>');
    expect(await b.runtime.metrics.recent(10)).toHaveLength(2);

    const refused = await perf(b, 'flush-cache', 'U0ALICE', 'refused-b');
    expect(refused).toBe('Only admins may use this command. Ask <@U0BOSS> if you need it done.');
    for (const app of [a, b]) {
      await expect
        .poll(async () => (await app.runtime.metrics.perfReport()).refusals?.count, { timeout: 10_000 })
        .toBe(1);
      expect((await app.runtime.metrics.perfReport()).refusals?.last).toMatchObject({
        user: 'U0ALICE',
        reason: 'admin',
      });
    }
  });
});
