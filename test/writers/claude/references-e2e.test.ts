/**
 * End to end through the research pipeline on the Anthropic stand-in: the model cites figures by id and the code
 * prints them, streamed; a section with misattributed figures (issue 11's FY2025-for-FY2026 sentences) is rewritten
 * once and then marked; the run record counts both; the cached prefix is still read by every later call.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordRun } from '../../../src/metrics/recorder.js';
import { type MetricsStore, openMetricsStore } from '../../../src/metrics/store.js';
import { createResearchService } from '../../../src/research/index.js';
import type { RunEvents, SectionId } from '../../../src/research/types.js';
import { createClaudeWriter } from '../../../src/writers/claude/index.js';
import { formatFigure } from '../../../src/writers/format.js';
import { UNVERIFIED_MARK } from '../../../src/writers/verify/index.js';
import { type AnthropicStandIn, startAnthropicStandIn, userText } from '../../helpers/anthropic-stand-in.js';
import { nvdaBundle } from '../../helpers/bundle-fixtures.js';
import { bundleGateway } from '../../helpers/bundle-gateway.js';
import { chunks, sentFigures, taskOf, testConfig } from './helpers.js';

const MISATTRIBUTED =
  'In FY2026 revenue was $130.50B and the gross margin was 75.0%. Net income came to $72.88B in FY2026.';

let standIn: AnthropicStandIn;
let dir: string;
let store: MetricsStore;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-refs-'));
  store = await openMetricsStore(path.join(dir, 'metrics.sqlite'));
  standIn = await startAnthropicStandIn();
  standIn.respond((r) => {
    const task = taskOf(r);
    if (task.analyst) {
      const own = sentFigures(r).filter((f) => f.analyst === task.analyst);
      const points = own.slice(0, 2).map((f) => `${f.label.replace(/\s*\([^)]*\)/g, '')} is {${f.id}}.`);
      return { kind: 'text', chunks: chunks(JSON.stringify({ signal: 'neutral', confidence: 0.5, points }), 7) };
    }
    const section = task.section as SectionId;
    if (section === 'summary') {
      // Issue 11's three FY2025 figures stated for FY2026, in the first answer and again in the rewrite.
      return { kind: 'text', chunks: chunks(MISATTRIBUTED, 6) };
    }
    // References split across small deltas: `{reve` `nue.F` `Y2026}`.
    const text = 'Revenue reached {revenue.FY2026} in FY2026, up {revenue_growth_yoy.FY2026}. RSI 14 is {rsi14}.';
    return { kind: 'text', chunks: chunks(text, 5) };
  });
});
afterEach(async () => {
  await standIn.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('Claude writer: the model cites, the code prints', () => {
  it('streams references with the values printed, rewrites misattributed figures once, marks them, records both', async () => {
    const bundle = nvdaBundle();
    const config = testConfig(standIn);
    const research = createResearchService({
      gateway: bundleGateway(bundle),
      createWriter: () => createClaudeWriter({ config }),
    });
    const handle = research.start('NVDA', { requester: { via: 'test' } });
    const recorded = recordRun(handle, store, { via: 'cli' });
    const deltas: RunEvents['sectionDelta'][] = [];
    handle.on('sectionDelta', (d) => deltas.push(d));
    const result = await handle.result;
    await recorded;

    const figure = (name: string, period?: string) =>
      result.findings.flatMap((f) => f.figures).find((f) => f.name === name && (!period || f.period === period));
    const show = (name: string, period?: string) => {
      const f = figure(name, period);
      return f ? formatFigure(f) : 'missing';
    };
    // Values printed in the streamed text, no reference visible in any delta.
    const fundamentals = result.sections.find((s) => s.id === 'fundamentals')?.markdown ?? '';
    expect(fundamentals).toBe(
      `Revenue reached ${show('revenue', 'FY2026')} in FY2026, up ${show('revenue_growth_yoy', 'FY2026')}. RSI 14 is ${show('rsi14')}.`,
    );
    expect(deltas.filter((d) => d.text.includes('{'))).toEqual([]);
    expect(deltas.filter((d) => d.section === 'fundamentals').length).toBeGreaterThan(1);
    // The analysts' points too.
    expect(result.findings.find((f) => f.analyst === 'fundamentals')?.points[0]).toBe(
      `Revenue is ${show('revenue', 'FY2026')}.`,
    );

    // The summary: held back, asked again once naming what was wrong, then shown with the three figures marked.
    const summaryCalls = standIn.messages().filter((r) => taskOf(r).section === 'summary');
    expect(summaryCalls).toHaveLength(2);
    const rewrite = userText(summaryCalls[1] as never);
    expect(rewrite).toContain('"$130.50B" is Revenue (FY2025), but the sentence is about FY2026');
    expect(rewrite).toContain('"75.0%" is Gross margin (FY2025), but the sentence is about FY2026');
    const summary = result.sections.find((s) => s.id === 'summary')?.markdown ?? '';
    expect(summary).toBe(
      `In FY2026 revenue was $130.50B ${UNVERIFIED_MARK} and the gross margin was 75.0% ${UNVERIFIED_MARK}. Net income came to $72.88B ${UNVERIFIED_MARK} in FY2026.`,
    );

    // The run result and the run record count the rewrite and the marked figures.
    expect(result.usage).toMatchObject({ rewrites: 1, unverifiedFigures: 3 });
    const [record] = await store.recent(1);
    expect(record?.usage).toMatchObject({ rewrites: 1, unverifiedFigures: 3 });
    // The prompt cache keeps working: one write, every later call reads the prefix.
    const messages = standIn.messages();
    expect(messages.filter((r) => (r.usage?.cache_creation_input_tokens ?? 0) > 0)).toHaveLength(1);
    expect(messages.filter((r) => (r.usage?.cache_read_input_tokens ?? 0) > 0)).toHaveLength(messages.length - 1);
    expect(result.usage.cacheReadTokens).toBeGreaterThan(0);
  });
});
