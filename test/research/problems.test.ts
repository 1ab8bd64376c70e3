/**
 * A run's Problems list says each cause once (regression: with the price providers down, NVDA's footer listed five
 * lines for one fault: two failed tools with the same reason and three analyses repeating one of them).
 */
import { describe, expect, it } from 'vitest';
import { ToolFailedError } from '../../src/errors.js';
import { createResearchService } from '../../src/research/index.js';
import { mergeProblems, type ProblemNote } from '../../src/research/problems.js';
import { createTemplateWriter } from '../../src/writers/template/index.js';
import { FakeGateway } from '../helpers/fake-gateway.js';
import { FakeWriter } from '../helpers/fake-writer.js';

const DOWN =
  'No source answered for NVDA. yahoo: 127.0.0.1:9 could not be reached (ECONNREFUSED). stooq: 127.0.0.1:9 could not be reached (ECONNREFUSED).';
const toolDown = (tool: string) =>
  new ToolFailedError(tool, `The data tool tickerdesk/${tool} failed: ${DOWN}`, { transient: false });

describe('the Problems of a run', () => {
  it('says a cause that failed two tools and three analyses once, naming every part it affected', async () => {
    const research = createResearchService({
      gateway: new FakeGateway({
        failures: { get_price_history: toolDown('get_price_history'), analyze_stock: toolDown('analyze_stock') },
      }),
      createWriter: () => createTemplateWriter(),
    });
    const result = await research.start('NVDA').result;
    expect(result.outcome).toBe('degraded');
    expect(result.problems).toHaveLength(1);
    const [line] = result.problems;
    expect(line).toMatch(
      /^The price history and technical indicators could not be fetched: The data tools tickerdesk\/get_price_history and tickerdesk\/analyze_stock failed: No source answered for NVDA\. /,
    );
    expect(line).toMatch(/This affected the [a-z, ]+ analyses\.$/);
    expect(line).toContain('technicals');
    expect(line).toContain('risk');
  });

  it('says one writer fault on several sections once, with the sections, and keeps other causes apart', async () => {
    const note = 'Written by the offline template: Claude was unavailable (overloaded).';
    const research = createResearchService({
      gateway: new FakeGateway({}),
      createWriter: () =>
        new FakeWriter({ sectionNotes: { summary: note, technicals: note, verdict: 'Claude gave no usable text.' } }),
    });
    const result = await research.start('NVDA').result;
    expect(result.problems).toEqual([
      `${note} This affected the Executive summary and Technicals sections.`,
      'Verdict: Claude gave no usable text.',
    ]);
  });
});

describe('mergeProblems', () => {
  const fetch = (key: 'prices' | 'insider', part: string, cause: string): ProblemNote => ({
    text: `The ${part} could not be fetched: ${cause}`,
    cause,
    kind: 'fetch',
    part,
    fetch: { key },
  });

  it('keeps one line per cause in the order met, and an analysis that says more than a failed fetch', () => {
    const lines = mergeProblems([
      fetch('prices', 'price history', 'timed out.'),
      fetch('insider', 'insider transactions', 'HTTP 500.'),
      { text: 'Prices failed.', cause: 'Prices failed.', kind: 'analysis', part: 'technicals', repeats: ['prices'] },
      { text: 'Prices failed. And more.', cause: 'Prices failed. And more.', kind: 'analysis', part: 'risk' },
      { text: 'x', cause: 'x', kind: 'analysis', part: 'news', repeats: ['analyst'] },
    ]);
    expect(lines).toEqual([
      'The price history could not be fetched: timed out. This affected the technicals analysis.',
      'The insider transactions could not be fetched: HTTP 500.',
      'Prices failed. And more.',
      // It repeats a part with no fetch line of its own: kept, never dropped.
      'x',
    ]);
    expect(mergeProblems([])).toEqual([]);
  });
});
