import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, TickerdeskError } from '../../../src/errors.js';
import { logger } from '../../../src/log.js';
import { checkClaudeAccess, createAnthropicClient } from '../../../src/writers/claude/index.js';
import { type AnthropicStandIn, startAnthropicStandIn } from '../../helpers/anthropic-stand-in.js';
import { testConfig } from './helpers.js';

let standIn: AnthropicStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
});

describe('checkClaudeAccess (start-up check, no tokens spent)', () => {
  it('passes with a good key and names the key problem in plain words otherwise', async () => {
    standIn = await startAnthropicStandIn({ validKeys: ['test-key'] });
    const good = testConfig(standIn);
    await expect(checkClaudeAccess(createAnthropicClient(good, logger), good.anthropic.model)).resolves.toBeUndefined();
    expect(standIn.requests[0]).toMatchObject({
      method: 'GET',
      path: '/v1/models/claude-sonnet-4-6',
      apiKey: 'test-key',
    });

    const bad = testConfig(standIn, { ANTHROPIC_API_KEY: 'sk-wrong' });
    const err = await checkClaudeAccess(createAnthropicClient(bad, logger), bad.anthropic.model).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TickerdeskError);
    expect((err as TickerdeskError).code).toBe(ErrorCode.LlmUnavailable);
    expect((err as TickerdeskError).message).toBe(
      'Anthropic says the API key was rejected (HTTP 401). Check ANTHROPIC_API_KEY (and ANTHROPIC_MODEL), or set WRITER=template to write offline.',
    );
  });

  it('says Claude is unavailable when nothing answers', async () => {
    standIn = await startAnthropicStandIn();
    const config = testConfig(standIn);
    await standIn.close();
    standIn = undefined;
    const err = await checkClaudeAccess(createAnthropicClient(config, logger, 0), config.anthropic.model).catch(
      (e: unknown) => e,
    );
    expect((err as TickerdeskError).message).toBe('Claude is unavailable (connection failed).');
    expect((err as TickerdeskError).transient).toBe(true);
  });

  it('refuses to build a client without a key', () => {
    standIn = undefined;
    const config = { anthropic: { apiKey: undefined } } as never;
    expect(() => createAnthropicClient(config, logger)).toThrow(
      'The Claude writer needs an Anthropic API key: set ANTHROPIC_API_KEY, or use WRITER=template to write offline.',
    );
  });
});
