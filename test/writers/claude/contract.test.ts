import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectWriter } from '../../../src/runtime.js';
import { createClaudeWriter } from '../../../src/writers/claude/index.js';
import { type AnthropicStandIn, startAnthropicStandIn } from '../../helpers/anthropic-stand-in.js';
import { bundledConfig } from '../../helpers/test-config.js';
import { runWriterContract } from '../../helpers/writer-contract.js';
import { honestReply, testConfig } from './helpers.js';

let standIn: AnthropicStandIn;
beforeAll(async () => {
  standIn = await startAnthropicStandIn({ respond: honestReply });
});
afterAll(async () => {
  await standIn.close();
});

runWriterContract('claude (against the local Messages API stand-in)', () =>
  createClaudeWriter({ config: testConfig(standIn) }),
);

describe('writer selection', () => {
  it('picks the Claude writer with --writer claude, or automatically when a key is set', async () => {
    const withKey = testConfig(standIn);
    expect((await selectWriter(withKey)).name).toBe('claude');
    expect((await selectWriter(withKey)).create().name).toBe('claude');
    expect((await selectWriter(withKey, 'claude')).name).toBe('claude');
    expect((await selectWriter(withKey, 'template')).name).toBe('template');
    const noKey = bundledConfig({ TICKERDESK_HOME: os.tmpdir() });
    expect((await selectWriter(noKey)).name).toBe('template');
    await expect(selectWriter(noKey, 'claude')).rejects.toThrow(/needs ANTHROPIC_API_KEY/);
  });
});
