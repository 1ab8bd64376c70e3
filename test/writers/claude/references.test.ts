import { describe, expect, it } from 'vitest';
import type { Figure } from '../../../src/research/types.js';
import { ReferenceStream, resolveStream } from '../../../src/writers/claude/references.js';
import { figureIds } from '../../../src/writers/verify/index.js';

const src = { provider: 'sec-companyfacts', ref: '10-K' };
const ids = figureIds([
  { name: 'revenue', label: 'Revenue', value: 215_938_000_000, unit: 'USD', period: 'FY2026', source: src },
  { name: 'revenue', label: 'Revenue', value: 130_497_000_000, unit: 'USD', period: 'FY2025', source: src },
  { name: 'rsi14', label: 'RSI 14', value: 58.4, unit: 'index', period: '2026-08-21', source: src },
] satisfies Figure[]);

describe('ReferenceStream', () => {
  it('holds a reference split across deltas until it is complete, and releases the rest at once', () => {
    const s = new ReferenceStream(ids);
    const out = ['Revenue was {rev', 'enue.FY20', '26} in FY2026; RSI ', '{', 'rsi14}.'].map((d) => s.push(d));
    expect(out).toEqual(['Revenue was ', '', '$215.94B in FY2026; RSI ', '', '58.4.']);
    expect(s.end()).toBe('');
    expect(s.resolved).toBe(2);
  });

  it('drops a unit typed around a reference even when the unit comes in another delta', () => {
    const s = new ReferenceStream(ids);
    const out = ['Revenue $', '{revenue.FY2026}', ' and RSI {rsi14}', '% now.'].map((d) => s.push(d));
    expect(out.join('') + s.end()).toBe('Revenue $215.94B and RSI 58.4% now.');
  });

  it('releases a brace that starts no reference, and an unfinished one at the end as written', () => {
    const s = new ReferenceStream(ids);
    expect(s.push('A set {1, 2} and ')).toBe('A set {1, 2} and ');
    expect(s.push('{revenue.FY')).toBe('');
    expect(s.end()).toBe('{revenue.FY');
    expect(s.resolved).toBe(0);
  });

  it('resolves a whole stream and reports the count', async () => {
    async function* model() {
      yield* ['In FY2025 revenue was {revenue.FY2', '025}, in FY2026 {revenue.FY2026}', '.'];
    }
    let count = -1;
    const parts: string[] = [];
    for await (const d of resolveStream(model(), ids, (n) => {
      count = n;
    }))
      parts.push(d);
    expect(parts.join('')).toBe('In FY2025 revenue was $130.50B, in FY2026 $215.94B.');
    expect(parts.some((p) => p.includes('{'))).toBe(false);
    expect(count).toBe(2);
  });
});
