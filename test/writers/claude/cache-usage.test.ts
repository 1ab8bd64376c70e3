import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ANALYSTS } from '../../../src/research/types.js';
import { createClaudeWriter } from '../../../src/writers/claude/index.js';
import { UsageMeter } from '../../../src/writers/claude/usage.js';
import { type AnthropicStandIn, startAnthropicStandIn, systemBlocks } from '../../helpers/anthropic-stand-in.js';
import { koBundle, nvdaBundle } from '../../helpers/bundle-fixtures.js';
import { fullRun, honestReply, testConfig } from './helpers.js';

let standIn: AnthropicStandIn;
beforeEach(async () => {
  standIn = await startAnthropicStandIn({ respond: honestReply });
});
afterEach(async () => {
  await standIn.close();
});

describe('Claude writer: one data prefix, paid once', () => {
  it('sends a byte-identical cached system prefix with every analyst and section call of a run', async () => {
    const writer = createClaudeWriter({ config: testConfig(standIn) });
    await fullRun(writer, nvdaBundle());
    const messages = standIn.messages();
    expect(messages).toHaveLength(10);
    const prefixes = new Set(messages.map((r) => JSON.stringify(r.body.system)));
    expect(prefixes.size).toBe(1);
    const blocks = systemBlocks(messages[0] as never);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]?.cache_control).toBeUndefined();
    expect(blocks[1]?.cache_control).toEqual({ type: 'ephemeral' });
    expect(blocks[1]?.text).toContain('<figures>');
    expect(blocks[1]?.text).toContain('"name":"revenue"');
    // The per-call task is in the user message, never in the prefix.
    expect(blocks[1]?.text).not.toContain('Task:');
    // The first call warms the cache alone; every later one reads it.
    const writes = messages.filter((r) => (r.usage?.cache_creation_input_tokens ?? 0) > 0);
    const reads = messages.filter((r) => (r.usage?.cache_read_input_tokens ?? 0) > 0);
    expect(writes).toHaveLength(1);
    expect(reads).toHaveLength(9);
  });

  it('does not hold the other calls for long when the first response is slow to start', async () => {
    // Deadline 3 s → the others wait at most 1 s for the first response, which starts after 2.5 s.
    const writer = createClaudeWriter({ config: testConfig(standIn, { SECTION_DEADLINE_MS: '3000' }) });
    const bundle = nvdaBundle();
    standIn.enqueue({ kind: 'text', chunks: ['{"signal":"neutral"'], startDelayMs: 2500 });
    const findings = await Promise.all(ANALYSTS.map((a) => writer.analyze(a, bundle)));
    const [leader] = standIn.messages();
    // Another call went ahead, started first and wrote the cache; the slow first call then read it.
    expect(leader?.usage?.cache_read_input_tokens).toBeGreaterThan(0);
    // The slow answer was cut short (no JSON), asked again once, and then usable like the others.
    expect(findings.filter((f) => f.degraded?.includes('Claude'))).toEqual([]);
    expect(standIn.messages()).toHaveLength(5);
  });

  it('builds a different prefix for a different run', async () => {
    const a = createClaudeWriter({ config: testConfig(standIn) });
    const b = createClaudeWriter({ config: testConfig(standIn) });
    await a.analyze('fundamentals', nvdaBundle());
    await b.analyze('fundamentals', koBundle());
    const [ra, rb] = standIn.messages();
    expect(JSON.stringify(ra?.body.system)).not.toBe(JSON.stringify(rb?.body.system));
    expect(rb?.usage?.cache_creation_input_tokens).toBeGreaterThan(0);
  });
});

describe('Claude writer: usage and cost', () => {
  it('adds up input, cache-write, cache-read and output tokens and prices them from config', async () => {
    const prices = { inputPerMTok: 3, outputPerMTok: 15, cacheWritePerMTok: 3.75, cacheReadPerMTok: 0.3 };
    const writer = createClaudeWriter({ config: testConfig(standIn, { ANTHROPIC_PRICES: JSON.stringify(prices) }) });
    expect(writer.usage()).toEqual({
      inputTokens: 0,
      cacheWriteTokens: 0,
      cacheReadTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      unverifiedFigures: 0,
      rewrites: 0,
    });
    await fullRun(writer, nvdaBundle());
    const sum = (k: 'input_tokens' | 'cache_creation_input_tokens' | 'cache_read_input_tokens' | 'output_tokens') =>
      standIn.messages().reduce((s, r) => s + (r.usage?.[k] ?? 0), 0);
    const usage = writer.usage();
    expect(usage.inputTokens).toBe(sum('input_tokens'));
    expect(usage.cacheWriteTokens).toBe(sum('cache_creation_input_tokens'));
    expect(usage.cacheReadTokens).toBe(sum('cache_read_input_tokens'));
    expect(usage.outputTokens).toBe(sum('output_tokens'));
    expect(usage.outputTokens).toBeGreaterThan(0);
    expect(usage.cacheReadTokens).toBeGreaterThan(usage.cacheWriteTokens);
    const expected =
      (usage.inputTokens * 3 + usage.cacheWriteTokens * 3.75 + usage.cacheReadTokens * 0.3 + usage.outputTokens * 15) /
      1e6;
    expect(usage.costUsd).toBeCloseTo(expected, 12);
  });

  it('prices each kind of token at its own rate', () => {
    const meter = new UsageMeter({ inputPerMTok: 1, outputPerMTok: 10, cacheWritePerMTok: 2, cacheReadPerMTok: 0.5 });
    meter.add({ input_tokens: 1_000_000, cache_creation_input_tokens: 1_000_000, output_tokens: 100_000 });
    meter.add({ input_tokens: 10, cache_read_input_tokens: 2_000_000, cache_creation_input_tokens: null });
    expect(meter.usage()).toEqual({
      inputTokens: 1_000_010,
      cacheWriteTokens: 1_000_000,
      cacheReadTokens: 2_000_000,
      outputTokens: 100_000,
      costUsd: 1.00001 + 2 + 1 + 1,
    });
    expect(meter.calls).toBe(2);
  });
});
