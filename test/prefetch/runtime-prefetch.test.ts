/**
 * Smart prefetch wired in the runtime (as the Slack app builds it), on the real data server over stdio: after a run
 * finishes, its nearest peer's data and the older quarters are fetched in the background and counted in the run's
 * record, apart from the run's own tool calls; a runtime built without it (the CLI) prefetches nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { finalRecord } from '../helpers/run-records.js';
import { bundledConfig } from '../helpers/test-config.js';

describe('smart prefetch in the runtime', () => {
  const open: { runtime: Runtime; home: string }[] = [];
  afterEach(async () => {
    for (const { runtime, home } of open.splice(0)) {
      await runtime.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  async function start(smartPrefetch: boolean) {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-prefetch-'));
    const config = bundledConfig({ TICKERDESK_HOME: home, CACHE_OP_TIMEOUT_MS: '10000', PREFETCH_PEERS: '1' });
    const runtime = await createRuntime(config, { smartPrefetch });
    open.push({ runtime, home });
    return runtime;
  }

  it('after a report, prefetches the nearest peer and the older quarters, counted apart in the run record', async () => {
    const runtime = await start(true);
    const result = await runtime.research.start('NVDA').result;
    await runtime.prefetcher?.idle();
    const record = await finalRecord(runtime.metrics, result.runId);
    expect(record?.tools).toMatchObject({ total: 8 });
    // get_peers, AVGO's 8 calls, NVDA's older quarters: all sent to the server, none used yet.
    expect(record?.prefetch).toEqual({ peers: ['AVGO'], calls: 10, made: 10, errors: 0, used: 0 });
    expect(runtime.gateway.stats()).toMatchObject({ backgroundServerCalls: 10 });
    const perf = await runtime.metrics.perfReport();
    expect(perf.prefetch).toEqual({ runs: 1, made: 10, used: 0 });
  });

  it('a runtime without it (the CLI) prefetches nothing', async () => {
    const runtime = await start(false);
    const result = await runtime.research.start('NVDA').result;
    expect(runtime.prefetcher).toBeUndefined();
    const record = await finalRecord(runtime.metrics, result.runId);
    expect(record?.prefetch).toBeUndefined();
    expect(runtime.gateway.stats().backgroundServerCalls ?? 0).toBe(0);
  });
});
