import { describe, expect, it } from 'vitest';
import { analyzeBundle } from '../../../src/research/analysts/index.js';
import { ANALYSTS } from '../../../src/research/types.js';
import { formatFigure } from '../../../src/writers/format.js';
import { figureIds, idsOf, resolveReferences, unknownReferences } from '../../../src/writers/verify/index.js';
import { nvdaBundle } from '../../helpers/bundle-fixtures.js';

const figures = ANALYSTS.flatMap((a) => analyzeBundle(a, nvdaBundle()).figures);
const ids = figureIds(figures);

describe('figure ids', () => {
  it('derive from the name and a fiscal period, or the bare name for a dated figure', () => {
    expect(ids.get('revenue.FY2026')?.value).toBe(215_938_000_000);
    expect(ids.get('revenue.FY2025')?.value).toBe(130_497_000_000);
    expect(ids.get('gross_margin.FY2026')?.unit).toBe('%');
    expect(ids.get('revenue_quarter.Q1FY2027')?.period).toBe('Q1 FY2027');
    expect(ids.get('revenue_cagr.FY2022-FY2026')?.unit).toBe('%');
    expect(ids.get('rsi14')?.unit).toBe('index');
    expect(ids.get('target_mean')?.unit).toBe('USD/share');
    expect(ids.get('price')?.period).toBe('2026-08-21');
  });

  it('are unique, and a figure listed by two analysts keeps one id', () => {
    const list = idsOf(figures);
    const byId = new Map<string, Set<string>>();
    list.forEach((id, i) => {
      const f = figures[i];
      byId.set(id, (byId.get(id) ?? new Set()).add(`${f?.name}|${f?.period}|${f?.value}`));
    });
    expect([...byId].filter(([, set]) => set.size > 1)).toEqual([]);
    expect(list.filter((id) => id === 'drawdown_from_high')).toHaveLength(2);
  });

  it('carry their period when a dated name has several', () => {
    const two = figureIds([
      {
        name: 'close',
        label: 'Close',
        value: 1,
        unit: 'USD/share',
        period: '2026-08-20',
        source: { provider: 'x', ref: 'y' },
      },
      {
        name: 'close',
        label: 'Close',
        value: 2,
        unit: 'USD/share',
        period: '2026-08-21',
        source: { provider: 'x', ref: 'y' },
      },
    ]);
    expect([...two.keys()]).toEqual(['close.2026-08-20', 'close.2026-08-21']);
  });
});

describe('resolveReferences', () => {
  it("prints each known reference as its figure's display form", () => {
    const text = 'Revenue reached {revenue.FY2026} in FY2026 ({revenue_growth_yoy.FY2026} growth); RSI {rsi14}.';
    const fy = ids.get('revenue.FY2026');
    expect(resolveReferences(text, ids)).toBe(
      `Revenue reached ${fy ? formatFigure(fy) : ''} in FY2026 (65.5% growth); RSI 58.4.`,
    );
  });

  it('drops a unit typed around a reference when the display form already has it', () => {
    const text = 'Price ${price}, growth {revenue_growth_yoy.FY2026}%, P/E {pe_ratio}x, RSI {rsi14}%.';
    expect(resolveReferences(text, ids)).toBe('Price $214.72, growth 65.5%, P/E 43.8x, RSI 58.4%.');
  });

  it('leaves unknown ids as written, and names them as findings', () => {
    const text = resolveReferences('Revenue was {revenue.FY2031} and {made_up}; sets {a, b} are prose.', ids);
    expect(text).toBe('Revenue was {revenue.FY2031} and {made_up}; sets {a, b} are prose.');
    expect(unknownReferences(text, ids).map((r) => [r.text, r.reason])).toEqual([
      ['{revenue.FY2031}', '"{revenue.FY2031}" refers to no figure id in <figures>'],
      ['{made_up}', '"{made_up}" refers to no figure id in <figures>'],
    ]);
  });
});
