/** Warming a gateway on the real MCP data server: the server is started and every planned tool answers once. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planRequests } from '../../src/research/plan.js';
import { createToolGateway } from '../../src/tools/index.js';
import type { ToolGateway } from '../../src/tools/types.js';
import { warmUpGateway } from '../../src/tools/warm-up.js';
import { removeDir, tempDir, testConfig } from './helpers.js';

describe('warmUpGateway', () => {
  let dir: string;
  let gateway: ToolGateway;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    await gateway?.close();
    removeDir(dir);
  });

  it('starts the server and runs every tool once; the answers are cached', {
    timeout: 60_000,
  }, async () => {
    gateway = await createToolGateway(testConfig(dir));
    const report = await warmUpGateway(
      gateway,
      planRequests('MSFT').map((p) => p.request),
    );
    expect(report).toMatchObject({ ok: 8, failed: 0 });
    expect(gateway.stats().serverCalls).toBe(8);
    const later = await gateway.call(planRequests('MSFT')[0]?.request ?? { server: '', tool: '', args: {} });
    expect(later.cache).toBe('hit'); // fresh calls still fill the cache
  });

  it('never rejects: failing tools are counted', async () => {
    gateway = await createToolGateway(testConfig(dir));
    const report = await warmUpGateway(gateway, [
      { server: 'nowhere', tool: 'get_company_profile', args: { ticker: 'MSFT' } },
    ]);
    expect(report).toMatchObject({ ok: 0, failed: 1 });
  });
});
