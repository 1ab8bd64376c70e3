import { describe, expect, it } from 'vitest';
import type { Figure } from '../../../src/research/types.js';
import { CheckedText, sentences } from '../../../src/writers/claude/checked-text.js';
import { buildReference, checkNumbers, UNVERIFIED_MARK } from '../../../src/writers/verify/index.js';

const figures: Figure[] = [
  {
    name: 'revenue',
    label: 'Revenue',
    value: 60_922e6,
    unit: 'USD',
    period: 'FY2024',
    source: { provider: 's', ref: 'r' },
  },
];
const ref = buildReference(figures);
const check = (t: string) => checkNumbers(t, ref).unmatched;

function feed(gate: CheckedText, text: string, size = 4): string {
  let out = '';
  for (let i = 0; i < text.length; i += size) out += gate.push(text.slice(i, i + size));
  return out + gate.end();
}

describe('sentences', () => {
  it('splits at sentence ends and newlines, not at abbreviations, dates or decimals', () => {
    expect(sentences('U.S. sales rose. Revenue was $60.9B on Aug. 21, 2026.\n- Next')).toEqual([
      'U.S. sales rose.',
      ' Revenue was $60.9B on Aug. 21, 2026.\n',
      '- Next',
    ]);
  });
});

describe('CheckedText', () => {
  it('releases verified sentences as they complete', () => {
    const gate = new CheckedText(check, 'hold');
    expect(gate.push('Revenue was $60.9B in FY2024')).toBe('');
    expect(gate.push('. Growth')).toBe('Revenue was $60.9B in FY2024.');
    expect(gate.push(' Was strong.\n')).toBe(' Growth Was strong.\n');
    expect(gate.end()).toBe('');
    expect(gate.failed).toBe(false);
  });

  it('holds back the first failing sentence and everything after it, naming every bad number', () => {
    const gate = new CheckedText(check, 'hold');
    const out = feed(gate, 'Revenue was $60.9B. A target of $9,999 is cited. Then 45x. End.');
    expect(out).toBe('Revenue was $60.9B.');
    expect(gate.failed).toBe(true);
    expect(gate.held).toBe(' A target of $9,999 is cited. Then 45x. End.');
    expect(gate.offending).toEqual(['$9,999', '45x']);
  });

  it('drops Markdown heading lines, since the front end adds the title', () => {
    const gate = new CheckedText(check, 'hold');
    expect(feed(gate, '## Fundamentals\nRevenue was $60.9B.\n### Outlook\nSteady. Not a # heading.')).toBe(
      'Revenue was $60.9B.\nSteady. Not a # heading.',
    );
  });

  it('in mark mode releases everything, marking and counting unmatched numbers', () => {
    const gate = new CheckedText(check, 'mark');
    const out = feed(gate, 'Revenue was $60.9B. A target of $9,999 is cited.');
    expect(out).toBe(`Revenue was $60.9B. A target of $9,999 ${UNVERIFIED_MARK} is cited.`);
    expect(gate.marked).toBe(1);
  });
});

describe('CheckedText in a rewrite', () => {
  it('does not release again a sentence the reader has already seen', () => {
    const gate = new CheckedText(check, 'mark', 'Revenue was $60.9B.\n');
    expect(feed(gate, '- Revenue was $60.9B.\n- Growth was strong.')).toBe('- Growth was strong.');
  });

  it('leaves out a sentence flagged to drop, keeping the line end', () => {
    const verdictCheck = (t: string) => [
      ...check(t),
      ...(t.includes('Strong Sell') ? [{ text: 'Strong Sell', end: t.indexOf('Strong Sell') + 11, drop: true }] : []),
    ];
    const gate = new CheckedText(verdictCheck, 'mark');
    expect(feed(gate, 'Revenue was $60.9B. The verdict is Strong Sell.\nNext line.')).toBe(
      'Revenue was $60.9B.\nNext line.',
    );
    expect(gate.dropped).toBe(1);
    expect(gate.marked).toBe(0);
  });
});
