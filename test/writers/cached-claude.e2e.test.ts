/**
 * The writer cache with the Claude writer on the real runtime (Anthropic stand-in on 127.0.0.1 driven by the
 * official SDK): a rerun on the same data sends no request and spends no token, and says the same thing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../src/log.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { type AnthropicStandIn, startAnthropicStandIn } from '../helpers/anthropic-stand-in.js';
import { bundledConfig } from '../helpers/test-config.js';
import { honestReply } from './claude/helpers.js';

let anthropic: AnthropicStandIn;
let home: string;
let runtime: Runtime;

beforeAll(async () => {
  anthropic = await startAnthropicStandIn({ respond: honestReply });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-writer-cache-claude-'));
  const config = bundledConfig({
    TICKERDESK_HOME: home,
    CACHE_OP_TIMEOUT_MS: '10000',
    WRITER: 'claude',
    ANTHROPIC_API_KEY: 'test-key',
    ANTHROPIC_BASE_URL: anthropic.url,
    LOG_LEVEL: 'warn',
  });
  runtime = await createRuntime(config, { logger: logger.child({}, { level: 'silent' }) });
}, 60_000);

afterAll(async () => {
  try {
    await runtime?.close();
    await anthropic?.close();
  } finally {
    if (home) fs.rmSync(home, { recursive: true, force: true });
  }
});

describe('writer cache with the Claude writer', () => {
  it('a second run sends no request to Anthropic, costs no tokens and gives the same sections', async () => {
    expect(runtime.writerName).toBe('claude');
    const first = await runtime.research.start('NVDA', { requester: { via: 'test' } }).result;
    const sent = anthropic.messages().length;
    expect(sent).toBeGreaterThan(0);
    expect(first.usage.outputTokens).toBeGreaterThan(0);
    // Honest replies: every section verified, no note, so all of them are kept.
    expect(first.sections.map((s) => s.degraded)).toEqual(Array(6).fill(undefined));
    expect(first.writerCache).toEqual({ hits: 0, misses: 10 });

    const second = await runtime.research.start('NVDA', { requester: { via: 'test' } }).result;
    expect(second.writerCache).toEqual({ hits: 10, misses: 0 });
    expect(anthropic.messages().length).toBe(sent);
    expect(second.usage).toMatchObject({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, costUsd: 0 });
    expect(second.sections.map((s) => s.markdown)).toEqual(first.sections.map((s) => s.markdown));
  }, 90_000);
});
