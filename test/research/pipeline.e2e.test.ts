/**
 * End to end: the pipeline on the real tool gateway, which spawns our MCP data server over stdio on the bundled
 * data set, with the template writer. Each block has its own cache file in a temp folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnknownTickerError } from '../../src/errors.js';
import { createResearchService, type RunEvents, SECTIONS } from '../../src/research/index.js';
import { createToolGateway } from '../../src/tools/index.js';
import type { ToolCallMetric, ToolGateway } from '../../src/tools/types.js';
import { createTemplateWriter } from '../../src/writers/template/index.js';
import { bundledConfig } from '../helpers/test-config.js';

function setup(env: Record<string, string> = {}) {
  const home = mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-pipeline-'));
  const config = bundledConfig({ TICKERDESK_HOME: home, LOG_LEVEL: 'silent', CACHE_OP_TIMEOUT_MS: '10000', ...env });
  return { home, config };
}

describe('pipeline on the real MCP data server', () => {
  let home: string;
  let gateway: ToolGateway;
  const metrics: ToolCallMetric[] = [];

  beforeAll(async () => {
    const s = setup();
    home = s.home;
    gateway = await createToolGateway(s.config);
    gateway.onMetric((m) => metrics.push(m));
  });
  afterAll(async () => {
    await gateway.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('researches NVDA from real figures with their periods, sections in report order', async () => {
    const research = createResearchService({ gateway, createWriter: () => createTemplateWriter() });
    const run = research.start('nvda');
    const ready: RunEvents['sectionReady'][] = [];
    const deltas: string[] = [];
    run.on('sectionReady', (e) => ready.push(e));
    run.on('sectionDelta', (e) => deltas.push(e.section));
    const result = await run.result;

    expect(result.outcome).toBe('ok');
    expect(result.companyName).toMatch(/nvidia/i);
    expect(result.tools).toMatchObject({ total: 8, misses: 8, hits: 0, errors: 0 });
    const revenue = result.findings
      .find((f) => f.analyst === 'fundamentals')
      ?.figures.find((f) => f.name === 'revenue' && f.period === 'FY2024');
    expect(revenue).toMatchObject({ value: 60_922_000_000, unit: 'USD', source: { provider: 'sec-companyfacts' } });
    const fundamentals = result.sections.find((s) => s.id === 'fundamentals');
    expect(fundamentals?.markdown).toMatch(/FY2024 \| \$60\.92B/);

    expect(ready.map((e) => e.section.id)).toEqual(SECTIONS.map((s) => s.id));
    // Deltas come section by section, never interleaved.
    const runs = deltas.filter((id, i) => id !== deltas[i - 1]);
    expect(runs).toEqual(SECTIONS.map((s) => s.id));
    expect(result.sections.every((s) => s.markdown.length > 0 && s.degraded === undefined)).toBe(true);
  });

  it('serves a second run of the same ticker entirely from the cache: zero MCP calls', async () => {
    const research = createResearchService({ gateway, createWriter: () => createTemplateWriter() });
    const before = gateway.stats().serverCalls;
    const result = await research.start('NVDA').result;
    expect(gateway.stats().serverCalls).toBe(before);
    expect(result.tools).toMatchObject({ total: 8, hits: 8, misses: 0, coalesced: 0 });
  });

  it('makes each distinct tool call exactly once for 10 concurrent runs on one ticker', async () => {
    const research = createResearchService({ gateway, createWriter: () => createTemplateWriter() });
    const before = gateway.stats().serverCalls;
    metrics.length = 0;
    const results = await Promise.all(Array.from({ length: 10 }, () => research.start('MSFT').result));
    expect(results.every((r) => r.sections.length === 6)).toBe(true);
    expect(gateway.stats().serverCalls - before).toBe(8);
    const misses = metrics.filter((m) => m.cache === 'miss');
    expect(new Set(misses.map((m) => m.key)).size).toBe(8);
    expect(misses).toHaveLength(8);
    const sum = (k: 'misses' | 'hits' | 'coalesced') => results.reduce((n, r) => n + r.tools[k], 0);
    expect(sum('misses')).toBe(8);
    expect(sum('hits') + sum('coalesced')).toBe(72);
  });

  it('fails an unknown ticker with UnknownTickerError and close matches', async () => {
    const research = createResearchService({ gateway, createWriter: () => createTemplateWriter() });
    const run = research.start('NVDX');
    const failed: RunEvents['runFailed'][] = [];
    run.on('runFailed', (e) => failed.push(e));
    const error = await run.result.catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UnknownTickerError);
    expect((error as UnknownTickerError).suggestions).toContain('NVDA');
    expect(failed.map((e) => e.error)).toEqual([error]);
  });
});

describe('pipeline when the data tools fail', () => {
  let home: string;
  let gateway: ToolGateway;

  beforeAll(async () => {
    // Every tool answers after 3 s, but a call may wait only 300 ms, with no retry: every call times out.
    const s = setup({ MCP_TOOL_LATENCY_MS: '3000', TOOL_TIMEOUT_MS: '300', TOOL_RETRIES: '0' });
    home = s.home;
    gateway = await createToolGateway(s.config);
  });
  afterAll(async () => {
    await gateway.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('fails in plain words when every call failed: no data at all is not a report', async () => {
    const research = createResearchService({ gateway, createWriter: () => createTemplateWriter() });
    const run = research.start('AAPL');
    const events: string[] = [];
    const sections: string[] = [];
    let failed: RunEvents['runFailed'] | undefined;
    run.on('toolCallFinished', (e) => events.push(`${e.part} ${e.cache}`));
    run.on('sectionReady', (e) => sections.push(e.section.id));
    run.on('runFailed', (e) => {
      failed = e;
    });
    await expect(run.result).rejects.toMatchObject({ code: 'tickerdesk_tool_failed' });
    expect(events).toHaveLength(8);
    expect(events.every((e) => e.endsWith(' error'))).toBe(true);
    expect(sections).toEqual([]);
    expect(failed?.error.message).toMatch(
      /^No data could be fetched for AAPL: all 8 data tool calls failed, so there is nothing to report on\. The first failure: .*did not answer within 300 ms\./,
    );
  });
});
