/**
 * A stalled Claude (each POST /v1/messages answers two text deltas and then nothing, the connection left open) costs a
 * run one idle timeout, not a deadline per stage: the stalled calls end after `ANTHROPIC_IDLE_TIMEOUT_MS`, the run's
 * other calls stop or skip Claude, and the process's breaker spares the next runs the wait during its cool-off.
 * Asserted by the requests Claude received and the notes in the report, never by measured times: the deadline here is
 * a minute, so without the idle timeout and the breakers the run would outlast the test's timeout.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createResearchService } from '../../../src/research/index.js';
import { ANALYSTS, SECTIONS } from '../../../src/research/types.js';
import { ClaudeBreaker, createClaudeWriter } from '../../../src/writers/claude/index.js';
import { type AnthropicStandIn, type StandInReply, startAnthropicStandIn } from '../../helpers/anthropic-stand-in.js';
import { nvdaBundle } from '../../helpers/bundle-fixtures.js';
import { FakeGateway } from '../../helpers/fake-gateway.js';
import { bundledConfig } from '../../helpers/test-config.js';
import { honestReply, testConfig } from './helpers.js';

const STALL: StandInReply = { kind: 'stall', chunks: ['The picture ', 'is'] };
const IDLE = { SECTION_DEADLINE_MS: '60000', ANTHROPIC_IDLE_TIMEOUT_MS: '300' };
const STALLED = 'Claude was unavailable (the answer stalled: nothing for 300 ms)';

let standIn: AnthropicStandIn;
beforeEach(async () => {
  standIn = await startAnthropicStandIn({ respond: () => STALL });
});
afterEach(async () => {
  await standIn.close();
});

describe('a stalled Claude stream', () => {
  it('costs a run one idle timeout: the analysts fall back, the sections never ask Claude, each says why', async () => {
    const config = testConfig(standIn, IDLE);
    const research = createResearchService({
      gateway: new FakeGateway(),
      createWriter: () => createClaudeWriter({ config }),
    });
    const result = await research.start('NVDA').result;

    // Only the four analyst calls reached Claude (the first alone, the others once its answer had started); the six
    // sections went straight to the template writer.
    const asked = standIn.messages();
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.length).toBeLessThanOrEqual(ANALYSTS.length);
    expect(asked.every((r) => r.answered === 'stall')).toBe(true);
    expect(result.sections.map((s) => s.id)).toEqual(SECTIONS.map((s) => s.id));
    for (const section of result.sections) expect(section.markdown).toContain(STALLED);
    for (const findings of result.findings) expect(findings.degraded).toContain(STALLED);
    expect(result.outcome).toBe('degraded');
  });

  it('trips the process breaker: runs in the cool-off do not ask Claude; after it, Claude is tried again', async () => {
    const config = testConfig(standIn, IDLE);
    let clock = 1_000_000;
    const breaker = new ClaudeBreaker({ coolOffMs: 60_000, now: () => clock });
    const bundle = nvdaBundle();

    const first = createClaudeWriter({ config, breaker });
    expect((await first.analyze('risk', bundle)).degraded).toContain(STALLED);
    expect(standIn.messages()).toHaveLength(1);

    // A new run 59 s later: no request, the note names the failure and when Claude is tried again.
    clock += 59_000;
    const second = createClaudeWriter({ config, breaker });
    const risk = await second.analyze('risk', bundle);
    expect(risk.degraded).toContain('the answer stalled: nothing for 300 ms; Claude is tried again in 1 s');
    expect(standIn.messages()).toHaveLength(1);

    // After the cool-off Claude answers again: it is asked, and a success closes the breaker. (A generous idle
    // timeout here: this call must not stall on a busy machine.)
    clock += 1_000;
    standIn.respond(honestReply);
    const third = createClaudeWriter({ config: testConfig(standIn, { ANTHROPIC_IDLE_TIMEOUT_MS: '30000' }), breaker });
    expect((await third.analyze('risk', bundle)).degraded ?? '').not.toContain('Claude');
    expect(standIn.messages()).toHaveLength(2);
    expect(breaker.blocked()).toBeUndefined();
  });

  it('has an idle timeout well under the section deadline by default, and a cool-off', () => {
    const config = bundledConfig({ TICKERDESK_HOME: '/nonexistent-home' });
    expect(config.anthropic.idleTimeoutMs).toBe(15_000);
    expect(config.anthropic.idleTimeoutMs).toBeLessThanOrEqual(config.anthropic.sectionDeadlineMs / 5);
    expect(config.anthropic.coolOffMs).toBe(60_000);
  });
});
