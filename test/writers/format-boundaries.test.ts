/**
 * The number formatter at every unit boundary (issue 19, item 11), as properties over values drawn around each
 * boundary and across magnitudes with a seeded generator (same values every run): a scaled amount never shows 1,000
 * or more of a unit ("$1000.0M" is "$1.00B"), reads back to the value within its printed rounding, and never
 * decreases as the value grows; durations never show "1000 ms", "60.0 s" or "120.0 s"; percentages read the same
 * everywhere.
 */
import { describe, expect, it } from 'vitest';
import { formatUsdCompact } from '../../src/mcp-server/providers/profile-summary.js';
import { formatMs, formatRate } from '../../src/metrics/format.js';
import { countOf, formatDuration } from '../../src/slack/blocks/format.js';
import { formatShares, formatUsd } from '../../src/writers/format.js';

/** mulberry32: a small seeded PRNG, so the property runs on the same values every time. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values just under, at and just over each boundary, plus values spread over every magnitude. */
function samples(boundaries: readonly number[], seed: number, extra = 400): number[] {
  const next = random(seed);
  const out: number[] = [];
  for (const b of boundaries) {
    for (const f of [1 - 1e-3, 1 - 1e-4, 1 - 4e-5, 1 - 1e-6, 1, 1 + 1e-6, 1 + 1e-4, 1 + 1e-3]) out.push(b * f);
    for (let i = 0; i < 40; i++) out.push(b * (0.999 + next() * 0.002));
  }
  for (let i = 0; i < extra; i++) out.push(10 ** (next() * 15));
  return out.sort((x, y) => x - y);
}

const UNIT = { K: 1e3, M: 1e6, B: 1e9, T: 1e12 } as const;

/** `$1.23B` → { mantissa: 1.23, unit: 1e9, decimals: 2 }; `$9,999` → unit 1. */
function readUsd(text: string): { mantissa: number; unit: number; decimals: number } {
  const m = text.match(/^-?\$([\d,]+(?:\.(\d+))?)([KMBT])?$/);
  if (!m) throw new Error(`not a USD amount: ${text}`);
  const unit = m[3] ? UNIT[m[3] as keyof typeof UNIT] : 1;
  return { mantissa: Number((m[1] ?? '').replace(/,/g, '')), unit, decimals: m[2]?.length ?? 0 };
}

describe('formatUsd at the K/M/B/T boundaries', () => {
  const values = samples([1e4, 1e6, 1e9, 1e12, 999.95e3, 999.95e6, 999.995e9, 9999.5], 1);

  it('never shows 1,000 or more of a unit, and reads back within its rounding', () => {
    for (const v of values) {
      const text = formatUsd(v);
      const { mantissa, unit, decimals } = readUsd(text);
      if (unit > 1 && unit < 1e12) expect(mantissa, `${v} → ${text}`).toBeLessThan(1000);
      if (unit > 1) expect(mantissa, `${v} → ${text}`).toBeGreaterThanOrEqual(1);
      const half = (0.5 * unit) / 10 ** decimals;
      expect(Math.abs(mantissa * unit - v), `${v} → ${text}`).toBeLessThanOrEqual(half * (1 + 1e-9));
    }
  });

  it('never decreases as the amount grows', () => {
    let last = -1;
    for (const v of values) {
      const { mantissa, unit } = readUsd(formatUsd(v));
      expect(mantissa * unit, `${v} → ${formatUsd(v)}`).toBeGreaterThanOrEqual(last);
      last = mantissa * unit;
    }
  });

  it('crosses each unit at the rounding, not at the raw value', () => {
    expect(formatUsd(999_960_000)).toBe('$1.00B'); // was "$1000.0M" (TSLA insider purchases)
    expect(formatUsd(999_940_000)).toBe('$999.9M');
    expect(formatUsd(999_960)).toBe('$1.0M');
    expect(formatUsd(999_996_000_000)).toBe('$1.00T');
    expect(formatUsd(9_999.4)).toBe('$9,999');
    expect(formatUsd(9_999.6)).toBe('$10.0K');
    expect(formatUsd(-999_960_000)).toBe('-$1.00B');
  });
});

describe('other scaled amounts', () => {
  it('share counts cross M and B at the rounding', () => {
    for (const v of samples([1e6, 1e9], 2, 100)) {
      const text = formatShares(v);
      const m = text.match(/^([\d,.]+)([MB])? shares$/);
      expect(m, text).not.toBeNull();
      if (m?.[2] === 'M') expect(Number(m[1]), `${v} → ${text}`).toBeLessThan(1000);
    }
    expect(formatShares(999_960_000)).toBe('1.00B shares');
    expect(formatShares(999_999.6)).toBe('1.0M shares');
  });

  it('market values in words cross million, billion and trillion at the rounding', () => {
    for (const v of samples([1e6, 1e9, 1e12], 3, 100)) {
      const text = formatUsdCompact(v);
      const m = text.match(/^([\d.]+) (million|billion|trillion) USD$/);
      if (m && m[2] !== 'trillion') expect(Number(m[1]), `${v} → ${text}`).toBeLessThan(1000);
    }
    expect(formatUsdCompact(999.96e9)).toBe('1.00 trillion USD');
    expect(formatUsdCompact(999.6e6)).toBe('1.0 billion USD');
  });
});

describe('durations at the ms / s / min boundaries', () => {
  const values = samples([1000, 60_000, 120_000], 4, 200).filter((v) => v < 3_600_000);

  it('Slack: never "1000 ms" or "60.0 s"; minutes and seconds after 59.95 s', () => {
    for (const v of values) {
      const text = formatDuration(v);
      expect(text, `${v}`).toMatch(/^(\d{1,3} ms|\d{1,2}\.\d s|\d+ min \d{2} s)$/);
      const ms = text.match(/^(\d+) ms$/);
      if (ms) expect(Number(ms[1])).toBeLessThan(1000);
      const s = text.match(/^([\d.]+) s$/);
      if (s) expect(Number(s[1])).toBeLessThan(60);
    }
    expect(formatDuration(999.6)).toBe('1.0 s');
    expect(formatDuration(59_960)).toBe('1 min 00 s');
    expect(formatDuration(59_940)).toBe('59.9 s');
  });

  it('CLI perf: never "1000 ms" or "120.0 s"', () => {
    for (const v of values) {
      const text = formatMs(v);
      const ms = text.match(/^(\d+) ms$/);
      if (ms) expect(Number(ms[1]), `${v}`).toBeLessThan(1000);
      const s = text.match(/^([\d.]+) s$/);
      if (s) expect(Number(s[1]), `${v}`).toBeLessThan(120);
    }
    expect(formatMs(999.6)).toBe('1.0 s');
    expect(formatMs(119_960)).toBe('2.0 min');
  });
});

describe('percentages and counts read the same everywhere', () => {
  it('a rate is one decimal with no space (20.0%), and counts agree with their nouns', () => {
    expect(formatRate(0.2)).toBe('20.0%');
    expect(formatRate(0.9996)).toBe('100.0%');
    expect(countOf(1, 'alert')).toBe('1 alert');
    expect(countOf(0, 'alert')).toBe('0 alerts');
    expect(countOf(2, 'run')).toBe('2 runs');
  });
});
