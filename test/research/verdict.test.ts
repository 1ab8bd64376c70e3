import { describe, expect, it } from 'vitest';
import { analyzeBundle } from '../../src/research/analysts/index.js';
import { ANALYSTS, type AnalystName, type Findings, type Signal } from '../../src/research/types.js';
import { decideVerdict, verdictBreakdown } from '../../src/research/verdict.js';
import { emptyBundle, koBundle, nvdaBundle, weakBundle } from '../helpers/bundle-fixtures.js';

function findings(analyst: AnalystName, signal: Signal, confidence: number): Findings {
  const figure = { name: 'x', label: 'x', value: 1, unit: 'count' as const, source: { provider: 't', ref: 't' } };
  return { analyst, signal, confidence, points: [], figures: [figure] };
}

describe('decideVerdict', () => {
  it('buys when weighted signals are bullish, naming reasons for and against', () => {
    const v = decideVerdict([
      findings('fundamentals', 'bullish', 0.8),
      findings('technicals', 'bullish', 0.7),
      findings('news', 'neutral', 0.5),
      findings('risk', 'bearish', 0.6),
    ]);
    expect(v.rating).toBe('buy');
    expect(v.signal).toBe('bullish');
    expect(v.line).toBe(
      `Buy — strong fundamentals, an uptrend; against it: elevated risk (confidence ${v.confidence.toFixed(2)})`,
    );
  });

  it('sells when most weight is bearish', () => {
    const v = decideVerdict(ANALYSTS.map((a) => findings(a, 'bearish', 0.7)));
    expect(v.rating).toBe('sell');
    expect(v.confidence).toBeGreaterThan(0.7);
  });

  it('holds when signals offset or are weak', () => {
    const mixed = decideVerdict([
      findings('fundamentals', 'bullish', 0.6),
      findings('technicals', 'bearish', 0.7),
      findings('news', 'bearish', 0.2),
      findings('risk', 'neutral', 0.5),
    ]);
    expect(mixed.rating).toBe('hold');
    expect(mixed.line).toMatch(/^Hold — strong fundamentals, balanced by a downtrend, negative consensus or events/);
    const weak = decideVerdict([findings('technicals', 'bullish', 0.3), findings('fundamentals', 'neutral', 0.5)]);
    expect(weak.rating).toBe('hold');
    expect(weak.line).toContain('an uptrend, but no strong case either way');
  });

  it('gives analysts without figures no weight', () => {
    const empty: Findings = { analyst: 'fundamentals', signal: 'bullish', confidence: 0.9, points: [], figures: [] };
    const { parts } = verdictBreakdown([empty, findings('risk', 'bearish', 0.5)]);
    expect(parts.map((p) => p.analyst)).toEqual(['risk']);
    expect(decideVerdict([]).line).toMatch(/^Hold — not enough data for a view/);
  });

  it('holds when too little of the weight could be assessed (consensus alone never makes a Buy)', () => {
    const v = decideVerdict([
      findings('news', 'bullish', 0.9),
      { ...findings('fundamentals', 'neutral', 0.1), degraded: 'No annual financial statements.' },
    ]);
    expect(v.rating).toBe('hold');
    expect(v.confidence).toBeLessThanOrEqual(0.35);
    expect(v.line).toMatch(/^Hold — only supportive consensus and events could be assessed, too little data to act on/);
  });

  it('gives an analyst without data no say: its weight is not handed to the others, and the line names it (KO regression)', () => {
    // KO offline: no consensus and no 8-Ks, so the news analyst has nothing. Its 0.2 of the weight used to be spread
    // over the others, and an uptrend alone (0.25 × 0.69 ÷ 0.8 = 0.22) made a Buy.
    const noNews: Findings = {
      analyst: 'news',
      signal: 'neutral',
      confidence: 0.1,
      points: ['No analyst consensus is available for KO in the bundled data set.'],
      figures: [],
    };
    const ko = [
      findings('fundamentals', 'neutral', 0.6),
      findings('technicals', 'bullish', 0.69),
      noNews,
      findings('risk', 'neutral', 0.5),
    ];
    const { score, coverage, unassessed } = verdictBreakdown(ko);
    expect(score).toBeCloseTo(0.25 * 0.69, 6);
    expect(coverage).toBeCloseTo(0.8, 6);
    expect(unassessed).toEqual(['news']);
    const v = decideVerdict(ko);
    expect(v.rating).toBe('hold');
    expect(v.line).toBe(
      `Hold — an uptrend, but no strong case either way; no data for news and consensus (confidence ${v.confidence.toFixed(2)})`,
    );
    // A directional verdict that still clears the bar with an analyst missing says which one had no data.
    const strong = decideVerdict([
      findings('fundamentals', 'bullish', 0.5),
      findings('technicals', 'bullish', 0.6),
      noNews,
      findings('risk', 'neutral', 0.5),
    ]);
    expect(strong.rating).toBe('buy');
    expect(strong.line).toMatch(/^Buy — strong fundamentals, an uptrend; no data for news and consensus \(confidence/);
  });

  it('rates the fixtures as a reader would: NVDA buy, KO hold, WEAK sell, no data hold', () => {
    const rate = (b: ReturnType<typeof nvdaBundle>) => decideVerdict(ANALYSTS.map((a) => analyzeBundle(a, b)));
    expect(rate(nvdaBundle()).rating).toBe('buy');
    expect(rate(koBundle()).rating).toBe('hold');
    expect(rate(weakBundle()).rating).toBe('sell');
    const none = rate(emptyBundle());
    expect(none.rating).toBe('hold');
    expect(none.confidence).toBeLessThan(0.3);
  });
});
