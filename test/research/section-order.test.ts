import { describe, expect, it } from 'vitest';
import { SectionSequencer } from '../../src/research/section-order.js';
import { SECTIONS } from '../../src/research/types.js';

function recorder() {
  const log: string[] = [];
  const sink = {
    started: (e: { section: string }) => log.push(`start ${e.section}`),
    delta: (e: { section: string; text: string }) => log.push(`delta ${e.section} ${e.text}`),
    ready: (e: { section: { id: string; markdown: string } }) =>
      log.push(`ready ${e.section.id} ${e.section.markdown}`),
  };
  return { log, sink };
}

const THREE = SECTIONS.slice(0, 3);

describe('SectionSequencer', () => {
  it('streams the current section live and buffers later ones until their turn', () => {
    const { log, sink } = recorder();
    const seq = new SectionSequencer(THREE, sink);
    seq.push(2, 'c1');
    seq.finish(2);
    seq.push(1, 'b1');
    expect(log).toEqual([]);
    seq.push(0, 'a1');
    expect(log).toEqual(['start summary', 'delta summary a1']);
    seq.push(1, 'b2');
    seq.finish(0);
    // Section 1 is now current: its buffered chunks flush, section 2 waits for it.
    expect(log.slice(2)).toEqual([
      'ready summary a1',
      'start fundamentals',
      'delta fundamentals b1',
      'delta fundamentals b2',
    ]);
    seq.push(1, 'b3');
    seq.finish(1, 'no data');
    expect(log.slice(6)).toEqual([
      'delta fundamentals b3',
      'ready fundamentals b1b2b3',
      'start technicals',
      'delta technicals c1',
      'ready technicals c1',
    ]);
    expect(seq.complete).toBe(true);
    expect(seq.sections().map((s) => [s.index, s.id, s.markdown, s.degraded])).toEqual([
      [0, 'summary', 'a1', undefined],
      [1, 'fundamentals', 'b1b2b3', 'no data'],
      [2, 'technicals', 'c1', undefined],
    ]);
  });

  it('emits nothing for a section until it has text or is finished, and ignores empty chunks', () => {
    const { log, sink } = recorder();
    const seq = new SectionSequencer(THREE, sink);
    seq.push(0, '');
    expect(log).toEqual([]);
    seq.finish(0);
    expect(log).toEqual(['start summary', 'ready summary ']);
    expect(seq.complete).toBe(false);
    expect(() => seq.push(0, 'late')).toThrow(/already finished/);
  });
});
