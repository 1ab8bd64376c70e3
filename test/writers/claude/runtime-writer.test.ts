/**
 * The Claude writer as the runtime chooses it: a rejected key stops the start even with WRITER=auto, the writer logs
 * through the runtime's logger (the CLI's plain warnings), and many sections on one run signal add no listeners to it.
 */
import { getEventListeners } from 'node:events';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, TickerdeskError } from '../../../src/errors.js';
import { createRuntime, selectWriter } from '../../../src/runtime.js';
import { DeadlineError, deadlineSignal } from '../../../src/writers/claude/client.js';
import { type AnthropicStandIn, startAnthropicStandIn } from '../../helpers/anthropic-stand-in.js';
import { nvdaBundle } from '../../helpers/bundle-fixtures.js';
import { honestReply, testConfig } from './helpers.js';

let standIn: AnthropicStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

describe('runtime with the Claude writer', () => {
  it('a rejected key stops the start in plain words, also with WRITER=auto (no silent template run)', async () => {
    standIn = await startAnthropicStandIn({ validKeys: ['sk-ant-right'], respond: honestReply });
    const config = testConfig(standIn, { ANTHROPIC_API_KEY: 'sk-ant-wrong', WRITER: 'auto' });
    const err = await createRuntime(config).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TickerdeskError);
    expect((err as TickerdeskError).code).toBe(ErrorCode.LlmUnavailable);
    expect((err as TickerdeskError).message).toMatch(/^Anthropic says the API key was rejected \(HTTP 401\)\./);
    expect(standIn.requests.map((r) => r.path)).toEqual(['/v1/models/claude-sonnet-4-6']);
  });

  it('the chosen writer logs through the given logger, not the root logger', async () => {
    standIn = await startAnthropicStandIn({ respond: () => ({ kind: 'overloaded', retryAfterMs: 5 }) });
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = pino({ level: 'warn' }, sink);
    const writer = (await selectWriter(testConfig(standIn), 'claude', log)).create();
    const findings = await writer.analyze('risk', nvdaBundle());
    expect(findings.degraded).toContain('Claude was unavailable (overloaded)');
    expect(
      lines.some((l) =>
        l.includes('Claude unavailable for the risk analyst (overloaded); using the rule-based findings'),
      ),
    ).toBe(true);
  });
});

describe('deadlineSignal', () => {
  it('adds no listener to the parent signal, and still follows it or its own deadline', async () => {
    const parent = new AbortController();
    const many = Array.from({ length: 12 }, () => deadlineSignal(10_000, parent.signal));
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
    parent.abort(new Error('run cancelled'));
    expect(many.every((d) => d.signal.aborted && (d.signal.reason as Error).message === 'run cancelled')).toBe(true);
    expect(many[0]?.deadline()).toBeUndefined();
    for (const d of many) d.clear();

    const timed = deadlineSignal(20, new AbortController().signal);
    await new Promise((resolve) => timed.signal.addEventListener('abort', resolve, { once: true }));
    expect(timed.deadline()).toBeInstanceOf(DeadlineError);
    timed.clear();
  });
});
