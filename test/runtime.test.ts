import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, InvalidInputError } from '../src/errors.js';
import type { Eta, RunEvents } from '../src/research/types.js';
import { createRuntime, type Runtime, selectWriter } from '../src/runtime.js';
import { finalRecord } from './helpers/run-records.js';
import { bundledConfig } from './helpers/test-config.js';

let home: string;
let runtime: Runtime;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-runtime-'));
  runtime = await createRuntime(bundledConfig({ TICKERDESK_HOME: home, CACHE_OP_TIMEOUT_MS: '10000' }));
});

afterAll(async () => {
  await runtime?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('createRuntime', () => {
  it('runs research on the bundled data and records every run, cold then warm with an ETA', async () => {
    const first = runtime.research.start('nvda', { requester: { user: 'U1', channel: 'C1', via: 'test' } });
    const result = await first.result;
    expect(result.sections.map((s) => s.title)).toEqual([
      'Executive summary',
      'Fundamentals',
      'Technicals',
      'News & events',
      'Risks',
      'Verdict',
    ]);
    const rec1 = await finalRecord(runtime.metrics, first.runId);
    expect(rec1).toMatchObject({
      ticker: 'NVDA',
      requester: 'U1',
      channel: 'C1',
      via: 'test',
      writer: 'template',
      cacheKind: 'cold',
      outcome: result.outcome,
    });
    expect(rec1?.tools.made).toBeGreaterThan(0);
    expect(Object.keys(rec1?.stageMs ?? {}).sort()).toEqual(['analysts', 'prefetch', 'sections']);

    const second = runtime.research.start('NVDA', { requester: { via: 'test' } });
    let eta: Eta | null | undefined;
    second.on('runStarted', (p: RunEvents['runStarted']) => {
      eta = p.eta;
    });
    const again = await second.result;
    expect(eta).toMatchObject({ basedOn: 1 });
    expect(again.tools.misses).toBe(0);
    expect(await finalRecord(runtime.metrics, second.runId)).toMatchObject({ cacheKind: 'warm', tools: { made: 0 } });
  });

  it('records rejected input as a rejection only, and rethrows it', async () => {
    expect(() => runtime.research.start('NVDA AAPL', { requester: { via: 'test' } })).toThrow(InvalidInputError);
    let rejected: Awaited<ReturnType<typeof runtime.metrics.recent>> = [];
    for (let i = 0; i < 100 && rejected.length === 0; i++) {
      rejected = (await runtime.metrics.recent(20)).filter((r) => r.outcome === 'rejected');
      if (rejected.length === 0) await new Promise((res) => setTimeout(res, 20));
    }
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ ticker: 'NVDA AAPL', via: 'test', tools: { total: 0 } });
  });

  it('records an unknown ticker as rejected', async () => {
    const run = runtime.research.start('ZZZZZ', { requester: { via: 'test' } });
    await expect(run.result).rejects.toThrow(/Unknown ticker "ZZZZZ"/);
    expect(await finalRecord(runtime.metrics, run.runId)).toMatchObject({ ticker: 'ZZZZZ', outcome: 'rejected' });
  });
});

describe('selectWriter', () => {
  it('uses the template writer by default and refuses the Claude writer without an API key', async () => {
    const config = bundledConfig({ TICKERDESK_HOME: os.tmpdir() });
    expect((await selectWriter(config)).name).toBe('template');
    expect((await selectWriter(config, 'template')).create().name).toBe('template');
    await expect(selectWriter(config, 'claude')).rejects.toThrow(ConfigError);
  });
});

describe('createRuntime with an API key but Claude out of reach', () => {
  const closedPort = async (): Promise<number> => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  };
  const offline = async (writer?: string) =>
    bundledConfig({
      TICKERDESK_HOME: home,
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: `http://127.0.0.1:${await closedPort()}`,
      ...(writer ? { WRITER: writer } : {}),
    });

  it('WRITER=auto (the default) writes with the template writer instead of failing', async () => {
    const rt = await createRuntime(await offline());
    try {
      expect(rt.writerName).toBe('template');
      const result = await rt.research.start('NVDA').result;
      expect(result.sections).toHaveLength(6);
    } finally {
      await rt.close();
    }
  }, 30_000);

  it('calls onRecorded once a run record is final, with the run id', async () => {
    const seen: { runId: string; outcome: string | undefined }[] = [];
    const rt: Runtime = await createRuntime(bundledConfig({ TICKERDESK_HOME: home }), {
      onRecorded: async (runId) => {
        seen.push({ runId, outcome: (await rt.metrics.get(runId))?.outcome });
      },
    });
    try {
      const handle = rt.research.start('AAPL');
      await handle.result;
      await finalRecord(rt.metrics, handle.runId);
      await expect.poll(() => seen).toEqual([{ runId: handle.runId, outcome: 'ok' }]);
    } finally {
      await rt.close();
    }
  }, 30_000);

  it('an explicit Claude choice still fails in plain words', async () => {
    await expect(createRuntime(await offline('claude'))).rejects.toThrow(/Claude is unavailable/);
    await expect(createRuntime(await offline(), { writer: 'claude' })).rejects.toThrow(/Claude is unavailable/);
  }, 30_000);
});
